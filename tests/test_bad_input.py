"""Bad input on the REST webhook (components/rest_channel.py): a clear Norwegian reply or a 4xx, never a 500,
a crash or a stack trace. Fixed cases first, then property-based fuzzing against the running assistant."""
from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.reply_guard import ERROR_TEXT
from components.rest_channel import ERRORS, MAX_MESSAGE_CHARS
from tests.support.servers import http_json

pytestmark = pytest.mark.slow

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
STACK_TRACE_SIGNS = ("Traceback", 'File "', "Exception", "Error:")


def post(assistant, body: Any) -> tuple[int, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http_json("POST", f"{assistant.url}/webhooks/rest/webhook", raw)


def assert_clear_answer(status: int, body: Any) -> None:
    """200 with at least one bot message, or a 4xx with a Norwegian error; no trace of the server's insides."""
    assert status in (200, 400, 413), f"status {status}: {body}"
    assert not any(sign in json.dumps(body, ensure_ascii=False) for sign in STACK_TRACE_SIGNS), body
    if status == 200:
        assert isinstance(body, list) and body, f"no reply: {body}"
        assert all(isinstance(m, dict) and (m.get("text") or m.get("buttons") or m.get("custom")) for m in body)
    else:
        assert body["error"] in ERRORS and body["message"] == ERRORS[body["error"]]


def texts(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def sender() -> str:
    return "bad-" + uuid.uuid4().hex


@pytest.mark.parametrize("message", ["", "   ", "\n\t "])
def test_an_empty_message_gets_a_prompt_to_write_the_question(assistant, message: str) -> None:
    status, replies = post(assistant, {"sender": sender(), "message": message})
    assert status == 200
    assert "tom melding" in texts(replies)


def test_a_very_long_message_is_refused_with_413_and_the_limit(assistant) -> None:
    status, body = post(assistant, {"sender": sender(), "message": "forsikring " * 2000})
    assert status == 413
    assert body["error"] == "message_too_long" and f"{MAX_MESSAGE_CHARS} tegn" in body["message"]


def test_a_message_at_the_limit_is_answered(assistant) -> None:
    status, replies = post(assistant, {"sender": sender(), "message": ("hva er G? " * 400)[:MAX_MESSAGE_CHARS]})
    assert_clear_answer(status, replies)
    assert status == 200


@pytest.mark.parametrize(
    "raw, error",
    [
        (b'{"sender": "x", "message": "\xff\xfe hei"}', "invalid_json"),
        (b"sender=x&message=hei", "invalid_json"),
        (b'["x", "hei"]', "invalid_json"),
        (b'{"message": "hei"}', "invalid_sender"),
        (b'{"sender": null, "message": "hei"}', "invalid_sender"),
        (b'{"sender": {"id": 1}, "message": "hei"}', "invalid_sender"),
        (b'{"sender": "x", "message": 42}', "invalid_message"),
        (b'{"sender": "x", "message": null}', "invalid_message"),
        (b'{"sender": "x", "message": "hei", "metadata": [1]}', "invalid_metadata"),
    ],
)
def test_a_malformed_body_gets_400_with_the_reason_in_norwegian(assistant, raw: bytes, error: str) -> None:
    status, body = post(assistant, raw)
    assert status == 400 and body["error"] == error
    assert_clear_answer(status, body)


@pytest.mark.parametrize("message", ["😀🙈🔥", "🤷", "👍👍👍👍👍👍👍👍"])
def test_emoji_only_gets_a_reply(assistant, message: str) -> None:
    status, replies = post(assistant, {"sender": sender(), "message": message})
    assert_clear_answer(status, replies)
    assert status == 200


@pytest.mark.parametrize("message", ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>hva er G?",
                                     "<b>hei</b>"])
def test_html_and_script_are_not_echoed(assistant, message: str) -> None:
    status, replies = post(assistant, {"sender": sender(), "message": message})
    assert_clear_answer(status, replies)
    assert "<script" not in json.dumps(replies) and "onerror" not in json.dumps(replies)


def test_sql_looking_text_is_just_text(assistant) -> None:
    who = sender()
    status, replies = post(assistant, {"sender": who, "message": "'; DROP TABLE events; -- hva er G?"})
    assert_clear_answer(status, replies)
    with sqlite3.connect(assistant.state_dir / "conversations.db") as db:
        (stored,) = db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (who,)).fetchone()
    assert stored > 0, "the events table is still there and holds the conversation"


def test_nul_and_lone_surrogates_are_cleaned_not_crashed_on(assistant) -> None:
    raw = b'{"sender": "nul-' + uuid.uuid4().hex.encode() + b'", "message": "hva er G\\u0000?\\ud800"}'
    status, replies = post(assistant, raw)
    assert_clear_answer(status, replies)
    assert status == 200 and texts(replies) not in ERROR_TEXT.values()


# --- property-based: anything a client can send ---------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(assistant, raw: bytes) -> None:
    assert_clear_answer(*post(assistant, raw))


@FUZZ
@given(body=st.dictionaries(st.sampled_from(["sender", "message", "metadata", "input_channel", "x"]),
                            json_values, max_size=5))
def test_fuzz_json_objects_with_any_field_types(assistant, body: dict) -> None:
    assert_clear_answer(*post(assistant, body))


@FUZZ
@given(message=st.text(max_size=400) | st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=50),
       who=st.text(min_size=1, max_size=40))
def test_fuzz_any_text_from_any_sender(assistant, message: str, who: str) -> None:
    status, body = post(assistant, {"sender": who, "message": message})
    assert_clear_answer(status, body)


def test_the_server_log_shows_no_crash(assistant) -> None:
    log = (assistant.state_dir / "rasa-server.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]
