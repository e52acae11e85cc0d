"""`action_fallback`: what the assistant does when the intent model is unsure (intent nlu_fallback).

0. A short follow-up naming a scheme after a brochure answer ("kva med fritidsulukke?"): that answer for it.
1. One brochure passage matches the question strongly: answer with it, cited, saying we are unsure.
2. Otherwise, the first miss: ask to rephrase, offering the likeliest topics as buttons.
3. A second miss in a row: offer contact with personalavdelingen.
Never an amount from a guess: passages are quoted as they stand, with their source.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.intent_titles import likely_choices, title
from actions.kb_actions import ActionAnswerKb, follow_up_answer
from actions.passage_search import best_passage, cite, is_strong

logger = logging.getLogger(__name__)

TEXTS = {
    "nb": {
        "passage": "Jeg er ikke helt sikker på hva du spør om, men dette ser ut til å svare på det.",
        "rephrase": "Beklager, det forstod jeg ikke helt. Kan du si det på en annen måte?",
        "choices": "Beklager, det forstod jeg ikke helt. Mente du noe av dette? Eller si det gjerne på en annen måte.",
        "handoff": "Beklager, jeg forstår fortsatt ikke. Personalavdelingen kan hjelpe deg – vil du kontakte dem?",
    },
    "nn": {
        "passage": "Eg er ikkje heilt sikker på kva du spør om, men dette ser ut til å svare på det.",
        "rephrase": "Orsak, det forstod eg ikkje heilt. Kan du seie det på ein annan måte?",
        "choices": "Orsak, det forstod eg ikkje heilt. Meinte du noko av dette? Eller sei det gjerne på ein annan måte.",
        "handoff": "Orsak, eg forstår framleis ikkje. Personalavdelinga kan hjelpe deg – vil du kontakte dei?",
    },
}


def consecutive_misses(tracker: Tracker) -> int:
    """How many user messages in a row, ending with the latest, the intent model could not place."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != "nlu_fallback":
            break
        misses += 1
    return misses


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = "nn" if tracker.get_slot("language") == "nn" else "nb"
        texts = TEXTS[language]
        question = tracker.latest_message.get("text") or ""
        misses = consecutive_misses(tracker)

        try:
            follow_up = follow_up_answer(tracker)
        except Exception:  # a bonus like the passage search below
            logger.exception("follow-up lookup failed")
            follow_up = None
        if follow_up is not None:
            ActionAnswerKb.send(dispatcher, follow_up)
            return [SlotSet("scheme", follow_up.scheme)] if tracker.get_slot("scheme") != follow_up.scheme else []

        try:
            hit = best_passage(question) if question.strip() else None
        except Exception:  # passage search is a bonus: a failure must not cost the user a reply
            logger.exception("passage search failed")
            hit = None
        if is_strong(hit):
            dispatcher.utter_message(text=f"{texts['passage']}\n{cite(hit, language)}")
            return []

        if misses >= 2:
            dispatcher.utter_message(
                text=texts["handoff"],
                buttons=[
                    {"title": title("human_handoff", language), "payload": "/human_handoff"},
                    {"title": title("bot_capabilities", language), "payload": "/bot_capabilities"},
                ],
            )
            return []

        choices = likely_choices(tracker.latest_message.get("intent_ranking") or [], language)
        if choices:
            dispatcher.utter_message(text=texts["choices"], buttons=choices)
        else:
            dispatcher.utter_message(text=texts["rephrase"])
        return []
