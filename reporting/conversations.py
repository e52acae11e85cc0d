"""Stored events → conversations: one conversation is one session of one sender (Rasa's session_started splits)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from reporting.db import StoredEvent

FEEDBACK_INTENT = "answer_feedback"  # the widget's thumbs: a payload, not a message from the user


@dataclass
class Message:
    text: str
    intent: Optional[str]
    timestamp: float
    schemes: set[str] = field(default_factory=set)


@dataclass
class Conversation:
    sender_id: str
    events: list[StoredEvent] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.messages[0].timestamp if self.messages else self.events[0].timestamp

    @property
    def messages(self) -> list[Message]:
        """The user's messages, thumbs payloads left out; each with the schemes it named (entity or slot)."""
        found: list[Message] = []
        for event in self.events:
            data = event.data
            if event.type_name == "user":
                parse = data.get("parse_data") or {}
                intent = (parse.get("intent") or {}).get("name")
                if intent == FEEDBACK_INTENT:
                    continue
                schemes = {str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == "scheme"}
                found.append(Message(data.get("text") or parse.get("text") or "", intent, event.timestamp, schemes))
            elif event.type_name == "slot" and data.get("name") == "scheme" and data.get("value") and found:
                if not found[-1].schemes:  # set by an action in the same turn, not already named by an entity
                    found[-1].schemes.add(str(data["value"]))
        return found

    def slot_values(self, name: str) -> list[Any]:
        return [e.data.get("value") for e in self.events if e.type_name == "slot" and e.data.get("name") == name]

    def actions(self) -> list[str]:
        return [e.data.get("name") for e in self.events if e.type_name == "action"]

    def completed_forms(self) -> list[str]:
        """Forms that ended themselves (every slot in), as opposed to a stop by action_deactivate_loop."""
        done: list[str] = []
        last_action: Optional[str] = None
        for event in self.events:
            if event.type_name == "action":
                last_action = event.data.get("name")
            elif event.type_name == "active_loop" and event.data.get("name") is None and last_action:
                if last_action != "action_deactivate_loop":
                    done.append(last_action)
        return done

    def bot_payloads(self) -> list[str]:
        return [str(button.get("payload")) for e in self.events if e.type_name == "bot"
                for button in ((e.data.get("data") or {}).get("buttons") or [])]


def split_conversations(events: Iterable[StoredEvent]) -> list[Conversation]:
    """Groups by sender and splits at session_started; conversations without a user message are dropped."""
    current: dict[str, Conversation] = {}
    finished: list[Conversation] = []
    for event in events:
        conversation = current.get(event.sender_id)
        if conversation is None or (
            event.type_name == "session_started" and any(e.type_name == "user" for e in conversation.events)
        ):
            if conversation is not None:
                finished.append(conversation)
            conversation = current[event.sender_id] = Conversation(event.sender_id)
        conversation.events.append(event)
    finished.extend(current.values())
    return sorted((c for c in finished if c.messages), key=lambda c: c.start)
