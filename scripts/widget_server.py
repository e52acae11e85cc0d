"""Serves web/ (the chat widget and a sample intranet page) for `make run` and the browser tests.

Standard library only. The sample page gets the assistant's address filled in: --rasa-url, else $WIDGET_RASA_URL,
else the host the browser used for this page with $RASA_PORT (so http://localhost:8080 talks to
http://localhost:5005). ?lang=nn shows the page's widget in Nynorsk.

    python scripts/widget_server.py [--bind 127.0.0.1] [--port 8080] [--rasa-url http://localhost:5005]
"""
from __future__ import annotations

import argparse
import html
import mimetypes
import os
import signal
import sys
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, urlsplit

WEB = Path(__file__).resolve().parents[1] / "web"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}


def resolve(path: str) -> Optional[Path]:
    """The file under web/ a URL path names, or None (no listings, nothing outside web/, no hidden files)."""
    relative = urlsplit(path).path.lstrip("/") or "index.html"
    candidate = (WEB / relative).resolve()
    if WEB not in candidate.parents or any(part.startswith(".") for part in candidate.relative_to(WEB).parts):
        return None
    return candidate if candidate.is_file() else None


def rasa_url_for(host_header: str, configured: Optional[str], rasa_port: str) -> str:
    if configured:
        return configured.rstrip("/")
    hostname = urlsplit(f"//{host_header}").hostname or "localhost"
    if ":" in hostname:  # IPv6 literal
        hostname = f"[{hostname}]"
    return f"http://{hostname}:{rasa_port}"


def sample_page(rasa_url: str, lang: str) -> bytes:
    page = (WEB / "index.html").read_text(encoding="utf-8")
    page = page.replace("__RASA_SERVER__", html.escape(rasa_url, quote=True))
    page = page.replace("__WIDGET_LANG__", "nn" if lang == "nn" else "nb")
    if lang == "nn":
        page = page.replace('<html lang="nb">', '<html lang="nn">')
    return page.encode("utf-8")


def content_security_policy(rasa_url: str) -> str:
    # Defence in depth for the sample page: no inline script, and the widget may only talk to the assistant.
    socket_url = "ws" + rasa_url[len("http"):] if rasa_url.startswith("http") else rasa_url
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
            f"connect-src 'self' {rasa_url} {socket_url}; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


class WidgetHandler(BaseHTTPRequestHandler):
    server_version = "widget-server"

    def __init__(self, *args, rasa_url: Optional[str], rasa_port: str, **kwargs) -> None:
        self.rasa_url_setting = rasa_url
        self.rasa_port = rasa_port
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(include_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(include_body=False)

    def _serve(self, include_body: bool) -> None:
        target = resolve(self.path)
        if target is None:
            self.send_error(404, "Not found")
            return
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache",
                   "Referrer-Policy": "same-origin"}
        if target == WEB / "index.html":
            rasa_url = rasa_url_for(self.headers.get("Host", ""), self.rasa_url_setting, self.rasa_port)
            lang = parse_qs(urlsplit(self.path).query).get("lang", ["nb"])[0]
            body = sample_page(rasa_url, lang)
            headers["Content-Security-Policy"] = content_security_policy(rasa_url)
        else:
            body = target.read_bytes()
        content_type = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quieter than the default: one line per request
        sys.stderr.write(f"widget: {self.address_string()} {format % args}\n")


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", default=os.environ.get("BIND_ADDRESS", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WIDGET_PORT", "8080")))
    parser.add_argument("--rasa-url", default=os.environ.get("WIDGET_RASA_URL"))
    args = parser.parse_args(argv)
    handler = partial(WidgetHandler, rasa_url=args.rasa_url, rasa_port=os.environ.get("RASA_PORT", "5005"))
    server = ThreadingHTTPServer((args.bind, args.port), handler)
    server.daemon_threads = True
    # SIGTERM from run.sh ends serve_forever through SystemExit, closing the socket on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"widget: sample page on http://{args.bind}:{args.port}/", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
