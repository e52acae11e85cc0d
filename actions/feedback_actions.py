"""Rasa adapter for the widget's thumbs up/down: `action_record_feedback`.

The widget sends the hidden payload /answer_feedback{"rating":"up"|"down"} (with the rated answer in the
message metadata). The user event and the `answer_rating` slot event are what HR's report reads from the
tracker store. The action says nothing in the chat on purpose: the widget confirms the click next to the thumbs
("Takk for tilbakemeldingen!", in the page's language) at once, even before the server answers, and a bot
message would push the rated answer up, get thumbs of its own and count as an answer in the report.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

RATINGS = frozenset({"up", "down"})


def normalise_rating(value: Any) -> Optional[str]:
    """'up' or 'down', or None for anything else a hand-made payload might carry."""
    if isinstance(value, str) and value.strip().lower() in RATINGS:
        return value.strip().lower()
    return None


class ActionRecordFeedback(Action):
    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        values = list(tracker.get_latest_entity_values("rating"))
        # The slot mapping has already copied the entity; this keeps only a valid value in the tracker.
        return [SlotSet("answer_rating", normalise_rating(values[0] if values else None))]
