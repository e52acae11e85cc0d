"""A stand-in action server that answers /health at once and every action call only after `delay` seconds."""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from tests.support.servers import free_port


def _handler(delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._reply({"status": "ok"})

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            self._reply({"events": [], "responses": []})

        def _reply(self, body: dict) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # Rasa gave up waiting
                pass

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def slow_action_server(delay: float) -> Iterator[int]:
    """Yields the port of a running slow action server on 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(delay))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
