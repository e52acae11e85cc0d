"""components.reply_guard and the REST channel's body checks, without a running assistant."""
from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from components import reply_guard
from components.rest_channel import MAX_MESSAGE_CHARS, BadRequest, clean_text, parse_body

REPO = Path(__file__).resolve().parents[1]


def test_error_text_is_utter_default_of_the_domain() -> None:
    variants = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))["responses"]["utter_default"]
    by_language = {("nn" if v.get("condition") else "nb"): v["text"] for v in variants}
    assert by_language == reply_guard.ERROR_TEXT


def test_the_action_server_timeout_is_lowered_from_rasas_five_minutes() -> None:
    import rasa.core.actions.action as rasa_action

    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == reply_guard.action_timeout() < reply_guard.reply_deadline() < 10


def _message(text: str, sender: str = "u1") -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), sender)


async def test_a_good_turn_is_left_alone() -> None:
    async def handle(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "svar")

    message = _message("hei")
    await reply_guard.guard(handle)(message)
    assert [m["text"] for m in message.output_channel.messages] == ["svar"]


async def test_a_failed_action_gets_the_error_reply_in_nynorsk() -> None:
    async def handle(message: UserMessage) -> None:
        # What MessageProcessor._run_action logs before it carries on without a reply.
        logging.getLogger("rasa.core.processor").error(
            "Encountered an exception while running action 'action_answer_kb'.Bot will continue")

    message = _message("kva får eg utbetalt?")
    await reply_guard.guard(handle)(message)
    assert [m["text"] for m in message.output_channel.messages] == [reply_guard.ERROR_TEXT["nn"]]


async def test_a_failing_store_gets_the_error_reply_not_an_exception() -> None:
    async def handle(message: UserMessage) -> None:
        raise ConnectionError("database is down")

    message = _message("hva er G?")
    await reply_guard.guard(handle)(message)
    assert [m["text"] for m in message.output_channel.messages] == [reply_guard.ERROR_TEXT["nb"]]


async def test_past_the_deadline_the_user_is_answered_and_the_turn_still_finishes(monkeypatch) -> None:
    monkeypatch.setenv("REPLY_DEADLINE_SECONDS", "0.05")
    finished = asyncio.Event()

    async def handle(message: UserMessage) -> None:
        await asyncio.sleep(0.2)
        finished.set()

    message = _message("hei")
    await reply_guard.guard(handle)(message)
    assert [m["text"] for m in message.output_channel.messages] == [reply_guard.ERROR_TEXT["nb"]]
    await asyncio.wait_for(finished.wait(), timeout=5)  # shielded: the turn was not cancelled


def _body(**fields) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    "raw, code, status",
    [
        (b"not json", "invalid_json", 400),
        (b"\xff\xfe{}", "invalid_json", 400),
        (b"[1, 2]", "invalid_json", 400),
        (b"", "invalid_json", 400),
        (_body(message="hei"), "invalid_sender", 400),
        (_body(sender="", message="hei"), "invalid_sender", 400),
        (_body(sender=12, message="hei"), "invalid_sender", 400),
        (_body(sender="x" * 201, message="hei"), "invalid_sender", 400),
        (_body(sender="a\nb", message="hei"), "invalid_sender", 400),
        (_body(sender="a"), "invalid_message", 400),
        (_body(sender="a", message=["hei"]), "invalid_message", 400),
        (_body(sender="a", message="hei", metadata="x"), "invalid_metadata", 400),
        (_body(sender="a", message="hei", input_channel=3), "invalid_input_channel", 400),
        (_body(sender="a", message="x" * (MAX_MESSAGE_CHARS + 1)), "message_too_long", 413),
    ],
)
def test_bad_bodies_are_refused_with_a_reason(raw: bytes, code: str, status: int) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_body(raw)
    assert (refused.value.code, refused.value.status) == (code, status)


def test_a_good_body_is_accepted_and_its_text_cleaned() -> None:
    fields = parse_body(_body(sender="s-1", message="hei\x00 der\ud800", metadata={"k": 1}))
    assert fields == {"sender": "s-1", "message": "hei der\ufffd", "metadata": {"k": 1}, "input_channel": None}
    assert parse_body(_body(sender="s", message="x" * MAX_MESSAGE_CHARS))["message"] == "x" * MAX_MESSAGE_CHARS


def test_clean_text_keeps_newlines_tabs_and_norwegian_letters() -> None:
    assert clean_text("æøå ÆØÅ\n\tslutt\x07") == "æøå ÆØÅ\n\tslutt"


async def test_a_tracker_store_error_ends_the_turn_instead_of_an_empty_tracker_in_memory() -> None:
    from types import SimpleNamespace

    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    class BrokenStore(InMemoryTrackerStore):
        async def retrieve(self, sender_id: str):
            raise ConnectionError("database is down")

    store = FailSafeTrackerStore(BrokenStore(Domain.empty()))
    assert await store.retrieve("u1") is None  # Rasa's default: carry on as a new conversation
    reply_guard.fail_closed_tracker_store(SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store))))
    with pytest.raises(reply_guard.TrackerStoreUnavailable):
        await store.retrieve("u1")
