"""HR cases: what a user asks personalavdelingen to follow up, stored with consent (no Rasa imports).

Table `hr_cases` lives in the conversations' database (TRACKER_STORE_URL) and is created if missing. It is the
only place where a contact address is kept; the conversation events are masked by the tracker store. Optionally
the case is also e-mailed to HR (HR_CASE_EMAIL_TO over SMTP_HOST/SMTP_PORT).
"""
from __future__ import annotations

import datetime
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Mapping, Optional

import sqlalchemy as sa

from actions.privacy import mask_text

STATUS_NEW = "ny"
EMAIL, PHONE = "e-post", "telefon"

metadata = sa.MetaData()
hr_cases = sa.Table(
    "hr_cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("contact_method", sa.String(16), nullable=False),
    sa.Column("contact", sa.String(255), nullable=False),
    sa.Column("status", sa.String(32), nullable=False, default=STATUS_NEW),
)

DEFAULT_OPENING_HOURS = {"nb": "hverdager kl. 08.00–15.30", "nn": "kvardagar kl. 08.00–15.30"}

_EMAIL = re.compile(r"[\w.+'-]+@(?:[\w-]+\.)+[\w-]{2,}")
_PHONE = re.compile(r"(?:(?:\+|00)\s?47[\s-]?)?(?:\d[\s-]?){7}\d")


@dataclass(frozen=True)
class HrCase:
    sender_id: str
    language: str
    description: str
    contact_method: str
    contact: str
    created_at: Optional[datetime.datetime] = None


@dataclass(frozen=True)
class SmtpConfig:
    to: str
    host: str
    port: int = 25
    sender: str = "forsikringsassistenten@localhost"
    user: Optional[str] = None
    password: Optional[str] = None
    starttls: bool = False

    @staticmethod
    def from_env(env: Mapping[str, str] = os.environ) -> Optional["SmtpConfig"]:
        """None unless both HR_CASE_EMAIL_TO and SMTP_HOST are set: e-mail is optional."""
        to, host = env.get("HR_CASE_EMAIL_TO", "").strip(), env.get("SMTP_HOST", "").strip()
        if not to or not host:
            return None
        return SmtpConfig(
            to=to,
            host=host,
            port=int(env.get("SMTP_PORT") or 25),
            sender=env.get("SMTP_FROM") or SmtpConfig.sender,
            user=env.get("SMTP_USER") or None,
            password=env.get("SMTP_PASSWORD") or None,
            starttls=(env.get("STARTTLS") or "").strip().lower() in {"1", "true", "yes", "ja"},
        )


def parse_contact(text: str) -> Optional[tuple[str, str]]:
    """(method, contact) from what the user wrote: an e-mail address, or a Norwegian phone number (8 digits)."""
    email = _EMAIL.search(text or "")
    if email:
        return EMAIL, email.group(0).lower()
    for match in _PHONE.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group(0))
        if digits.startswith("0047"):
            digits = digits[4:]
        elif digits.startswith("47") and len(digits) == 10:
            digits = digits[2:]
        if len(digits) == 8 and digits[0] in "23456789":
            return PHONE, f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return None


def opening_hours(language: str, env: Mapping[str, str] = os.environ) -> str:
    """HR_OPENING_HOURS (and HR_OPENING_HOURS_NN for Nynorsk), or the usual office hours."""
    if language == "nn":
        return env.get("HR_OPENING_HOURS_NN") or env.get("HR_OPENING_HOURS") or DEFAULT_OPENING_HOURS["nn"]
    return env.get("HR_OPENING_HOURS") or DEFAULT_OPENING_HOURS["nb"]


_engines: dict[str, sa.engine.Engine] = {}


def engine_for(url: str) -> sa.engine.Engine:
    """One engine per URL for the life of the process (the action server handles many cases)."""
    url = re.sub(r"^postgres://", "postgresql://", url)
    if url not in _engines:
        _engines[url] = sa.create_engine(url, pool_pre_ping=True, future=True)
    return _engines[url]


def ensure_table(engine: sa.engine.Engine) -> None:
    metadata.create_all(engine, tables=[hr_cases], checkfirst=True)


def store_case(url: str, case: HrCase) -> int:
    """Inserts the case (creating the table if missing) and returns its number.

    The description is masked like the conversation: HR needs the question and the contact, not a fødselsnummer.
    """
    engine = engine_for(url)
    ensure_table(engine)
    created = case.created_at or datetime.datetime.now(datetime.timezone.utc)
    with engine.begin() as connection:
        result = connection.execute(
            hr_cases.insert().values(
                created_at=created,
                sender_id=case.sender_id,
                language=case.language,
                description=mask_text(case.description),
                contact_method=case.contact_method,
                contact=case.contact,
                status=STATUS_NEW,
            )
        )
        return int(result.inserted_primary_key[0])


def delete_cases_before(engine: sa.engine.Engine, cutoff: datetime.datetime, dry_run: bool = False) -> int:
    """Deletes (or with dry_run only counts) HR cases created before the cutoff."""
    if not sa.inspect(engine).has_table("hr_cases"):
        return 0
    condition = hr_cases.c.created_at < cutoff
    with engine.begin() as connection:
        if dry_run:
            return int(connection.execute(sa.select(sa.func.count()).select_from(hr_cases).where(condition)).scalar_one())
        return int(connection.execute(hr_cases.delete().where(condition)).rowcount)


def case_email(case: HrCase, number: int, config: SmtpConfig) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"Ny henvendelse fra forsikringsassistenten (sak {number})"
    message["From"] = config.sender
    message["To"] = config.to
    method = "e-post" if case.contact_method == EMAIL else "telefon"
    message.set_content(
        "En ansatt ba om kontakt med personalavdelingen via forsikringsassistenten.\n\n"
        f"Saksnummer: {number}\n"
        f"Språk: {'nynorsk' if case.language == 'nn' else 'bokmål'}\n"
        f"Ønsker kontakt på {method}: {case.contact}\n\n"
        f"Beskrivelse:\n{mask_text(case.description)}\n\n"
        "Svar den ansatte direkte. Saken ligger også i tabellen hr_cases.\n"
    )
    return message


def send_case_email(case: HrCase, number: int, config: SmtpConfig, timeout: float = 10.0) -> None:
    """Sends the case to HR; raises on failure (the caller keeps the stored case either way)."""
    with smtplib.SMTP(config.host, config.port, timeout=timeout) as smtp:
        if config.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.user and config.password:
            smtp.login(config.user, config.password)
        smtp.send_message(case_email(case, number, config))
