"""PrivacyTrackerStore counts stored events with its own statement: the same numbers as Rasa's ORM query."""
from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.support.databases import database_url  # noqa: F401  (fixture)
from tests.support.seed import make_store

# A conversation as a list of turns; True starts a new session (Rasa counts only the latest one).
conversations = st.lists(st.lists(st.booleans(), min_size=1, max_size=6), min_size=1, max_size=4)


@pytest.mark.parametrize("database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conversations)
async def test_the_count_matches_rasas_query(database_url: str, senders: list[list[bool]]) -> None:  # noqa: F811
    store = make_store(database_url)
    clock = 0.0
    for number, turns in enumerate(senders):
        sender = f"s{number}-{uuid.uuid4().hex}"
        events = []
        for new_session in turns:
            clock += 1.0
            if new_session:
                events += [ActionExecuted("action_session_start", timestamp=clock), SessionStarted(timestamp=clock)]
            events += [ActionExecuted("action_listen", timestamp=clock),
                       UserUttered("hei", {"name": "greet", "confidence": 1.0}, timestamp=clock)]
            await store.save(DialogueStateTracker.from_events(sender, events, store.domain.slots))
        longer = DialogueStateTracker.from_events(sender, events + [ActionExecuted("utter_greet")], store.domain.slots)
        with store.session_scope() as session:
            ours = list(store._additional_events(session, longer))
            rasas = list(SQLTrackerStore._additional_events(store, session, longer))
        assert ours == rasas and len(ours) >= 1
    store.engine.dispose()
