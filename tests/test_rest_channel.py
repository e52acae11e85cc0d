"""The REST webhook of the running assistant: readiness, greeting, language and persistence."""
from __future__ import annotations

import sqlite3
import uuid

import pytest

from tests.support.servers import http_json

pytestmark = pytest.mark.slow


def test_root_answers(assistant) -> None:
    status, body = http_json("GET", f"{assistant.url}/")
    assert status == 200
    assert "Rasa" in str(body)


def test_greeting_says_what_it_helps_with(assistant) -> None:
    replies = assistant.ask("x-" + uuid.uuid4().hex, "hei")
    text = " ".join(r.get("text", "") for r in replies)
    assert text.startswith("Hei")
    for topic in ("yrkesskade", "fritidsulykke", "gruppeliv", "tjenestereise"):
        assert topic in text
    assert any(r.get("buttons") for r in replies), "greeting offers buttons to start"


def test_http_api_is_off_by_default(assistant) -> None:
    status, _ = http_json("GET", f"{assistant.url}/status")
    assert status in (403, 404), "the Rasa HTTP API (--enable-api) must stay off"


def test_conversation_is_stored_in_the_sqlite_file(assistant) -> None:
    sender = "persist-" + uuid.uuid4().hex
    assistant.ask(sender, "hei")
    with sqlite3.connect(assistant.state_dir / "conversations.db") as db:
        rows = db.execute("SELECT type_name FROM events WHERE sender_id = ?", (sender,)).fetchall()
    kinds = {kind for (kind,) in rows}
    assert {"user", "bot"} <= kinds
