"""Our socketio channel (components/socketio_channel.py): replies reach a persistent session's room."""
from __future__ import annotations

import asyncio

import pytest
import socketio

from components.socketio_channel import SocketIOInput, valid_session_id
from tests.support.sanic_app import serve_blueprint


def test_session_ids_are_checked() -> None:
    assert valid_session_id("a" * 32) == "a" * 32
    assert valid_session_id("abc-DEF_1") == "abc-DEF_1"
    for bad in (None, "", "a b", "<x>", "x" * 65, 42):
        assert valid_session_id(bad) is None


async def test_bot_replies_reach_the_persistent_session() -> None:
    channel = SocketIOInput(session_persistence=True)
    received: list[str] = []

    async def on_new_message(message) -> None:
        received.append(message.sender_id)
        await message.output_channel.send_text_message(message.sender_id, f"svar på {message.text}")

    server, port = await serve_blueprint(channel.blueprint(on_new_message), "/webhooks/socketio")
    client = socketio.AsyncClient()
    replies: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", lambda data: replies.put_nowait(data))
    client.on("session_confirm", lambda sid: confirmed.put_nowait(sid))
    try:
        await client.connect(f"http://127.0.0.1:{port}", transports=["polling"])  # engineio's websocket client needs aiohttp>=3.10
        await client.emit("session_request", {"session_id": "s" * 32})
        assert await asyncio.wait_for(confirmed.get(), 5) == "s" * 32
        await client.emit("user_uttered", {"message": "hei", "session_id": "s" * 32})
        reply = await asyncio.wait_for(replies.get(), 5)
        assert reply == {"text": "svar på hei"}
        assert received == ["s" * 32]
        # A forged id is replaced by a fresh one rather than used as a sender id.
        await client.emit("session_request", {"session_id": "<script>"})
        fresh = await asyncio.wait_for(confirmed.get(), 5)
        assert valid_session_id(fresh) and fresh != "<script>"
    finally:
        # A polling client's disconnect waits for its pending long poll (25 s): do not wait for it.
        try:
            await asyncio.wait_for(client.disconnect(), 1)
        except asyncio.TimeoutError:
            pass
        server.close()
        await server.wait_closed()
