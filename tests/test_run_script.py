"""`make run`'s supervisor (scripts/run.sh): serves on the configured ports, stops everything on SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.support.servers import REPO, free_port, http_json, wait_until

pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_run_serves_and_sigterm_stops_every_process(tmp_path) -> None:
    rasa_port, action_port, widget_port = free_port(), free_port(), free_port()
    env = dict(os.environ, RASA_PORT=str(rasa_port), ACTION_PORT=str(action_port), WIDGET_PORT=str(widget_port),
               STATE_DIR=str(tmp_path))
    for teams_setting in ("CREDENTIALS_FILE", "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_TENANT_ID"):
        env.pop(teams_setting, None)
    env.pop("DATABASE_URL", None)
    log = open(tmp_path / "run.log", "wb")
    runner = subprocess.Popen(["bash", "scripts/run.sh"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: http_json("GET", f"http://127.0.0.1:{rasa_port}/", timeout=2)[0] == 200, 180, "run.sh", runner)
        status, replies = http_json("POST", f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                                    {"sender": "x", "message": "hei"})
        assert status == 200 and replies and replies[0]["text"].startswith("Hei")
        assert (tmp_path / "conversations.db").exists(), "the default tracker store is a SQLite file in STATE_DIR"
        status, page = http_json("GET", f"http://127.0.0.1:{widget_port}/")
        assert status == 200 and "widget.js" in page and f":{rasa_port}" in page, "the widget's sample page"
        children = _children(runner.pid)
        assert len(children) >= 3
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=30)
    time.sleep(1)
    alive = [pid for pid in children if os.path.exists(f"/proc/{pid}") and
             open(f"/proc/{pid}/stat").read().split()[2] != "Z"]
    assert not alive, f"processes left running after SIGTERM: {alive}"
    assert runner.returncode == 143
