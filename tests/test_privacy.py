"""Masking (actions/privacy.py), log masking, and the PrivacyTrackerStore on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime
import json
import logging
import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

from actions.log_masking import install as install_log_masking
from actions.privacy import EMAIL_MASK, FNR_MASK, PHONE_MASK, is_fodselsnummer, mask_text, mask_value
from tests.support.databases import database_url  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[1]

# --- generators ------------------------------------------------------------------------------------------------


@st.composite
def fodselsnumre(draw: st.DrawFn) -> str:
    """Valid fødselsnummer, D-number (day + 40) or H-number (month + 40), born 1900–2024."""
    born = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2024, 12, 31)))
    individual = draw(st.integers(0, 499)) if born.year < 2000 else draw(st.integers(500, 999))
    if 1900 <= born.year < 2000 and individual >= 500:
        individual = 0
    day, month = born.day, born.month
    kind = draw(st.sampled_from(["f", "d", "h"]))
    day += 40 if kind == "d" else 0
    month += 40 if kind == "h" else 0
    nine = f"{day:02d}{month:02d}{born.year % 100:02d}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(nine)
    assume(first != "10")  # no valid number exists for these nine digits
    second = fodselsnummer.calc_check_digit2(nine + first)
    assume(second != "10")
    number = nine + first + second
    assume(fodselsnummer.is_valid(number))
    return number


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    digits = draw(st.sampled_from("23456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=7)))
    layout = draw(st.sampled_from(["bare", "323", "2222"]))
    body = {"bare": digits, "323": f"{digits[:3]} {digits[3:5]} {digits[5:]}",
            "2222": " ".join(digits[i:i + 2] for i in range(0, 8, 2))}[layout]
    prefix = draw(st.sampled_from(["", "+47 ", "+47", "0047 ", "0047"]))
    if not prefix and layout == "bare":
        # Documented exception: eight bare digits that form a date (DDMMYYYY) stay, so dates are not eaten.
        try:
            datetime.date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
            assume(not 1900 <= int(digits[4:]) <= 2099)
        except ValueError:
            pass
    return prefix + body


WORDS = st.sampled_from(["hei", "mitt", "nummer", "er", "ring", "meg", "på", "eller", "skriv", "til", "takk", "og",
                         "fnr:", "tlf.", "e-post", "(", ")", ",", "kva", "gjeld", "yrkesskade", "50 år", "100 %"])
filler = st.lists(WORDS, max_size=6).map(" ".join)


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text)


# --- masking: properties ---------------------------------------------------------------------------------------


@given(fodselsnumre(), filler, filler, st.sampled_from(["", " ", "-"]))
def test_no_valid_fodselsnummer_survives(number: str, before: str, after: str, separator: str) -> None:
    written = number[:6] + separator + number[6:]
    masked = mask_text(f"{before} {written} {after}")
    assert number not in digits_only(masked) or number in digits_only(before + after)
    assert written not in masked and FNR_MASK in masked


@given(phone_numbers(), filler, filler)
def test_no_phone_number_survives(phone: str, before: str, after: str) -> None:
    masked = mask_text(f"{before} {phone} {after}")
    assert phone not in masked and PHONE_MASK in masked
    assert digits_only(phone)[-8:] not in digits_only(masked)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.emails(), filler, filler)
def test_no_email_survives(email: str, before: str, after: str) -> None:
    masked = mask_text(f"{before} {email} {after}")
    assert email not in masked and "@" not in masked and EMAIL_MASK in masked


@given(st.integers(0, 120), st.integers(0, 100), st.integers(1, 99_999_999))
def test_ordinary_numbers_are_left_alone(age: int, percent: int, amount: int) -> None:
    spaced = f"{amount:,}".replace(",", " ")
    for text in (f"{age} år", f"{percent} %", f"{spaced} kr", f"inntekt {spaced} kroner", f"{amount} kr",
                 f"jeg er {age} år og {percent} % ufør"):
        assert mask_text(text) == text


@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)))
def test_dates_are_left_alone(day: datetime.date) -> None:
    for text in (day.strftime("%d.%m.%Y"), day.isoformat(), f"{day.day}. mai {day.year}", day.strftime("%d%m%Y"),
                 day.strftime("%d/%m/%y")):
        assert mask_text(text) == text


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_eleven_digits_with_wrong_check_digits_are_left_alone(digits: str) -> None:
    assume(not is_fodselsnummer(digits))
    assert mask_text(f"nummer {digits} her") == f"nummer {digits} her"


@given(st.lists(st.one_of(fodselsnumre(), phone_numbers(), WORDS, st.text(alphabet="0123456789 -.,+", max_size=14),
                          st.integers(0, 10**12).map(str)), max_size=8).map(" ".join))
def test_the_eight_digit_shortcut_changes_no_result(text: str) -> None:
    """mask_text skips both number patterns when no 8 digits stand together: it must mask exactly as without."""
    from actions import privacy

    full = privacy._PHONE.sub(privacy._mask_phone, privacy._FNR.sub(privacy._mask_fnr, text))
    assert mask_text(text) == full


def test_a_long_answer_without_identifiers_is_returned_as_it_is() -> None:
    answer = "Sum: 4,14 G ≈ 538 862 kr (G = 130 160 kr fra 1. mai 2025) [2]\n" * 30
    assert mask_text(answer) is answer


# --- masking: examples -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("fnr 15076500565 takk", f"fnr {FNR_MASK} takk"),
    ("150765 00565", FNR_MASK),
    ("ring meg på 912 34 567", f"ring meg på {PHONE_MASK}"),
    ("tlf. +47 22 33 44 55.", f"tlf. {PHONE_MASK}."),
    ("0047 91234567 eller kari@helse-bergen.no", f"{PHONE_MASK} eller {EMAIL_MASK}"),
    ("Ola.Nordmann+hr@helse-fonna.no!", f"{EMAIL_MASK}!"),
    ("50 år, 100 %, 600 000 kr, 130160", "50 år, 100 %, 600 000 kr, 130160"),
    ("20 000 000 kr", "20 000 000 kr"),
    ("1. mai 2025, 01.05.2025", "1. mai 2025, 01.05.2025"),
    ("01019012346", "01019012346"),
    ("8,5 G", "8,5 G"),
])
def test_examples(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def with_check_digits(nine: str) -> str:
    first = fodselsnummer.calc_check_digit1(nine)
    return nine + first + fodselsnummer.calc_check_digit2(nine + first)


def test_d_number_and_test_number_are_masked() -> None:
    d_number = with_check_digits("550765005")  # 15.07.1965 as a D-number (day + 40)
    assert fodselsnummer.is_valid(d_number)
    assert mask_text(f"D-nummer {d_number}") == f"D-nummer {FNR_MASK}"
    tenor = with_check_digits("158765005")  # Tenor's synthetic test numbers: month + 80
    assert not fodselsnummer.is_valid(tenor) and "10" not in tenor[9:]
    assert mask_text(tenor) == FNR_MASK


def test_mask_value_reaches_every_string_but_identifiers() -> None:
    event = {
        "event": "user", "message_id": "91234567aa", "timestamp": 1.0,
        "text": "ring 91234567",
        "parse_data": {"text": "ring 91234567", "entities": [{"entity": "x", "value": "91234567", "start": 5}]},
        "metadata": {"answer": ["kari@example.no"]},
    }
    masked = mask_value(event)
    assert "91234567" not in json.dumps({k: v for k, v in masked.items() if k != "message_id"})
    assert masked["message_id"] == "91234567aa" and masked["parse_data"]["entities"][0]["start"] == 5
    assert masked["metadata"]["answer"] == [EMAIL_MASK]


def test_log_records_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    install_log_masking()
    logger = logging.getLogger("tests.privacy")
    with caplog.at_level(logging.INFO, logger="tests.privacy"):
        logger.info("user said %r", "mitt fnr er 15076500565, tlf 912 34 567")
        try:
            raise ValueError("bad input kari@example.no")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "15076500565" not in text and "912 34 567" not in text and "kari@example.no" not in text
    assert FNR_MASK in text and EMAIL_MASK in text


def test_our_actions_do_not_log_user_text() -> None:
    """A cheap guard: no logging call in actions/ passes the user's text, a slot value or the latest message."""
    suspicious = re.compile(r"log(?:ger|ging)\.\w+\([^)]*(latest_message|get_slot|\.text\b|question|description|contact)")
    offenders = [f"{path.name}:{number}" for path in (REPO / "actions").glob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if suspicious.search(line)]
    assert offenders == []


# --- the tracker store -----------------------------------------------------------------------------------------

RAW = {"fnr": "15076500565", "phone": "912 34 567", "email": "ola.nordmann@helse-bergen.no"}
USER_TEXT = f"Mitt fødselsnummer er {RAW['fnr']}, ring {RAW['phone']} eller skriv til {RAW['email']}"


def make_store(url: str):
    from rasa.shared.core.domain import Domain

    from components.privacy_tracker_store import PrivacyTrackerStore

    return PrivacyTrackerStore(domain=Domain.load(str(REPO / "domain.yml")), host=url)


def conversation_events(text: str = USER_TEXT) -> list:
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    parse = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3},
             "entities": [{"entity": "age", "value": RAW["fnr"], "start": 23, "end": 34}]}
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, parse["intent"], parse["entities"], parse_data=parse, metadata={"note": RAW["email"]}),
        SlotSet("handoff_contact", RAW["email"]),
        SlotSet("handoff_description", f"ring {RAW['phone']}"),
        ActionExecuted("action_fallback"),
        BotUttered(f"Du skrev {RAW['phone']}"),
        ActionExecuted("action_listen"),
    ]


def stored_rows(url: str, sender: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})
            return [data for (data,) in rows]
    finally:
        engine.dispose()


def assert_no_raw_value(text: str) -> None:
    for value in RAW.values():
        assert value not in text, f"{value!r} reached storage"
    assert "912 34 567" not in text and "91234567" not in text


async def test_store_masks_every_string_before_it_is_written(database_url: str) -> None:  # noqa: F811
    from rasa.shared.core.trackers import DialogueStateTracker

    store = make_store(database_url)
    sender = "privacy-" + uuid.uuid4().hex[:8]
    tracker = DialogueStateTracker.from_events(sender, conversation_events(), store.domain.slots)
    await store.save(tracker)

    rows = stored_rows(database_url, sender)
    assert len(rows) >= len(conversation_events())
    readable = "\n".join(json.dumps(json.loads(row), ensure_ascii=False) for row in rows)
    assert_no_raw_value("\n".join(rows) + readable)
    for mask in (FNR_MASK, PHONE_MASK, EMAIL_MASK):
        assert mask in readable
    # The tracker in memory is not touched: the current turn still sees what the user wrote.
    assert tracker.latest_message.text == USER_TEXT

    again = await store.retrieve(sender)
    assert again is not None and FNR_MASK in again.latest_message.text
    assert again.get_slot("handoff_contact") == EMAIL_MASK

    # A second save adds only the new events (Rasa counts stored rows): masking must not confuse the count.
    from rasa.shared.core.events import UserUttered

    tracker.update(UserUttered("50 år og 100 %", {"name": "inform", "confidence": 0.9}))
    await store.save(tracker)
    rows_after = stored_rows(database_url, sender)
    assert len(rows_after) == len(rows) + 1 and "50 år og 100 %" in json.loads(rows_after[-1])["text"]


async def test_forget_deletes_every_event_of_the_sender_and_the_next_message_works(database_url: str) -> None:  # noqa: F811
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = make_store(database_url)
    sender, other = "forget-" + uuid.uuid4().hex[:8], "keep-" + uuid.uuid4().hex[:8]
    old_text = "Jeg har vondt i ryggen etter en skade på jobb"
    for who in (sender, other):
        tracker = DialogueStateTracker.from_events(who, conversation_events(old_text), store.domain.slots)
        await store.save(tracker)
    # A second session for the sender: forgetting must reach all sessions, not only the latest.
    tracker = await store.retrieve(sender)
    tracker.update(SessionStarted())
    tracker.update(UserUttered(old_text + " igjen", {"name": "ask_claim_steps", "confidence": 0.9}))
    await store.save(tracker)

    tracker = await store.retrieve(sender)
    tracker.update(UserUttered("slett samtalen", {"name": "forget_me", "confidence": 0.9}))
    tracker.update(ActionExecuted("utter_ask_forget_confirm"))
    await store.save(tracker)
    tracker = await store.retrieve(sender)
    tracker.update(UserUttered("ja", {"name": "affirm", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_forget_conversation"))
    tracker.update(SlotSet("forget_confirmed", True))
    await store.save(tracker)

    assert stored_rows(database_url, sender) == []
    assert len(stored_rows(database_url, other)) == len(conversation_events())

    fresh = await store.get_or_create_tracker(sender)
    fresh.update(UserUttered("hei", {"name": "greet", "confidence": 0.9}))
    await store.save(fresh)
    rows = stored_rows(database_url, sender)
    assert rows and not any(old_text in row or "slett samtalen" in row for row in rows)
    assert json.loads(rows[-1])["text"] == "hei"


async def test_forget_slot_without_true_does_not_delete(database_url: str) -> None:  # noqa: F811
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    store = make_store(database_url)
    sender = "nodelete-" + uuid.uuid4().hex[:8]
    tracker = DialogueStateTracker.from_events(sender, conversation_events(), store.domain.slots)
    tracker.update(SlotSet("forget_confirmed", None))
    await store.save(tracker)
    assert len(stored_rows(database_url, sender)) == len(conversation_events()) + 1


def test_endpoints_use_the_privacy_store() -> None:
    import yaml

    endpoints = yaml.safe_load((REPO / "endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == "components.privacy_tracker_store.PrivacyTrackerStore"
    assert "url: ${TRACKER_STORE_URL}" in (REPO / "endpoints.yml").read_text(encoding="utf-8")
