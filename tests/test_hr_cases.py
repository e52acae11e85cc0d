"""actions/hr_cases.py: contacts, opening hours, the hr_cases table (SQLite and PostgreSQL) and the e-mail to HR."""
from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from actions.hr_cases import (
    EMAIL, PHONE, HrCase, SmtpConfig, delete_cases_before, engine_for, opening_hours, parse_contact,
    send_case_email, store_case,
)
from tests.support.databases import database_url  # noqa: F401  (fixture)
from tests.support.smtp import smtp_server


@pytest.mark.parametrize("text,expected", [
    ("kari.nordmann@helse-bergen.no", (EMAIL, "kari.nordmann@helse-bergen.no")),
    ("Send til Ola@Helse-Fonna.NO, takk", (EMAIL, "ola@helse-fonna.no")),
    ("912 34 567", (PHONE, "912 34 567")),
    ("ring +47 91234567", (PHONE, "912 34 567")),
    ("0047 22 33 44 55", (PHONE, "223 34 455")),
    ("tlf 55-97-50-00", (PHONE, "559 75 000")),
    ("på jobb", None),
    ("123", None),
    ("01019012345", None),          # 11 digits: not a phone number
    ("12345678", None),             # Norwegian numbers do not start with 1
])
def test_parse_contact(text: str, expected) -> None:
    assert parse_contact(text) == expected


def test_opening_hours_default_and_configured() -> None:
    assert opening_hours("nb", {}) == "hverdager kl. 08.00–15.30"
    assert opening_hours("nn", {}) == "kvardagar kl. 08.00–15.30"
    assert opening_hours("nb", {"HR_OPENING_HOURS": "man–fre 09–15"}) == "man–fre 09–15"
    assert opening_hours("nn", {"HR_OPENING_HOURS": "man–fre 09–15"}) == "man–fre 09–15"
    assert opening_hours("nn", {"HR_OPENING_HOURS": "x", "HR_OPENING_HOURS_NN": "måndag–fredag"}) == "måndag–fredag"


def test_smtp_config_from_env() -> None:
    assert SmtpConfig.from_env({}) is None
    assert SmtpConfig.from_env({"HR_CASE_EMAIL_TO": "hr@example.no"}) is None
    config = SmtpConfig.from_env({"HR_CASE_EMAIL_TO": "hr@example.no", "SMTP_HOST": "mail", "SMTP_PORT": "2525",
                                  "SMTP_FROM": "bot@example.no", "SMTP_USER": "u", "SMTP_PASSWORD": "p",
                                  "STARTTLS": "true"})
    assert config == SmtpConfig("hr@example.no", "mail", 2525, "bot@example.no", "u", "p", True)


CASE = HrCase("sender-1", "nb", "Ryggskade på jobb. Fnr 15076500565, ring 912 34 567.", EMAIL, "kari@helse-bergen.no")


def test_store_case_creates_the_table_and_masks_the_description(database_url: str) -> None:  # noqa: F811
    first = store_case(database_url, CASE)
    second = store_case(database_url, HrCase("sender-2", "nn", "Spørsmål om gruppeliv", PHONE, "912 34 567"))
    assert second == first + 1
    engine = engine_for(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT * FROM hr_cases ORDER BY id")).mappings().all()
    assert [row["sender_id"] for row in rows] == ["sender-1", "sender-2"]
    row = rows[0]
    assert row["language"] == "nb" and row["status"] == "ny"
    assert row["contact_method"] == "e-post" and row["contact"] == "kari@helse-bergen.no"  # kept: the user consented
    assert row["description"] == "Ryggskade på jobb. Fnr [fødselsnummer], ring [telefon]."
    created = row["created_at"]
    created = datetime.datetime.fromisoformat(created) if isinstance(created, str) else created  # SQLite: text
    created = created if created.tzinfo else created.replace(tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - created).total_seconds()) < 60
    expected = {"id", "created_at", "sender_id", "language", "description", "contact_method", "contact", "status"}
    assert {column["name"] for column in sa.inspect(engine).get_columns("hr_cases")} == expected


def test_delete_cases_before(database_url: str) -> None:  # noqa: F811
    now = datetime.datetime.now(datetime.timezone.utc)
    store_case(database_url, HrCase("old", "nb", "gammel sak", EMAIL, "a@b.no", created_at=now - datetime.timedelta(days=100)))
    store_case(database_url, HrCase("new", "nb", "ny sak", EMAIL, "a@b.no", created_at=now - datetime.timedelta(days=10)))
    engine = engine_for(database_url)
    cutoff = now - datetime.timedelta(days=90)
    assert delete_cases_before(engine, cutoff, dry_run=True) == 1
    assert delete_cases_before(engine, cutoff) == 1
    assert delete_cases_before(engine, cutoff) == 0
    with engine.connect() as connection:
        assert [s for (s,) in connection.execute(sa.text("SELECT sender_id FROM hr_cases"))] == ["new"]


def test_delete_cases_without_a_table_is_a_no_op(tmp_path) -> None:
    assert delete_cases_before(sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}"), datetime.datetime.now()) == 0


def test_case_is_emailed_to_hr() -> None:
    with smtp_server() as mailbox:
        config = SmtpConfig("hr@helse-bergen.no", "127.0.0.1", mailbox.port, "assistent@helse-bergen.no")
        send_case_email(CASE, 42, config)
    assert mailbox.envelopes == [("assistent@helse-bergen.no", ["hr@helse-bergen.no"])]
    message = mailbox.messages[0]
    assert message["Subject"] == "Ny henvendelse fra forsikringsassistenten (sak 42)"
    body = message.get_content()
    assert "kari@helse-bergen.no" in body and "Saksnummer: 42" in body and "Ryggskade på jobb" in body
    assert "15076500565" not in body and "[fødselsnummer]" in body


def test_email_failure_raises(tmp_path) -> None:
    from tests.support.servers import free_port

    with pytest.raises(OSError):
        send_case_email(CASE, 1, SmtpConfig("hr@x.no", "127.0.0.1", free_port()), timeout=2)
