"""Handoff to personalavdelingen: `handoff_form` (consent → description → contact), `validate_handoff_form`,
`action_submit_hr_case` and `action_stop_handoff`. The storing and e-mailing live in actions/hr_cases.py.

Never log what the user wrote here: descriptions can hold health details, and contacts are personal data.
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.hr_cases import EMAIL, HrCase, SmtpConfig, opening_hours, parse_contact, send_case_email, store_case

logger = logging.getLogger(__name__)

HANDOFF_SLOTS = ("handoff_consent", "handoff_description", "handoff_contact", "handoff_contact_method")
MIN_DESCRIPTION, MAX_DESCRIPTION = 5, 1000

TEXTS = {
    "nb": {
        "too_short": "Skriv gjerne litt mer, så personalavdelingen vet hva det gjelder (én eller to setninger holder).",
        "no_contact": "Jeg fant ingen e-postadresse eller norsk telefonnummer (8 siffer) i det du skrev. "
                      "Skriv for eksempel «ola.nordmann@helse-bergen.no» eller «912 34 567».",
        "by": {EMAIL: "e-post", "telefon": "telefon"},
    },
    "nn": {
        "too_short": "Skriv gjerne litt meir, så personalavdelinga veit kva det gjeld (ei eller to setningar held).",
        "no_contact": "Eg fann inga e-postadresse eller norsk telefonnummer (8 siffer) i det du skreiv. "
                      "Skriv til dømes «kari.nordmann@helse-bergen.no» eller «912 34 567».",
        "by": {EMAIL: "e-post", "telefon": "telefon"},
    },
}


def language_of(tracker: Tracker) -> str:
    return "nn" if tracker.get_slot("language") == "nn" else "nb"


def database_url(env: Any = os.environ) -> Optional[str]:
    """The conversations' database: the action server has the same environment as the Rasa server."""
    return env.get("TRACKER_STORE_URL") or env.get("DATABASE_URL") or None


def cleared_slots() -> list[EventType]:
    return [SlotSet(name, None) for name in HANDOFF_SLOTS]


class ValidateHandoffForm(FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # "nei" to the consent question ends the form at once; action_submit_hr_case then gives the general advice.
        if tracker.get_slot("handoff_consent") is False:
            return ["handoff_consent"]
        return domain_slots

    def validate_handoff_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"handoff_consent": value if isinstance(value, bool) else None}

    def validate_handoff_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if len(text) < MIN_DESCRIPTION:
            dispatcher.utter_message(text=TEXTS[language_of(tracker)]["too_short"])
            return {"handoff_description": None}
        return {"handoff_description": text[:MAX_DESCRIPTION]}

    def validate_handoff_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        parsed = parse_contact(str(value or ""))
        if parsed is None:
            dispatcher.utter_message(text=TEXTS[language_of(tracker)]["no_contact"])
            return {"handoff_contact": None, "handoff_contact_method": None}
        method, contact = parsed
        return {"handoff_contact": contact, "handoff_contact_method": method}


class ActionSubmitHrCase(Action):
    """After the form: store the HR case (and e-mail it when configured), or give the general advice on "nei"."""

    def name(self) -> str:
        return "action_submit_hr_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        contact, method = tracker.get_slot("handoff_contact"), tracker.get_slot("handoff_contact_method")
        description = tracker.get_slot("handoff_description")
        url = database_url()
        if tracker.get_slot("handoff_consent") is not True or not (contact and method and description):
            dispatcher.utter_message(response="utter_handoff_declined")
            return cleared_slots()
        if url is None:
            logger.error("no database for HR cases: TRACKER_STORE_URL is not set")
            dispatcher.utter_message(response="utter_hr_case_failed")
            return cleared_slots()

        case = HrCase(tracker.sender_id, language, description, method, contact)
        try:
            number = await asyncio.to_thread(store_case, url, case)
        except Exception as error:  # the user must still get a way to HR; only the error's kind is logged
            logger.error("could not store an HR case: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_hr_case_failed")
            return cleared_slots()

        smtp = SmtpConfig.from_env()
        if smtp is not None:
            try:
                await asyncio.to_thread(send_case_email, case, number, smtp)
            except Exception as error:  # the case is stored; HR sees it in hr_cases even without the e-mail
                logger.warning("HR case %d stored, but the e-mail to HR failed: %s", number, type(error).__name__)

        dispatcher.utter_message(
            response="utter_hr_case_created",
            case_number=number,
            contact_by=TEXTS[language]["by"].get(method, method),
            opening_hours=opening_hours(language),
        )
        return cleared_slots()


class ActionStopHandoff(Action):
    """The user said "stopp" inside the form: nothing is sent, and nothing they typed is kept in the slots."""

    def name(self) -> str:
        return "action_stop_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_stopped")
        return cleared_slots()
