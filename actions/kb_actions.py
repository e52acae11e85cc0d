"""Rasa adapter for the knowledge base: `action_answer_kb`.

Thin on purpose: reads the intent, the `scheme`/`topic` entities (falling back to the `scheme` slot
for follow-ups like "og hvem får pengene?") and the `language` slot, asks actions.knowledge, and
sends the text and buttons. All wording and rules live in actions/knowledge.py and kb/facts.yml.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.payout_inputs import parse
from actions.intent_rules import personal_numbers
from actions.knowledge import (KB_INTENTS, Answer, distinct_schemes, lookup, normalise_scheme, normalise_topic,
                               scheme_in_text, topic_in_text)

logger = logging.getLogger(__name__)


def _latest_entity(tracker: Tracker, entity: str) -> Optional[str]:
    values = [v for v in tracker.get_latest_entity_values(entity) if isinstance(v, str) and v.strip()]
    return values[0] if values else None


# Words around a scheme name in a follow-up ("og gruppeliv?", "kva med fritidsulukke da?", "hva med loven").
_FOLLOW_UP_WORDS = frozenset("og hva kva med enn da så om for i ved etter den det dei de gjelder gjeld samme same "
                             "spørsmål".split())


def follow_up_answer(tracker: Tracker) -> Optional[Answer]:
    """The last brochure question again, about the scheme a short follow-up names; None when it is not one.

    For messages the intent model could not place: "kva med fritidsulukke?" is often `nlu_fallback`.
    """
    text = tracker.latest_message.get("text") or ""
    previous = tracker.get_slot("kb_intent")
    scheme = scheme_in_text(text)
    other_words = [w for w in re.findall(r"\w+", text.lower()) if w not in _FOLLOW_UP_WORDS]
    if previous not in KB_INTENTS or scheme is None or not 1 <= len(other_words) <= 2:
        return None
    language = tracker.get_slot("language") or "nb"
    return lookup(previous, scheme, tracker.get_slot("topic"), language, scheme_from_context=False)


def _states_a_case(text: str) -> bool:
    parsed = parse(text)
    return bool(parsed.scheme or parsed.benefit) and personal_numbers(text)


class ActionAnswerKb(Action):
    def name(self) -> str:
        return "action_answer_kb"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        # The entity extractor misses some spellings ("utrykkingspersonell"): the text itself is the next best
        # source, before the scheme of an earlier turn.
        scheme = _latest_entity(tracker, "scheme")
        if normalise_scheme(scheme) is None:
            scheme = scheme_in_text(text) or scheme
        from_context = scheme is None
        if from_context:
            scheme = tracker.get_slot("scheme")
        topic = _latest_entity(tracker, "topic")
        if intent == "ask_definition" and normalise_topic(topic) is None:
            topic = topic_in_text(text) or topic
        language = tracker.get_slot("language") or "nb"
        if intent == "inform" and _states_a_case(text):
            # Values outside the calculator ("jeg er 50 og har 30 % mén etter en arbeidsulykke"): the user
            # describes their case, so the calculator starts and takes what the message already holds.
            return [FollowupAction("payout_form")]
        if intent == "inform":
            # A scheme alone after a brochure answer ("og gruppeliv?", "kva med fritidsulukke?") asks the same
            # question about that scheme; anything else in `inform` outside the calculator is not understood.
            previous = tracker.get_slot("kb_intent")
            if from_context or previous not in KB_INTENTS or normalise_scheme(scheme) is None:
                return [FollowupAction("action_fallback")]
            intent, topic = previous, topic or tracker.get_slot("topic")
        named = distinct_schemes(tracker.get_latest_entity_values("scheme"))
        if len(named) > 1:  # "forskjellen på yrkesskade og fritidsulykke": each named scheme is answered
            scheme = named
        try:
            answer = lookup(intent, scheme, topic, language, scheme_from_context=from_context, question=text)
        except Exception:  # a broken data file must not leave the user without a reply
            logger.exception("knowledge lookup failed for intent=%r scheme=%r topic=%r", intent, scheme, topic)
            dispatcher.utter_message(response="utter_default")
            return []
        self.send(dispatcher, answer)
        # Only what changed: unchanged slots would be stored again on every question.
        return [SlotSet(name, value) for name, value in
                (("scheme", answer.scheme), ("topic", answer.topic), ("kb_intent", intent))
                if tracker.get_slot(name) != value]

    @staticmethod
    def send(dispatcher: CollectingDispatcher, answer: Answer) -> None:
        buttons = [{"title": b.title, "payload": b.payload} for b in answer.buttons]
        dispatcher.utter_message(text=answer.text, buttons=buttons or None)
