"""Serve one channel blueprint in a Sanic app inside the test's event loop (no Rasa, no model)."""
from __future__ import annotations

from typing import Any

from sanic import Blueprint, Sanic

from tests.support.servers import free_port


async def serve_blueprint(blueprint: Blueprint, url_prefix: str) -> tuple[Any, int]:
    """(server, port); close with `server.close(); await server.wait_closed()`."""
    # test_mode: Sanic 21.12 rewrites its HTTP class on start, which breaks a second app in the same process.
    Sanic.test_mode = True
    app = Sanic(f"channel-test-{free_port()}")
    app.blueprint(blueprint, url_prefix=url_prefix)
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    return server, port
