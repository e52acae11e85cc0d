"""validate_handoff_form, action_submit_hr_case, action_stop_handoff and action_forget_conversation against
serialized trackers (tests/data/handoff_*.json), as in RasaHQ/financial-demo."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forget_actions import ActionForgetConversation
from actions.handoff_actions import HANDOFF_SLOTS, ActionStopHandoff, ActionSubmitHrCase, ValidateHandoffForm
from tests.support.databases import database_url  # noqa: F401  (fixture)
from tests.support.smtp import smtp_server

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
DOMAIN = yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))


def tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((DATA / name).read_text(encoding="utf-8")))


async def validate(name: str) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateHandoffForm().run(dispatcher, tracker(name), DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m.get("text") or m.get("response") for m in dispatcher.messages]


async def test_yes_to_consent_lets_the_form_ask_for_the_description() -> None:
    slots, messages = await validate("handoff_consent_yes.json")
    assert slots == {"handoff_consent": True} and messages == []  # Rasa's form asks the next slot itself


async def test_no_to_consent_ends_the_form() -> None:
    slots, messages = await validate("handoff_consent_no_nn.json")
    assert slots == {"handoff_consent": False, "requested_slot": None} and messages == []


async def test_a_too_short_description_is_asked_again() -> None:
    slots, messages = await validate("handoff_description_short.json")
    assert slots == {"handoff_description": None}
    assert messages and "litt mer" in messages[0]


async def test_description_is_kept_with_spaces_folded() -> None:
    slots, _ = await validate("handoff_description.json")
    assert slots["handoff_description"] == "Jeg skadet ryggen på jobb i mars og lurer på om det er yrkesskade."


@pytest.mark.parametrize("fixture,contact,method", [
    ("handoff_contact_email.json", "kari.nordmann@helse-bergen.no", "e-post"),
    ("handoff_contact_phone_nn.json", "912 34 567", "telefon"),
])
async def test_contact_is_parsed(fixture: str, contact: str, method: str) -> None:
    slots, messages = await validate(fixture)
    assert slots == {"handoff_contact": contact, "handoff_contact_method": method} and messages == []


async def test_no_contact_in_the_answer_is_asked_again() -> None:
    slots, messages = await validate("handoff_contact_invalid.json")
    assert slots == {"handoff_contact": None, "handoff_contact_method": None}
    assert "e-postadresse eller norsk telefonnummer" in messages[0]


def test_domain_declares_the_form_and_its_questions() -> None:
    assert DOMAIN["forms"]["handoff_form"]["required_slots"] == ["handoff_consent", "handoff_description", "handoff_contact"]
    for name in ("utter_ask_handoff_consent", "utter_ask_handoff_description", "utter_ask_handoff_contact",
                 "utter_hr_case_created", "utter_hr_case_failed", "utter_handoff_declined", "utter_handoff_stopped",
                 "utter_ask_forget_confirm", "utter_forget_done", "utter_forget_cancelled"):
        variations = DOMAIN["responses"][name]
        assert any(v.get("condition") == [{"type": "slot", "name": "language", "value": "nn"}] for v in variations), name
    created = DOMAIN["responses"]["utter_hr_case_created"]
    assert all("{case_number}" in v["text"] and "{opening_hours}" in v["text"] for v in created)


async def submit(name: str, monkeypatch: pytest.MonkeyPatch, url: str | None, env: dict[str, str] = {}):
    for key in ("TRACKER_STORE_URL", "DATABASE_URL", "HR_CASE_EMAIL_TO", "SMTP_HOST", "HR_OPENING_HOURS"):
        monkeypatch.delenv(key, raising=False)
    if url:
        monkeypatch.setenv("TRACKER_STORE_URL", url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitHrCase().run(dispatcher, tracker(name), DOMAIN)
    return events, dispatcher.messages


def cleared(events: list[dict]) -> bool:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {name: None for name in HANDOFF_SLOTS}


async def test_submit_stores_the_case_emails_hr_and_tells_what_happens_next(
    database_url: str, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    with smtp_server() as mailbox:
        events, messages = await submit("handoff_submit.json", monkeypatch, database_url, {
            "HR_CASE_EMAIL_TO": "hr@helse-bergen.no", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port)})
    assert messages[0]["response"] == "utter_hr_case_created"
    assert messages[0]["case_number"] == 1 and messages[0]["contact_by"] == "e-post"
    assert messages[0]["opening_hours"] == "hverdager kl. 08.00–15.30"
    assert cleared(events)
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT * FROM hr_cases")).mappings().one()
    engine.dispose()
    assert row["sender_id"] == "test-handoff" and row["contact"] == "kari@helse-bergen.no"
    assert row["description"].startswith("Jeg skadet ryggen") and row["status"] == "ny"
    assert len(mailbox.messages) == 1 and "(sak 1)" in mailbox.messages[0]["Subject"]


async def test_submit_in_nynorsk_with_phone_and_configured_hours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    _, messages = await submit("handoff_submit_nn_phone.json", monkeypatch, url, {"HR_OPENING_HOURS_NN": "måndag–fredag 9–15"})
    assert messages[0]["contact_by"] == "telefon" and messages[0]["opening_hours"] == "måndag–fredag 9–15"


async def test_submit_without_email_config_still_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, messages = await submit("handoff_submit.json", monkeypatch, f"sqlite:///{tmp_path / 'c.db'}")
    assert messages[0]["response"] == "utter_hr_case_created"


async def test_email_failure_keeps_the_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.servers import free_port

    _, messages = await submit("handoff_submit.json", monkeypatch, f"sqlite:///{tmp_path / 'c.db'}",
                               {"HR_CASE_EMAIL_TO": "hr@x.no", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(free_port())})
    assert messages[0]["response"] == "utter_hr_case_created"


async def test_declined_gives_the_general_advice_and_stores_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.db"
    events, messages = await submit("handoff_submit_declined.json", monkeypatch, f"sqlite:///{db}")
    assert [m["response"] for m in messages] == ["utter_handoff_declined"] and cleared(events)
    assert not db.exists()


async def test_database_failure_gives_the_way_to_hr(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    events, messages = await submit("handoff_submit.json", monkeypatch, "sqlite:////nonexistent/dir/c.db")
    assert [m["response"] for m in messages] == ["utter_hr_case_failed"] and cleared(events)
    assert "kari@helse-bergen.no" not in caplog.text and "ryggen" not in caplog.text


async def test_no_database_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    _, messages = await submit("handoff_submit.json", monkeypatch, None)
    assert [m["response"] for m in messages] == ["utter_hr_case_failed"]


async def test_stop_clears_what_was_typed() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionStopHandoff().run(dispatcher, tracker("handoff_description.json"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_stopped"] and cleared(events)


async def test_forget_after_yes_sets_the_marker() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionForgetConversation().run(dispatcher, tracker("handoff_forget_confirmed.json"), DOMAIN)
    assert events == [{"event": "slot", "timestamp": None, "name": "forget_confirmed", "value": True}]
    assert [m["response"] for m in dispatcher.messages] == ["utter_forget_done"]


async def test_forget_without_the_question_asks_first() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionForgetConversation().run(dispatcher, tracker("handoff_forget_unconfirmed.json"), DOMAIN)
    assert events == [] and [m["response"] for m in dispatcher.messages] == ["utter_ask_forget_confirm"]
