"""Rasa adapter for the calculator: validate_payout_form, which also answers when the last input is in.

Thin on purpose: parsing is actions/payout_inputs.py, the rules are actions/payout.py. Every extract_<slot>
reads the latest user text, so one message holding every input is answered with no follow-up question.
The answer comes from the form's own validation call, not from a second action: one action-server round trip
per calculator turn instead of two (BENCHMARKS.md, session 3).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.grunnbelop import g_in_force
from actions.payout import BENEFIT_NAMES, SCHEME_NAMES, benefits_for, calculate, render_text, required_inputs
from actions.payout_inputs import ParsedInputs, parse
from actions.payout_model import (AGE_RANGE, CHILD_AGE_RANGE, COSTS_RANGE, DEGREE_RANGE, SCHEMES, SURVIVORS, InputError,
                                  PayoutInput)

SLOT = {"age": "payout_age", "degree": "payout_degree", "income": "payout_income", "survivors": "payout_survivors",
        "children_ages": "payout_children_ages", "monthly_salary": "payout_monthly_salary", "costs": "payout_costs"}
FORM_SLOTS = ("payout_scheme", "payout_benefit")  # domain.yml, forms: payout_form: required_slots
PAYOUT_SLOTS = [*FORM_SLOTS, *SLOT.values()]
# The form only answers these intents; anything else (stop, deny, a knowledge question) falls to the rules.
FORM_INTENTS = {"inform", "calculate_payout", "affirm", "nlu_fallback", None}
# Yearly income must look like a yearly income: a bare "550" is not silently read as 550 000.
YEARLY_INCOME_RANGE = (10_000, 50_000_000)
MONTHLY_SALARY_RANGE = (1_000, 5_000_000)

# Re-asks, each naming the valid range. {low}/{high} are filled in.
PROBLEMS = {
    "payout_age": ("Alderen må være et helt tall mellom {low} og {high} år.",
                   "Alderen må vere eit heilt tal mellom {low} og {high} år."),
    "payout_degree": ("Graden må være et tall mellom {low} og {high} %.",
                      "Graden må vere eit tal mellom {low} og {high} %."),
    "payout_income": ("Årsinntekten må være et beløp i kroner mellom {low} og {high}, for eksempel 600 000.",
                      "Årsinntekta må vere eit beløp i kroner mellom {low} og {high}, til dømes 600 000."),
    "payout_monthly_salary": ("Månedslønnen må være et beløp i kroner mellom {low} og {high}, for eksempel 50 000.",
                              "Månadsløna må vere eit beløp i kroner mellom {low} og {high}, til dømes 50 000."),
    "payout_costs": ("Utgiftene må være et beløp i kroner mellom {low} og {high}.",
                     "Utgiftene må vere eit beløp i kroner mellom {low} og {high}."),
    "payout_children_ages": ("Oppgi barnas alder som hele tall mellom {low} og {high}, for eksempel «3 og 7».",
                             "Oppgi alderen til borna som heile tal mellom {low} og {high}, til dømes «3 og 7»."),
    "payout_survivors": ("Svar med hvem avdøde etterlater: ektefelle, samboer, barn, andre som ble forsørget, eller ingen.",
                         "Svar med kven avdøde etterlèt: ektefelle, sambuar, barn, andre som vart forsørgde, eller ingen."),
    "payout_scheme": ("Velg ordning: arbeidsulykke (yrkesskade), fritidsulykke, gruppeliv eller tjenestereise.",
                      "Vel ordning: arbeidsulukke (yrkesskade), fritidsulukke, gruppeliv eller tenestereise."),
    "payout_benefit": ("Velg hva du vil regne på: {options}.", "Vel kva du vil rekne på: {options}."),
}
RANGES = {"payout_age": AGE_RANGE, "payout_degree": DEGREE_RANGE, "payout_income": YEARLY_INCOME_RANGE,
          "payout_monthly_salary": MONTHLY_SALARY_RANGE, "payout_costs": COSTS_RANGE,
          "payout_children_ages": CHILD_AGE_RANGE}
NO_NUMBER = ("Jeg fant ikke noe tall i svaret ditt.", "Eg fann ikkje noko tal i svaret ditt.")


def _lang(tracker: Tracker) -> str:
    return "nn" if tracker.get_slot("language") == "nn" else "nb"


def _kr(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _problem(slot: str, tracker: Tracker, **extra: str) -> str:
    low, high = RANGES.get(slot, (0, 0))
    text = PROBLEMS[slot][1 if _lang(tracker) == "nn" else 0]
    return text.format(low=_kr(low), high=_kr(high), **extra)


def _parsed(tracker: Tracker) -> ParsedInputs:
    return parse(tracker.latest_message.get("text") or "")


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    return next(tracker.get_latest_entity_values(name), None)


def _says_something(parsed: ParsedInputs) -> bool:
    """The message answered something else (say, the survivors while the age was asked): not a bad answer."""
    return any(value not in (None, [], False) for value in (
        parsed.scheme, parsed.benefit, parsed.age, parsed.birth_year, parsed.percent, parsed.income, parsed.income_g,
        parsed.monthly_salary, parsed.costs, parsed.survivors, parsed.children_ages, parsed.numbers))


def _survivors(tracker: Tracker) -> tuple[str, ...]:
    value = tracker.get_slot("payout_survivors") or ""
    return tuple(v for v in str(value).split(",") if v)


class ValidatePayoutForm(FormValidationAction):
    def name(self) -> str:
        return "validate_payout_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        unchanged = {name: value for name, value in tracker.slots.items() if name not in PAYOUT_SLOTS}
        events = await super().run(dispatcher, tracker, domain)  # tracker.slots now hold the validated values
        # rasa_sdk sends back every slot set this turn, also those outside the form (language, scheme, topic)
        # with the value the tracker already holds; dropping those changes nothing but the rows stored.
        own = set(PAYOUT_SLOTS) | {REQUESTED_SLOT}
        events = [e for e in events if not (e.get("event") == "slot" and e.get("name") not in own
                                            and unchanged.get(e.get("name")) == e.get("value"))]
        if not await self._complete(dispatcher, tracker, domain):
            return events
        # Every input is in: answer now, empty the slots for the next calculation, and end the form
        # (requested_slot None as the last word ends a Rasa form even with its slots empty).
        answer(dispatcher, tracker)
        events = [e for e in events if not (e.get("event") == "slot" and e.get("name") == REQUESTED_SLOT)]
        return events + emptied_payout_slots(tracker) + [SlotSet(REQUESTED_SLOT, None)]

    async def _complete(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> bool:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return all(tracker.get_slot(slot) is not None for slot in required)

    def domain_slots(self, domain: DomainDict) -> list[str]:
        # The form's slots in domain.yml (a test keeps the two equal): Rasa sends this action no domain.
        return list(FORM_SLOTS)

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        scheme, benefit = tracker.get_slot("payout_scheme"), tracker.get_slot("payout_benefit")
        slots = ["payout_scheme", "payout_benefit"]
        if scheme in SCHEMES and benefit in benefits_for(scheme):
            slots += [SLOT[name] for name in required_inputs(scheme, benefit, _survivors(tracker))]
        # Keep values the user already gave (say, the age before the scheme was known) instead of dropping them.
        return slots + [s for s in PAYOUT_SLOTS if s not in slots and tracker.get_slot(s) is not None]

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        """Extract every payout slot, not only the required ones: a first message can hold them all."""
        if tracker.latest_message.get("intent", {}).get("name") not in FORM_INTENTS:
            return []
        found: dict[str, Any] = {}
        for slot in PAYOUT_SLOTS:
            found.update(await getattr(self, f"extract_{slot}")(dispatcher, tracker, domain))
            tracker.slots.update(found)
        return [SlotSet(slot, value) for slot, value in found.items()]

    # --- extraction: the latest message, with a bare number going to the slot that was asked for ---------
    def _bare(self, slot: str, tracker: Tracker, parsed: ParsedInputs) -> Optional[float]:
        if tracker.get_slot(REQUESTED_SLOT) == slot and parsed.numbers:
            return parsed.numbers[0]
        return None

    def _value(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if value is not None:
            return {slot: value}
        if tracker.get_slot(REQUESTED_SLOT) == slot and slot in RANGES and not _says_something(_parsed(tracker)):
            # Text where a number belongs: say so and name the range; None keeps the form asking.
            dispatcher.utter_message(text=f"{NO_NUMBER[_lang(tracker) == 'nn']} {_problem(slot, tracker)}")
            return {slot: None}
        return {}

    async def extract_payout_scheme(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        value = _parsed(tracker).scheme or _entity(tracker, "scheme")
        return {"payout_scheme": value} if value else {}

    async def extract_payout_benefit(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        value = _parsed(tracker).benefit
        topic = _entity(tracker, "topic")
        if value is None and topic in ("men", "ervervsuforhet", "dodsfall", "behandlingsutgifter", "begravelse"):
            value = "dodsfall" if topic == "begravelse" else topic
        return {"payout_benefit": value} if value else {}

    async def extract_payout_age(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        value = parsed.age
        if value is None and parsed.birth_year:
            value = date.today().year - parsed.birth_year  # approximate: the birthday may not have passed yet
        if value is None:
            value = self._bare("payout_age", tracker, parsed)
        return self._value("payout_age", value, dispatcher, tracker)

    async def extract_payout_degree(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        value = parsed.percent if parsed.percent is not None else self._bare("payout_degree", tracker, parsed)
        return self._value("payout_degree", value, dispatcher, tracker)

    async def extract_payout_income(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        value = parsed.income
        if value is None and parsed.income_g is not None:
            value = parsed.income_g * g_in_force().amount
        if value is None and tracker.get_slot(REQUESTED_SLOT) == "payout_income" and parsed.costs is not None:
            value = parsed.costs
        if value is None:
            value = self._bare("payout_income", tracker, parsed)
        if value is not None and parsed.income_from_monthly:
            lang = _lang(tracker)
            text = (f"Jeg regner månedslønn {_kr(parsed.monthly_salary or 0)} kr × 12 = {_kr(value)} kr i året."
                    if lang == "nb" else
                    f"Eg reknar månadsløn {_kr(parsed.monthly_salary or 0)} kr × 12 = {_kr(value)} kr i året.")
            dispatcher.utter_message(text=text)
        return self._value("payout_income", value, dispatcher, tracker)

    async def extract_payout_survivors(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        if not parsed.survivors:
            return {}
        merged = list(_survivors(tracker)) if tracker.get_slot(REQUESTED_SLOT) != "payout_survivors" else []
        merged += [s for s in parsed.survivors if s not in merged]
        if "ingen" in merged and len(merged) > 1:
            merged.remove("ingen")
        return {"payout_survivors": ",".join(merged)}

    async def extract_payout_children_ages(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                           domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        ages: Optional[list[float]] = list(parsed.children_ages) or None
        if ages is None and tracker.get_slot(REQUESTED_SLOT) == "payout_children_ages" and parsed.numbers:
            ages = parsed.numbers + ([parsed.age] if parsed.age is not None else [])
        return self._value("payout_children_ages", ages, dispatcher, tracker)

    async def extract_payout_monthly_salary(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                            domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        value = parsed.monthly_salary
        if value is None and tracker.get_slot(REQUESTED_SLOT) == "payout_monthly_salary":
            value = parsed.income if parsed.income is not None else self._bare("payout_monthly_salary", tracker, parsed)
        return self._value("payout_monthly_salary", value, dispatcher, tracker)

    async def extract_payout_costs(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        parsed = _parsed(tracker)
        value = parsed.costs
        if value is None and tracker.get_slot(REQUESTED_SLOT) == "payout_costs":
            value = parsed.income if parsed.income is not None else self._bare("payout_costs", tracker, parsed)
        return self._value("payout_costs", value, dispatcher, tracker)

    # --- validation: out of range → say the range and ask again; never a silent guess -------------------
    def _number(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                whole: bool = False) -> dict[str, Any]:
        if value is None:
            return {slot: None}
        low, high = RANGES[slot]
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not low <= number <= high or (whole and number != int(number)):
            dispatcher.utter_message(text=_problem(slot, tracker))
            return {slot: None}
        return {slot: number}

    def validate_payout_scheme(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        if value not in SCHEMES:
            dispatcher.utter_message(text=_problem("payout_scheme", tracker))
            return {"payout_scheme": None}
        result: dict[str, Any] = {"payout_scheme": value}
        allowed = benefits_for(value)
        benefit = tracker.get_slot("payout_benefit")
        if len(allowed) == 1 or (value in ("tjenestereise", "utrykning") and benefit not in allowed):
            result["payout_benefit"] = allowed[0]
        if value == "gruppeliv" and benefit not in (None, "dodsfall"):
            lang = _lang(tracker)
            dispatcher.utter_message(text="Gruppelivsforsikringen betaler bare ved dødsfall, så jeg regner på det."
                                     if lang == "nb" else
                                     "Gruppelivsforsikringa betaler berre ved dødsfall, så eg reknar på det.")
        return result

    def validate_payout_benefit(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> dict[str, Any]:
        scheme = tracker.get_slot("payout_scheme")
        allowed = benefits_for(scheme) if scheme in SCHEMES else ("men", "ervervsuforhet", "dodsfall",
                                                                 "behandlingsutgifter", "reise")
        if value in allowed:
            return {"payout_benefit": value}
        if len(allowed) == 1:
            return {"payout_benefit": allowed[0]}
        lang = _lang(tracker)
        options = ", ".join(BENEFIT_NAMES[b][lang] for b in allowed)
        dispatcher.utter_message(text=_problem("payout_benefit", tracker, options=options))
        return {"payout_benefit": None}

    def validate_payout_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        return self._number("payout_age", value, dispatcher, tracker, whole=True)

    def validate_payout_degree(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        return self._number("payout_degree", value, dispatcher, tracker)

    def validate_payout_income(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        return self._number("payout_income", value, dispatcher, tracker)

    def validate_payout_monthly_salary(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        return self._number("payout_monthly_salary", value, dispatcher, tracker)

    def validate_payout_costs(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        return self._number("payout_costs", value, dispatcher, tracker)

    def validate_payout_survivors(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        names = [v for v in str(value or "").split(",") if v]
        if not names or any(n not in SURVIVORS for n in names):
            if value is not None:
                dispatcher.utter_message(text=_problem("payout_survivors", tracker))
            return {"payout_survivors": None}
        return {"payout_survivors": ",".join(names)}

    def validate_payout_children_ages(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> dict[str, Any]:
        if value is None:
            return {"payout_children_ages": None}
        low, high = CHILD_AGE_RANGE
        ages = value if isinstance(value, list) else [value]
        try:
            numbers = [float(a) for a in ages]
        except (TypeError, ValueError):
            numbers = []
        if not numbers or any(not low <= a <= high or a != int(a) for a in numbers):
            dispatcher.utter_message(text=_problem("payout_children_ages", tracker))
            return {"payout_children_ages": None}
        return {"payout_children_ages": [int(a) for a in numbers]}


def answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The breakdown of the filled payout slots, in the user's written standard."""
    lang = _lang(tracker)

    def number(slot: str) -> Optional[float]:
        value = tracker.get_slot(slot)
        return None if value is None else float(value)

    age = number("payout_age")
    inp = PayoutInput(scheme=tracker.get_slot("payout_scheme") or "", benefit=tracker.get_slot("payout_benefit") or "",
                      age=None if age is None else int(age), degree=number("payout_degree"),
                      income=number("payout_income"), survivors=_survivors(tracker),
                      children_ages=tuple(int(a) for a in tracker.get_slot("payout_children_ages") or []),
                      monthly_salary=number("payout_monthly_salary"), costs=number("payout_costs"))
    try:
        dispatcher.utter_message(text=render_text(calculate(inp), lang))
    except InputError as error:
        intro = "Jeg kunne ikke regne ut dette:" if lang == "nb" else "Eg kunne ikkje rekne ut dette:"
        dispatcher.utter_message(text=f"{intro} {error.nb}")
    except LookupError:
        dispatcher.utter_message(response="utter_default")


def emptied_payout_slots(tracker: Tracker) -> list[EventType]:
    """Events that empty every payout slot holding a value, so the next calculation starts afresh."""
    return [SlotSet(slot, None) for slot in PAYOUT_SLOTS if tracker.get_slot(slot) is not None]


class ActionStopPayout(Action):
    """The user stopped the calculator: say so, and empty what they had given, so the next calculation starts afresh."""

    def name(self) -> str:
        return "action_stop_payout"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        dispatcher.utter_message(response="utter_form_stopped")
        return emptied_payout_slots(tracker)


__all__ = ["ValidatePayoutForm", "ActionStopPayout", "PAYOUT_SLOTS", "SCHEME_NAMES", "answer"]
