"""Start the trained assistant (action server + Rasa server) on free loopback ports for tests."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = REPO / ".venv" / "bin"
MODEL = REPO / "models" / "assistant.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(method: str, url: str, body: Any = None, timeout: float = 30.0) -> tuple[int, Any]:
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def wait_until(check, timeout: float, what: str, process: Optional[subprocess.Popen] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: process exited with {process.returncode}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")


@dataclass
class Assistant:
    """A running assistant; `ask` sends one message over the REST channel."""

    rasa_port: int
    action_port: int
    state_dir: Path
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def ask(self, sender: str, text: str, metadata: Optional[dict] = None) -> list[dict]:
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        status, replies = http_json("POST", f"{self.url}/webhooks/rest/webhook", body)
        assert status == 200, f"webhook answered {status}: {replies}"
        return replies

    @property
    def rasa_process(self) -> subprocess.Popen:
        return self.processes[-1]

    @property
    def action_process(self) -> Optional[subprocess.Popen]:
        """The action server this assistant started (None when it uses another one's)."""
        return self.processes[0] if len(self.processes) > 1 else None

    def stop_action_server(self) -> None:
        process = self.action_process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=20)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start_assistant(state_dir: Path, extra_env: Optional[dict[str, str]] = None, log_dir: Optional[Path] = None,
                    action_port: Optional[int] = None, model: Optional[Path] = None,
                    rasa_ready_timeout: float = 180) -> Assistant:
    """Starts an action server and a Rasa server. With `action_port`, only the Rasa server, calling the action
    server (or fake) already listening there. `model`: another trained model (the benchmark's floor bot)."""
    model = model or MODEL
    if not model.exists():
        raise FileNotFoundError(f"{model} is missing: run `make train` first")
    start_actions = action_port is None
    rasa_port, action_port = free_port(), action_port or free_port()
    env = dict(os.environ)
    env.update(
        {
            "RASA_PORT": str(rasa_port),
            "ACTION_PORT": str(action_port),
            "SANIC_HOST": "127.0.0.1",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "STATE_DIR": str(state_dir),
            "TRACKER_STORE_URL": f"sqlite:///{state_dir}/conversations.db",
        }
    )
    env.update(extra_env or {})
    log_dir = log_dir or state_dir
    assistant = Assistant(rasa_port, action_port, state_dir, env)
    actions: Optional[subprocess.Popen] = None
    if start_actions:
        action_log = open(log_dir / "action-server.log", "wb")
        actions = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
            cwd=REPO, env=env, stdout=action_log, stderr=subprocess.STDOUT,
        )
        assistant.processes.append(actions)
    rasa_log = open(log_dir / "rasa-server.log", "wb")
    rasa = subprocess.Popen(
        [str(VENV_BIN / "rasa"), "run", "--model", str(model), "--interface", "127.0.0.1", "--port", str(rasa_port),
         "--credentials", env.get("CREDENTIALS_FILE", str(REPO / "credentials.yml")),
         "--endpoints", env.get("ENDPOINTS_FILE", str(REPO / "endpoints.yml")),
         # As run.sh does: browsers may call from the widget's page (tests serve it on a free localhost port).
         "--cors", env.get("CORS_ORIGINS", r"^http://localhost:\d+$")],
        cwd=REPO, env=env, stdout=rasa_log, stderr=subprocess.STDOUT,
    )
    assistant.processes.append(rasa)
    try:
        if actions is not None:
            wait_until(lambda: http_json("GET", f"http://127.0.0.1:{action_port}/health", timeout=2)[0] == 200,
                       60, "action server", actions)
        wait_until(lambda: http_json("GET", f"{assistant.url}/", timeout=2)[0] == 200, rasa_ready_timeout,
                   "Rasa server", rasa)
    except Exception:
        assistant.stop()
        raise
    return assistant
