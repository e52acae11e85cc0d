"""A stand-in for Rasa's socketio channel, for the widget tests that need a server that comes and goes
(the offline state and the reconnect). It speaks the same events: session_request -> session_confirm,
user_uttered -> bot_uttered. It runs in a thread with its own event loop and can be stopped and started again
on the same port."""
from __future__ import annotations

import asyncio
import threading
from typing import Optional

import socketio
from aiohttp import web


class FakeRasaSocketIO:
    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[dict] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None

    def _app(self) -> web.Application:
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")

        @sio.on("session_request")
        async def session_request(sid: str, data: Optional[dict]) -> None:
            session_id = (data or {}).get("session_id")
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: dict) -> None:
            self.received.append(data)
            text = data.get("message", "")
            if text.startswith("/greet"):
                reply = {"text": "Hei! Jeg er en testassistent.",
                         "quick_replies": [{"content_type": "text", "title": "Skatt", "payload": "/ask_tax"}]}
            elif text.startswith("/answer_feedback"):
                return
            else:
                reply = {"text": f"Svar på: {text}\nKilde: Personalforsikringer, Helse Vest (02.11.2019), «Test»"}
            await sio.emit("bot_uttered", reply, room=data.get("session_id"))

        app = web.Application()
        sio.attach(app)
        return app

    def start(self) -> "FakeRasaSocketIO":
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(self._app(), shutdown_timeout=0.5)  # drop open sockets at once
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake socketio server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)
        self._loop = None
