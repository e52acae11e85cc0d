"""The conversations' database, read without importing Rasa: the `events` table of Rasa's SQL tracker store."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import sqlalchemy as sa

metadata = sa.MetaData()
# Same columns as rasa.core.tracker_store.SQLTrackerStore.SQLEvent (Rasa creates the table).
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def default_url(env: Mapping[str, str] = os.environ) -> str:
    """As scripts/env.sh: TRACKER_STORE_URL, else DATABASE_URL, else the SQLite file in STATE_DIR (.rasa/)."""
    url = env.get("TRACKER_STORE_URL") or env.get("DATABASE_URL")
    if url:
        return re.sub(r"^postgres://", "postgresql://", url)
    state_dir = env.get("STATE_DIR") or os.path.join(os.getcwd(), ".rasa")
    return f"sqlite:///{os.path.join(state_dir, 'conversations.db')}"


def make_engine(url: str) -> sa.engine.Engine:
    return sa.create_engine(url, future=True)


@dataclass(frozen=True)
class StoredEvent:
    sender_id: str
    type_name: str
    timestamp: float
    data: dict[str, Any]


def read_events(engine: sa.engine.Engine) -> Iterator[StoredEvent]:
    """Every stored event in insertion order (the report picks conversations by date itself)."""
    if not sa.inspect(engine).has_table("events"):
        return
    query = sa.select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data).order_by(events.c.id)
    with engine.connect() as connection:
        for sender_id, type_name, timestamp, data in connection.execute(query):
            yield StoredEvent(sender_id, type_name, float(timestamp or 0.0), json.loads(data or "{}"))
