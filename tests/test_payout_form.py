"""validate_payout_form (which also answers) against serialized trackers (tests/data/payout_*.json)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.payout_form import FORM_SLOTS, PAYOUT_SLOTS, ActionStopPayout, ValidatePayoutForm

DATA = Path(__file__).parent / "data"
DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text(encoding="utf-8"))


def tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((DATA / name).read_text(encoding="utf-8")))


async def run_events(name: str) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ValidatePayoutForm().run(dispatcher, tracker(name), DOMAIN)
    return events, [m.get("text") or m.get("response") for m in dispatcher.messages]


async def run(name: str) -> tuple[dict[str, Any], list[str]]:
    """The slots as they stand after the events (a slot set and then emptied ends as None)."""
    events, messages = await run_events(name)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, messages


def values_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Each slot's first value in the events: what the validation accepted before the answer emptied it."""
    found: dict[str, Any] = {}
    for event in events:
        if event["event"] == "slot":
            found.setdefault(event["name"], event["value"])
    return found


async def test_all_inputs_in_one_message_are_answered_at_once() -> None:
    events, messages = await run_events("payout_all_inputs.json")
    accepted = values_set(events)
    assert accepted["payout_scheme"] == "yrkesskade" and accepted["payout_benefit"] == "men"
    assert accepted["payout_age"] == 50 and accepted["payout_degree"] == 100
    assert len(messages) == 1 and "4,14 G" in messages[0] and "anslag" in messages[0]
    # The form ends (requested_slot None is the last word) with every payout slot empty for the next calculation.
    assert events[-1] == {"event": "slot", "name": "requested_slot", "value": None, "timestamp": None}
    final = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert all(final[s] is None for s in ("payout_scheme", "payout_benefit", "payout_age", "payout_degree"))


async def test_missing_input_asks_for_the_scheme() -> None:
    # Nothing extracted and the required slots equal the domain's (scheme, benefit): Rasa's form asks
    # for payout_scheme itself (utter_ask_payout_scheme), so the validator sets nothing.
    slots, messages = await run("payout_missing_input.json")
    assert slots == {} and messages == []
    assert DOMAIN["forms"]["payout_form"]["required_slots"][0] == "payout_scheme"


async def test_partial_message_keeps_what_it_got() -> None:
    slots, _ = await run("payout_partial.json")
    assert slots["payout_scheme"] == "yrkesskade" and slots["payout_age"] == 50
    assert slots["requested_slot"] == "payout_benefit"


@pytest.mark.parametrize("fixture,slot,expected", [
    ("payout_bad_age.json", "payout_age", "mellom 15 og 100 år"),
    ("payout_bad_percent_nn.json", "payout_degree", "Graden må vere eit tal mellom 0 og 100 %"),
    ("payout_negative_income.json", "payout_income", "mellom 10 000 og 50 000 000"),
    ("payout_text_for_number.json", "payout_degree", "fant ikke noe tall"),
])
async def test_bad_input_is_re_asked_with_the_range(fixture: str, slot: str, expected: str) -> None:
    slots, messages = await run(fixture)
    assert slots[slot] is None and slots["requested_slot"] == slot
    assert any(expected in m for m in messages), messages


async def test_bare_number_fills_the_requested_slot() -> None:
    events, messages = await run_events("payout_bare_number.json")
    assert values_set(events)["payout_age"] == 50 and "anslag" in messages[-1]


async def test_survivors_with_children_ages() -> None:
    events, messages = await run_events("payout_survivors.json")
    accepted = values_set(events)
    assert accepted["payout_survivors"] == "ektefelle,barn" and accepted["payout_children_ages"] == [4, 9]
    assert events[-1]["name"] == "requested_slot" and events[-1]["value"] is None and len(messages) == 1


async def test_button_payload_sets_scheme_and_implied_benefit() -> None:
    slots, _ = await run("payout_button_scheme.json")
    assert slots["payout_scheme"] == "gruppeliv" and slots["payout_benefit"] == "dodsfall"
    assert slots["requested_slot"] == "payout_age"


async def test_stop_fills_nothing_so_the_rules_take_over() -> None:
    slots, messages = await run("payout_stop.json")
    assert set(slots) == {"requested_slot"} and messages == []


async def test_last_input_renders_nynorsk_and_clears_slots() -> None:
    # The form had everything but the age; "50" completes it, so the same call answers in Nynorsk.
    data = json.loads((DATA / "payout_ready.json").read_text(encoding="utf-8"))
    data["slots"].update({"payout_age": None, "requested_slot": "payout_age"})
    before = dict(data["slots"], payout_age=50.0)
    dispatcher = CollectingDispatcher()
    events = await ValidatePayoutForm().run(dispatcher, Tracker.from_dict(data), DOMAIN)
    text = dispatcher.messages[-1]["text"]
    assert "4,14 G" in text and "Dette er eit overslag." in text
    cleared = [e["name"] for e in events if e["event"] == "slot" and e["value"] is None and e["name"] in PAYOUT_SLOTS]
    # Only slots that held a value are reset (fewer stored events), and requested_slot None comes last.
    assert set(cleared) == {s for s in PAYOUT_SLOTS if before.get(s) is not None}
    assert events[-1]["name"] == "requested_slot" and events[-1]["value"] is None


async def test_an_incomplete_form_does_not_answer() -> None:
    _, messages = await run("payout_partial.json")
    assert not any("anslag" in m or "overslag" in m for m in messages)


async def test_the_validation_needs_no_domain() -> None:
    # endpoints.yml enables the selective domain and domain.yml sends validate_payout_form none: same result.
    assert list(FORM_SLOTS) == DOMAIN["forms"]["payout_form"]["required_slots"]
    assert {"validate_payout_form": {"send_domain": False}} in DOMAIN["actions"]
    for fixture in ("payout_all_inputs.json", "payout_partial.json", "payout_missing_input.json"):
        with_domain, without = CollectingDispatcher(), CollectingDispatcher()
        expected = await ValidatePayoutForm().run(with_domain, tracker(fixture), DOMAIN)
        assert await ValidatePayoutForm().run(without, tracker(fixture), {}) == expected, fixture
        assert without.messages == with_domain.messages


async def test_stop_says_so_and_empties_what_was_given() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionStopPayout().run(dispatcher, tracker("payout_ready.json"), DOMAIN)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_form_stopped"]
    filled = {s for s in PAYOUT_SLOTS if tracker("payout_ready.json").slots.get(s) is not None}
    assert {e["name"] for e in events} == filled and all(e["value"] is None for e in events) and filled


def test_domain_has_a_question_for_every_payout_slot() -> None:
    for slot in PAYOUT_SLOTS:
        assert f"utter_ask_{slot}" in DOMAIN["responses"], slot
        assert slot in DOMAIN["slots"], slot


async def test_answering_another_question_is_kept_without_a_complaint() -> None:
    # The age was asked, the user gave the survivors: keep them, ask for the age again, no "no number" message.
    slots, messages = await run("payout_other_answer.json")
    assert slots["payout_survivors"] == "ektefelle,barn" and slots["payout_children_ages"] == [4, 9]
    assert slots["requested_slot"] == "payout_age" and messages == []


async def test_slots_outside_the_form_are_not_sent_back_unchanged() -> None:
    # As Rasa hands it over: action_extract_slots set language/scheme this turn, and rasa_sdk would echo them.
    data = json.loads((DATA / "payout_all_inputs.json").read_text(encoding="utf-8"))
    data["slots"].update({"language": "nb", "scheme": "yrkesskade"})
    user_at = max(i for i, e in enumerate(data["events"]) if e["event"] == "user")
    data["events"][user_at + 1:user_at + 1] = [{"event": "slot", "name": "language", "value": "nb"},
                                               {"event": "slot", "name": "scheme", "value": "yrkesskade"}]
    events = await ValidatePayoutForm().run(CollectingDispatcher(), Tracker.from_dict(data), DOMAIN)
    names = [e["name"] for e in events if e["event"] == "slot"]
    assert "language" not in names and "scheme" not in names
    assert {"payout_scheme", "payout_benefit", "payout_age", "payout_degree", "requested_slot"} <= set(names)
