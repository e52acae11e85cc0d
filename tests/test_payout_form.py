"""validate_payout_form and action_calculate_payout against serialized trackers (tests/data/payout_*.json)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.payout_form import PAYOUT_SLOTS, ActionCalculatePayout, ValidatePayoutForm

DATA = Path(__file__).parent / "data"
DOMAIN = yaml.safe_load((Path(__file__).parent.parent / "domain.yml").read_text(encoding="utf-8"))


def tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((DATA / name).read_text(encoding="utf-8")))


async def run(name: str) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ValidatePayoutForm().run(dispatcher, tracker(name), DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m.get("text") or m.get("response") for m in dispatcher.messages]


async def test_all_inputs_in_one_message_asks_nothing() -> None:
    slots, messages = await run("payout_all_inputs.json")
    assert slots["payout_scheme"] == "yrkesskade" and slots["payout_benefit"] == "men"
    assert slots["payout_age"] == 50 and slots["payout_degree"] == 100
    assert slots["requested_slot"] is None and messages == []


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
    slots, _ = await run("payout_bare_number.json")
    assert slots["payout_age"] == 50 and slots["requested_slot"] is None


async def test_survivors_with_children_ages() -> None:
    slots, _ = await run("payout_survivors.json")
    assert slots["payout_survivors"] == "ektefelle,barn" and slots["payout_children_ages"] == [4, 9]
    assert slots["requested_slot"] is None


async def test_button_payload_sets_scheme_and_implied_benefit() -> None:
    slots, _ = await run("payout_button_scheme.json")
    assert slots["payout_scheme"] == "gruppeliv" and slots["payout_benefit"] == "dodsfall"
    assert slots["requested_slot"] == "payout_age"


async def test_stop_fills_nothing_so_the_rules_take_over() -> None:
    slots, messages = await run("payout_stop.json")
    assert set(slots) == {"requested_slot"} and messages == []


async def test_calculate_renders_nynorsk_and_clears_slots() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionCalculatePayout().run(dispatcher, tracker("payout_ready.json"), DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "4,14 G" in text and "Dette er eit overslag." in text
    before = tracker("payout_ready.json").slots
    # Every payout slot ends empty; only those that held a value are reset (fewer stored events).
    assert {e["name"] for e in events} == {s for s in PAYOUT_SLOTS if before.get(s) is not None}
    assert all(e["value"] is None for e in events) and events


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
