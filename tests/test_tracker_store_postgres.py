"""Production mode: conversations in PostgreSQL through DATABASE_URL, surviving a server restart."""
from __future__ import annotations

import uuid

import pytest

from tests.support.postgres import temporary_database
from tests.support.servers import start_assistant

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_conversation_is_kept_in_postgres_across_a_restart(tmp_path) -> None:
    import psycopg2

    with temporary_database() as url:
        sender = "pg-" + uuid.uuid4().hex
        (tmp_path / "a").mkdir()
        first = start_assistant(tmp_path / "a", {"TRACKER_STORE_URL": url})
        try:
            replies = first.ask(sender, "hei")
            assert replies and replies[0]["text"].startswith("Hei")
        finally:
            first.stop()

        with psycopg2.connect(url) as db, db.cursor() as cursor:
            cursor.execute("SELECT type_name FROM events WHERE sender_id = %s ORDER BY id", (sender,))
            kinds = [kind for (kind,) in cursor.fetchall()]
        assert "user" in kinds and "bot" in kinds
        assert not (tmp_path / "a" / "conversations.db").exists(), "with DATABASE_URL nothing goes to SQLite"

        (tmp_path / "b").mkdir()
        second = start_assistant(tmp_path / "b", {"TRACKER_STORE_URL": url})
        try:
            second.ask(sender, "takk")
        finally:
            second.stop()
        with psycopg2.connect(url) as db, db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'", (sender,))
            (user_messages,) = cursor.fetchone()
        assert user_messages == 2, "the restarted server continued the same conversation"
