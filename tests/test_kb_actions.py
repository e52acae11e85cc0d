"""action_answer_kb: tracker fixtures in tests/data/kb_*.json, as in RasaHQ/financial-demo."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.kb_actions import ActionAnswerKb

DATA = Path(__file__).parent / "data"


def load_tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((DATA / f"kb_{name}.json").read_text(encoding="utf-8")))


async def run(name: str) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerKb().run(dispatcher, load_tracker(name), domain={})
    return dispatcher.messages, events


def test_name() -> None:
    assert ActionAnswerKb().name() == "action_answer_kb"


@pytest.mark.asyncio
async def test_scheme_entity_answer_and_slots() -> None:
    messages, events = await run("gruppeliv_benefits_nb")
    assert len(messages) == 1
    assert "10 G" in messages[0]["text"] and "«Gruppelivsforsikring»" in messages[0]["text"]
    # topic was already empty: only the slot that changed is sent (and stored)
    assert events == [SlotSet("scheme", "gruppeliv"), SlotSet("kb_intent", "ask_benefits")]


@pytest.mark.asyncio
async def test_follow_up_uses_the_scheme_slot_and_nynorsk() -> None:
    messages, _ = await run("survivors_context_nn")
    text = messages[0]["text"]
    assert "blir utbetalt i denne rekkjefølgja" in text and "Kjelde:" in text


@pytest.mark.asyncio
async def test_unnormalised_entity_value() -> None:
    messages, events = await run("unnormalised_entity")
    assert "Gruppelivsforsikringen gjelder arbeidstakere" in messages[0]["text"]
    assert SlotSet("scheme", "gruppeliv") in events


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["unknown_intent", "no_intent"])
async def test_unknown_intent_gets_the_scheme_list(name: str) -> None:
    messages, events = await run(name)
    assert "Det kan jeg ikke svare på" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == 5
    slots = load_tracker(name).slots
    slots.update({e["name"]: e["value"] for e in events})
    assert slots.get("scheme") is None and slots.get("topic") is None


@pytest.mark.asyncio
async def test_no_scheme_gets_buttons_with_rasa_payloads_in_nynorsk() -> None:
    messages, _ = await run("benefits_no_scheme_nn")
    buttons = messages[0]["buttons"]
    assert {"title": "Fritidsulukkesforsikring", "payload": '/ask_benefits{"scheme":"fritidsulykke"}'} in buttons
    assert "Kva for ei" in messages[0]["text"]


@pytest.mark.asyncio
async def test_definition_with_topic_entity() -> None:
    messages, events = await run("definition_topic")
    assert messages[0]["text"].startswith("Sambuar er")
    assert SlotSet("topic", "samboer") in events


@pytest.mark.asyncio
async def test_new_topic_beats_an_old_scheme_slot() -> None:
    messages, events = await run("topic_overrides_context")
    assert "4,5 G" in messages[0]["text"] and "Yrkesskadeforsikring etter loven" in messages[0]["text"]
    assert SlotSet("scheme", None) in events and SlotSet("topic", "men") in events


@pytest.mark.asyncio
async def test_liability_is_general_information() -> None:
    messages, _ = await run("liability_nb")
    assert "generell informasjon" in messages[0]["text"]


@pytest.mark.asyncio
async def test_broken_data_falls_back_to_utter_default(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise ValueError("facts.yml: facts[3].nb: is missing")

    monkeypatch.setattr("actions.kb_actions.lookup", boom)
    messages, events = await run("gruppeliv_benefits_nb")
    assert messages[0]["response"] == "utter_default" and events == []


@pytest.mark.asyncio
async def test_a_scheme_alone_repeats_the_last_brochure_question_for_that_scheme() -> None:
    messages, events = await run("follow_up_scheme")
    assert messages[0]["text"].startswith("Fritidsulykkesforsikringen dekker") and "«Ulykkesforsikring fritid»" in messages[0]["text"]
    assert events == [SlotSet("scheme", "fritidsulykke")]  # kb_intent stays ask_benefits


@pytest.mark.asyncio
async def test_inform_without_a_scheme_or_an_earlier_answer_goes_to_the_fallback() -> None:
    data = json.loads((DATA / "kb_follow_up_scheme.json").read_text(encoding="utf-8"))
    no_scheme = json.loads(json.dumps(data))
    no_scheme["latest_message"].update(text="50", entities=[])
    no_history = json.loads(json.dumps(data))
    no_history["slots"]["kb_intent"] = None
    for tracker_data in (no_scheme, no_history):
        dispatcher = CollectingDispatcher()
        events = await ActionAnswerKb().run(dispatcher, Tracker.from_dict(tracker_data), domain={})
        assert dispatcher.messages == [] and events == [{"event": "followup", "name": "action_fallback", "timestamp": None}]


@pytest.mark.asyncio
async def test_a_case_stated_outside_the_calculator_starts_it() -> None:
    data = json.loads((DATA / "kb_follow_up_scheme.json").read_text(encoding="utf-8"))
    data["latest_message"].update(text="Jeg er 50 år og har 30 % medisinsk invaliditet etter en arbeidsulykke",
                                  entities=[])
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerKb().run(dispatcher, Tracker.from_dict(data), domain={})
    assert dispatcher.messages == [] and events == [{"event": "followup", "name": "payout_form", "timestamp": None}]


@pytest.mark.asyncio
async def test_a_question_naming_two_schemes_answers_each_of_them() -> None:
    messages, events = await run("two_schemes_nb")
    text = messages[0]["text"]
    for scheme in ("Yrkesskadeforsikring etter loven", "Yrkesskadeforsikring etter overenskomsten",
                   "Fritidsulykkesforsikring"):
        assert f"• {scheme}:" in text
    assert "Gruppelivsforsikring" not in text and "Tjenestereiseforsikring" not in text
    assert "«Ulykkesforsikring fritid»" in text.splitlines()[-1]
    # no single scheme to carry into a follow-up: the old one is cleared
    assert SlotSet("scheme", None) in events and SlotSet("kb_intent", "ask_where_when") in events
