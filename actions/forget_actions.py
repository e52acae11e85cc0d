"""`action_forget_conversation`: deletes the user's conversation after a yes to utter_ask_forget_confirm.

The deletion itself happens in the tracker store (components/privacy_tracker_store.py), because Rasa would re-insert
rows deleted from here. This action only sets the marker slot `forget_confirmed`, and only after the user confirmed:
deleting cannot be undone.
"""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

CONFIRM_QUESTION = "utter_ask_forget_confirm"
FORGET_SLOT = "forget_confirmed"  # the tracker store's marker (components/privacy_tracker_store.py)


def previous_bot_action(events: list[dict[str, Any]]) -> Optional[str]:
    """The last action before the latest user message, action_listen not counted."""
    seen_user = False
    for event in reversed(events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def confirmed(tracker: Tracker) -> bool:
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent == "affirm" and previous_bot_action(tracker.events) == CONFIRM_QUESTION


class ActionForgetConversation(Action):
    def name(self) -> str:
        return "action_forget_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if not confirmed(tracker):
            dispatcher.utter_message(response=CONFIRM_QUESTION)
            return []
        dispatcher.utter_message(response="utter_forget_done")
        return [SlotSet(FORGET_SLOT, True)]
