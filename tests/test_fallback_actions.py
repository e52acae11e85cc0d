"""action_fallback: passage answer when one passage matches strongly, else rephrase, then contact."""
from __future__ import annotations

from actions.fallback_actions import ActionFallback, consecutive_misses


async def run(tracker, dispatcher) -> list[dict]:
    await ActionFallback().run(dispatcher, tracker, {})
    return dispatcher.messages


async def test_first_miss_offers_the_likeliest_topics(tracker_from, dispatcher) -> None:
    [message] = await run(tracker_from("fallback_first_miss.json"), dispatcher)
    assert "forstod jeg ikke" in message["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    # nlu_fallback, greet and out_of_scope are not offered; best three topics in ranking order
    assert payloads == ["/ask_tax", "/ask_claim_steps", "/ask_insurer"]


async def test_first_miss_in_nynorsk(tracker_from, dispatcher) -> None:
    [message] = await run(tracker_from("fallback_first_miss_nn.json"), dispatcher)
    assert "forstod eg ikkje" in message["text"]
    assert message["buttons"][0]["title"] == "Skatt"


async def test_second_miss_in_a_row_offers_personalavdelingen(tracker_from, dispatcher) -> None:
    tracker = tracker_from("fallback_second_miss.json")
    assert consecutive_misses(tracker) == 2
    [message] = await run(tracker, dispatcher)
    assert "Personalavdelingen" in message["text"]
    assert {"title": "Snakk med personalavdelingen", "payload": "/human_handoff"} in message["buttons"]


async def test_a_miss_after_an_understood_message_counts_as_first(tracker_from) -> None:
    assert consecutive_misses(tracker_from("fallback_first_miss.json")) == 1


async def test_strong_passage_is_answered_with_its_source(tracker_from, dispatcher) -> None:
    [message] = await run(tracker_from("fallback_passage.json"), dispatcher)
    assert "ikke helt sikker" in message["text"]
    assert "innberettet som lønn" in message["text"]
    assert "«Hva med skatt?»" in message["text"]


def _after_an_answer(tracker_from, text: str):
    tracker = tracker_from("fallback_first_miss_nn.json")
    tracker.latest_message["text"] = text
    tracker.slots.update({"kb_intent": "ask_who_covered", "scheme": "gruppeliv", "language": "nn"})
    return tracker


async def test_a_short_follow_up_naming_a_scheme_gets_the_last_answer_for_it(tracker_from, dispatcher) -> None:
    tracker = _after_an_answer(tracker_from, "kva med fritidsulukke da?")
    events = await ActionFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    assert "fritidsulukke" in message["text"].lower() and "Kjelde:" in message["text"]
    assert events == [{"event": "slot", "name": "scheme", "value": "fritidsulykke", "timestamp": None}]


async def test_a_longer_question_naming_a_scheme_is_not_taken_for_a_follow_up(tracker_from, dispatcher) -> None:
    [message] = await run(_after_an_answer(tracker_from, "dekkjer gruppelivet sjukdom og kreft?"), dispatcher)
    assert "forstod eg ikkje" in message["text"]
