"""The running assistant (endpoints.yml → PrivacyTrackerStore): identifiers a user types never reach the
conversations' database or either server's log file; a confirmed "slett samtalen" removes the conversation."""
from __future__ import annotations

import json
import tarfile
import uuid
from functools import lru_cache
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from tests.support.postgres import temporary_database
from tests.support.servers import MODEL, Assistant, start_assistant

pytestmark = pytest.mark.slow

FNR, PHONE, EMAIL = "15076500565", "912 34 567", "ola.nordmann@helse-bergen.no"
MESSAGE = f"Hei, fødselsnummeret mitt er {FNR}. Ring meg på {PHONE} eller skriv til {EMAIL} om yrkesskade"


@lru_cache(maxsize=1)
def model_intents() -> frozenset[str]:
    with tarfile.open(MODEL) as archive:
        member = archive.extractfile("components/domain_provider/domain.yml")
        domain = yaml.safe_load(member.read()) if member else {}
    return frozenset(i if isinstance(i, str) else next(iter(i)) for i in domain.get("intents", []))


def stored(url: str, sender: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [json.dumps(json.loads(data), ensure_ascii=False) for (data,) in found]
    finally:
        engine.dispose()


def logs(assistant: Assistant) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in (assistant.state_dir / "rasa-server.log", assistant.state_dir / "action-server.log"))


def assert_masked(rows: list[str], log_text: str) -> None:
    assert rows, "the conversation was not stored"
    everything = "\n".join(rows)
    for raw in (FNR, PHONE, "91234567", EMAIL):
        assert raw not in everything, f"{raw!r} reached the database"
        assert raw not in log_text, f"{raw!r} reached a log file"
    assert "[fødselsnummer]" in everything and "[telefon]" in everything and "[e-post]" in everything


def test_identifiers_never_reach_sqlite_or_the_logs(assistant: Assistant) -> None:
    sender = "e2e-privacy-" + uuid.uuid4().hex[:8]
    replies = assistant.ask(sender, MESSAGE)
    assert replies, "the assistant still answers"
    assert all(FNR not in (r.get("text") or "") for r in replies)
    assert_masked(stored(assistant.env["TRACKER_STORE_URL"], sender), logs(assistant))


@pytest.mark.postgres
def test_identifiers_never_reach_postgresql(tmp_path: Path) -> None:
    with temporary_database() as url:
        running = start_assistant(tmp_path, {"TRACKER_STORE_URL": url})
        try:
            sender = "e2e-pg-" + uuid.uuid4().hex[:8]
            assert running.ask(sender, MESSAGE)
            assert_masked(stored(url, sender), logs(running))
        finally:
            running.stop()


def test_forget_me_deletes_the_conversation_and_the_bot_answers_again(assistant: Assistant) -> None:
    if "forget_me" not in model_intents():
        pytest.skip("models/assistant.tar.gz predates the forget_me intent: retrain (make train) to run this")
    url = assistant.env["TRACKER_STORE_URL"]
    sender = "e2e-forget-" + uuid.uuid4().hex[:8]
    assistant.ask(sender, "hva betyr grunnbeløpet for meg med ryggskade")
    question = assistant.ask(sender, "slett samtalen")
    assert any("slett" in (r.get("text") or "").lower() for r in question), question
    done = assistant.ask(sender, "/affirm")
    assert any("slett" in (r.get("text") or "").lower() for r in done), done
    assert not any("ryggskade" in row for row in stored(url, sender))
    again = assistant.ask(sender, "hei")
    assert again and again[0]["text"].startswith("Hei")
    assert not any("ryggskade" in row or "slett samtalen" in row for row in stored(url, sender))
