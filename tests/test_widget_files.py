"""The chat widget's files and its static server, without a browser (tests/test_widget_browser.py has those)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from scripts.widget_server import content_security_policy, rasa_url_for, resolve, sample_page
from tests.support.servers import REPO, free_port, http_json, wait_until

WEB = REPO / "web"


def test_widget_never_builds_html_from_strings() -> None:
    source = (WEB / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, f"widget.js uses {sink}"


def test_vendored_socket_io_matches_the_pin_and_has_its_licence() -> None:
    pinned = re.search(r"^SOCKET_IO_CLIENT_VERSION=(\S+)", (REPO / "scripts/fetch_web_deps.sh").read_text(), re.M)
    header = (WEB / "vendor/socket.io.min.js").read_text(encoding="utf-8")[:200]
    assert pinned and f"Socket.IO v{pinned.group(1)}" in header
    assert "MIT License" in (WEB / "vendor/socket.io-client.LICENSE").read_text()


@pytest.mark.parametrize("path", ["/../scripts/env.sh", "/vendor/../../README.md", "/%2e%2e/Makefile", "/nope.js",
                                  "/.hidden", "/vendor/"])
def test_server_serves_nothing_outside_web(path: str) -> None:
    assert resolve(path) is None


def test_server_fills_in_the_assistant_address() -> None:
    assert rasa_url_for("localhost:8080", None, "5005") == "http://localhost:5005"
    assert rasa_url_for("[::1]:8080", None, "5005") == "http://[::1]:5005"
    assert rasa_url_for("x", "https://assistent.example/", "5005") == "https://assistent.example"
    page = sample_page('http://localhost:5005/"><script>', "nn").decode()
    assert 'data-server="http://localhost:5005/&quot;&gt;&lt;script&gt;"' in page
    assert 'data-lang="nn"' in page and '<html lang="nn">' in page
    assert "connect-src 'self' http://localhost:5005 ws://localhost:5005" in content_security_policy("http://localhost:5005")


def test_server_runs_and_stops_on_sigterm(tmp_path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "scripts/widget_server.py", "--bind", "127.0.0.1", "--port", str(port)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: http_json("GET", f"http://127.0.0.1:{port}/widget.js", timeout=2)[0] == 200, 20,
                   "widget server", server)
        status, page = http_json("GET", f"http://127.0.0.1:{port}/?lang=nn")
        assert status == 200 and 'data-lang="nn"' in page
        assert http_json("GET", f"http://127.0.0.1:{port}/../Makefile")[0] == 404
    finally:
        server.terminate()
        assert server.wait(timeout=10) == 0
