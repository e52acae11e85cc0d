"""Known conversations written through the PrivacyTrackerStore, with chosen timestamps, for report and retention tests."""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parents[2]


def at(day: datetime.date, minute: int = 0) -> float:
    return datetime.datetime.combine(day, datetime.time(10, minute), datetime.timezone.utc).timestamp()


class Seeder:
    """seeder.session(day); seeder.user(...); seeder.action(...); ...; await seeder.save(store) per sender."""

    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.events: list[Any] = []
        self.clock = 0.0

    def _tick(self) -> float:
        self.clock += 1.0
        return self.clock

    def session(self, day: datetime.date) -> "Seeder":
        from rasa.shared.core.events import ActionExecuted, SessionStarted

        self.clock = at(day)
        self.events += [ActionExecuted("action_session_start", timestamp=self._tick()),
                        SessionStarted(timestamp=self._tick()), ActionExecuted("action_listen", timestamp=self._tick())]
        return self

    def user(self, text: str, intent: str, entities: Optional[list[dict]] = None) -> "Seeder":
        from rasa.shared.core.events import UserUttered

        parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
        self.events.append(UserUttered(text, parse["intent"], parse["entities"], parse_data=parse, timestamp=self._tick()))
        return self

    def action(self, name: str, text: Optional[str] = None, buttons: Optional[list[dict]] = None) -> "Seeder":
        from rasa.shared.core.events import ActionExecuted, BotUttered

        self.events.append(ActionExecuted(name, timestamp=self._tick()))
        if text:
            self.events.append(BotUttered(text, {"buttons": buttons} if buttons else {}, timestamp=self._tick()))
        self.events.append(ActionExecuted("action_listen", timestamp=self._tick()))
        return self

    def form(self, name: str, text: str) -> "Seeder":
        """A form that got every input in one message and answered: activated and ended in one turn."""
        from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered

        self.events += [ActionExecuted(name, timestamp=self._tick()), ActiveLoop(name, timestamp=self._tick()),
                        BotUttered(text, {}, timestamp=self._tick()), ActiveLoop(None, timestamp=self._tick()),
                        ActionExecuted("action_listen", timestamp=self._tick())]
        return self

    def slot(self, name: str, value: Any) -> "Seeder":
        from rasa.shared.core.events import SlotSet

        self.events.append(SlotSet(name, value, timestamp=self._tick()))
        return self

    async def save(self, store: Any) -> None:
        from rasa.shared.core.trackers import DialogueStateTracker

        await store.save(DialogueStateTracker.from_events(self.sender, self.events, store.domain.slots))


def make_store(url: str) -> Any:
    from rasa.shared.core.domain import Domain

    from components.privacy_tracker_store import PrivacyTrackerStore

    return PrivacyTrackerStore(domain=Domain.load(str(REPO / "domain.yml")), host=url)
