"""`python -m reporting.retention`: old conversations and HR cases go; a current session is never cut in half."""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from actions.hr_cases import EMAIL, HrCase, store_case
from reporting.retention import apply_retention, main
from tests.support.databases import database_url  # noqa: F401  (fixture)
from tests.support.seed import Seeder, make_store

NOW = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.timezone.utc)
OLD, RECENT = (NOW - datetime.timedelta(days=120)).date(), (NOW - datetime.timedelta(days=3)).date()


def rows(url: str, sender: str) -> list[dict]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [json.loads(data) for (data,) in found]
    finally:
        engine.dispose()


async def seed(url: str) -> None:
    store = make_store(url)
    await Seeder("gone").session(OLD).user("gammelt spørsmål", "ask_tax").action("action_answer_kb", "svar").save(store)
    await (Seeder("active").session(OLD).user("gammel økt", "ask_tax").action("action_answer_kb", "svar")
           .session(RECENT).user("ny økt", "ask_benefits").action("action_answer_kb", "svar").save(store))
    await Seeder("recent").session(RECENT).user("nytt", "greet").action("utter_greet", "hei").save(store)
    store_case(url, HrCase("gone", "nb", "gammel sak", EMAIL, "a@b.no", created_at=NOW - datetime.timedelta(days=100)))
    store_case(url, HrCase("recent", "nb", "ny sak", EMAIL, "a@b.no", created_at=NOW - datetime.timedelta(days=2)))


async def test_retention_deletes_old_conversations_and_cases(database_url: str) -> None:  # noqa: F811
    await seed(database_url)
    before = {s: len(rows(database_url, s)) for s in ("gone", "active", "recent")}

    dry = apply_retention(database_url, 90, dry_run=True, now=NOW)
    assert (dry.events, dry.senders, dry.hr_cases) == (before["gone"] + 7, 2, 1)  # "active": its old session, 7 events
    assert "Ville slettet" in dry.describe()
    assert {s: len(rows(database_url, s)) for s in before} == before

    done = apply_retention(database_url, 90, now=NOW)
    assert (done.events, done.senders, done.hr_cases) == (dry.events, dry.senders, dry.hr_cases)
    assert done.describe().startswith(f"Slettet {done.events} hendelser fra 2 samtaler og 1 saker")
    assert rows(database_url, "gone") == []
    assert len(rows(database_url, "recent")) == before["recent"]
    kept = rows(database_url, "active")
    assert [e.get("text") for e in kept if e["event"] == "user"] == ["ny økt"]
    assert apply_retention(database_url, 90, now=NOW).events == 0

    # Rasa's store still continues the active conversation without storing anything twice.
    from rasa.shared.core.events import UserUttered

    store = make_store(database_url)
    tracker = await store.retrieve("active")
    tracker.update(UserUttered("takk", {"name": "thank", "confidence": 0.9}))
    await store.save(tracker)
    assert len(rows(database_url, "active")) == len(kept) + 1


async def test_a_session_that_is_old_as_a_whole_goes(database_url: str) -> None:  # noqa: F811
    await seed(database_url)
    result = apply_retention(database_url, 1, now=NOW)
    assert result.hr_cases == 2 and rows(database_url, "recent") == [] and rows(database_url, "active") == []


def test_cli(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["--database-url", url, "--dry-run"]) == 0
    assert "Ville slettet 0 hendelser fra 0 samtaler og 0 saker" in capsys.readouterr().out
    assert main(["--database-url", url, "--days", "0"]) == 2


def test_module_runs_as_a_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "reporting.retention", "--days", "30", "--database-url",
                             f"sqlite:///{tmp_path / 'x.db'}"], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.returncode == 0 and result.stdout.startswith("Slettet 0 hendelser"), result.stderr[-2000:]
