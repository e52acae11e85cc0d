"""action_record_feedback: stores the widget's thumbs up/down as a slot event and says nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.feedback_actions import ActionRecordFeedback, normalise_rating

REPO = Path(__file__).resolve().parents[1]


def _tracker(rating) -> Tracker:
    entities = [] if rating is None else [{"entity": "rating", "value": rating}]
    latest = {"intent": {"name": "answer_feedback", "confidence": 1.0}, "entities": entities,
              "text": '/answer_feedback{"rating":"%s"}' % rating}
    return Tracker("s1", {"language": "nb"}, latest, [], False, None, {}, "action_listen")


@pytest.mark.parametrize("raw, expected", [("up", "up"), ("down", "down"), (" UP ", "up"), ("meh", None),
                                           ("<img src=x>", None), (None, None), (3, None)])
def test_ratings_are_normalised(raw, expected) -> None:
    assert normalise_rating(raw) == expected


@pytest.mark.parametrize("rating, slot", [("up", "up"), ("down", "down"), ("sideways", None), (None, None)])
async def test_action_sets_the_slot_and_stays_silent(dispatcher, rating, slot) -> None:
    events = await ActionRecordFeedback().run(dispatcher, _tracker(rating), {})
    assert events == [SlotSet("answer_rating", slot)]
    assert dispatcher.messages == []


def test_domain_and_rule_agree() -> None:
    domain = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))
    assert "answer_feedback" in domain["intents"] and "rating" in domain["entities"]
    assert "action_record_feedback" in domain["actions"]
    slot = domain["slots"]["answer_rating"]
    assert slot["type"] == "text" and slot["influence_conversation"] is False
    assert slot["mappings"][0] == {"type": "from_entity", "entity": "rating", "intent": "answer_feedback"}
    rules = yaml.safe_load((REPO / "data/rules/feedback.yml").read_text(encoding="utf-8"))["rules"]
    assert rules[0]["steps"] == [{"intent": "answer_feedback"}, {"action": "action_record_feedback"}]
