"""Masking of personal identifiers in text: fødselsnummer/D-number, Norwegian phone numbers and e-mail addresses.

Plain Python (no Rasa imports): used by the tracker store (components/privacy_tracker_store.py) before an event is
stored, by the log filter (actions/log_masking.py) and by the HR report. Masking is deliberately narrow so the
calculator's inputs survive: "50 år", "100 %", "600 000 kr", "130160", dates and 11-digit numbers whose check digits
are wrong are left alone.
"""
from __future__ import annotations

import datetime
import re
from typing import Any, Match

from stdnum.no import fodselsnummer

FNR_MASK = "[fødselsnummer]"
PHONE_MASK = "[telefon]"
EMAIL_MASK = "[e-post]"

# Keys whose values are identifiers made by machines, not text from people (a uuid hex can hold digit runs).
_STRUCTURAL_KEYS = frozenset({"message_id", "event", "timestamp"})

_EMAIL = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[\w](?:[\w-]*[\w])?\.)+[\w](?:[\w-]*[\w])?",
)
# 11 digits, optionally written 6+5 ("010190 12345" / "010190-12345"); never part of a longer run of digits.
_FNR = re.compile(r"(?<!\d)(?<!\d[.,-])(\d{6})[ -]?(\d{5})(?!\d)(?![.,-]\d)")
# Norwegian numbers have 8 digits and start with 2-9; written whole or grouped 3-2-3 / 2-2-2-2, optionally with
# +47 / 0047. Grouping 2-3-3 ("20 000 000") is how amounts are written, so it is not a phone number.
# A digit right before or after (also across . , -) means a longer number; across a space it is the next word.
_PHONE = re.compile(
    r"(?<![\d+])(?<!\d[.,-])"
    r"(?P<prefix>(?:\+|00)[ ]?47[ -]?|\(\+47\)[ ]?)?"
    r"(?P<body>[2-9]\d{7}|[2-9]\d\d[ -]\d\d[ -]\d{3}|[2-9]\d[ -]\d\d[ -]\d\d[ -]\d\d)"
    r"(?!\d)(?![.,-]\d)"
)
# Every identifier masked here holds a digit or an @; most stored strings hold neither (checked in C, not per char).
_MAY_HOLD_IDENTIFIER = re.compile(r"[\d@]")
# Every fødselsnummer and phone body is 8+ digits with at most one space or hyphen between two of them. Searched
# first because it starts with a digit (re scans for that in C); the two patterns above start with look-behinds,
# tried at every position: 0.6 ms for a 2 000-character calculator answer, stored on every save.
_EIGHT_DIGITS = re.compile(r"\d(?:[ -]?\d){7}")
_AMOUNT_AFTER = re.compile(r"\s?(?:kr\b|kroner|nok\b|,-|%|prosent|g\b)", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?:kr|nok)\.?\s?$", re.IGNORECASE)


def _checksums_valid(digits: str) -> bool:
    return (
        digits[9] == fodselsnummer.calc_check_digit1(digits[:9])
        and digits[10] == fodselsnummer.calc_check_digit2(digits[:10])
    )


def is_fodselsnummer(digits: str) -> bool:
    """A fødselsnummer, D-number or H-number (python-stdnum), or a synthetic test number (Tenor: month + 80).

    Test numbers are masked too: testers paste them into the widget, and they look exactly like real ones.
    """
    if len(digits) != 11 or not digits.isdigit() or not _checksums_valid(digits):
        return False
    if fodselsnummer.is_valid(digits):
        return True
    month = int(digits[2:4])
    if month > 80:  # Tenor test numbers; get_birth_date does not check the check digits, so adjust a copy
        try:
            fodselsnummer.get_birth_date(digits[:2] + f"{month - 80:02d}" + digits[4:])
            return True
        except Exception:
            return False
    return False


def _looks_like_date(digits: str) -> bool:
    """DDMMYYYY written without separators ("31122024") is a date, not a landline number."""
    try:
        datetime.date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
    except ValueError:
        return False
    return 1900 <= int(digits[4:]) <= 2099


def _mask_fnr(match: Match[str]) -> str:
    return FNR_MASK if is_fodselsnummer(match.group(1) + match.group(2)) else match.group(0)


def _mask_phone(match: Match[str]) -> str:
    body, text = match.group("body"), match.string
    if not match.group("prefix") and body.isdigit():
        # A bare run of 8 digits: an amount ("25000000 kr") or a date ("31122024") stays as it is.
        if _AMOUNT_AFTER.match(text, match.end()) or _AMOUNT_BEFORE.search(text[max(0, match.start() - 5):match.start()]):
            return match.group(0)
        if _looks_like_date(body):
            return match.group(0)
    return PHONE_MASK


def mask_text(text: str) -> str:
    """The text with every fødselsnummer, phone number and e-mail address replaced by a label."""
    if not text or not _MAY_HOLD_IDENTIFIER.search(text):
        return text
    if "@" in text:  # the e-mail pattern is slow on long texts (it tries every word as a local part)
        text = _EMAIL.sub(EMAIL_MASK, text)
    if not _EIGHT_DIGITS.search(text):
        return text
    text = _FNR.sub(_mask_fnr, text)
    return _PHONE.sub(_mask_phone, text)


def mask_value(value: Any) -> Any:
    """Masks every string inside a JSON-like value (dicts, lists), keys kept; other types unchanged."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: (item if key in _STRUCTURAL_KEYS else mask_value(item)) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_value(item) for item in value]
    return value


def contains_identifier(text: str) -> bool:
    return mask_text(text) != text
