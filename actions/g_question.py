"""What a question about G asks beyond "what is G": kroner for multiples of G ("hvor mye er 10 G i kroner?",
"kva er 2,4 G") and the G of a given year ("hva var G i 2021?"). Pure Python; knowledge.lookup adds the lines.

The G values and their sources are kb/grunnbelop.yml's; a year the table does not hold is said to be missing,
never guessed.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from actions.grunnbelop import GInForce, g_in_force, load_table
from actions.nortext import format_day, format_g, format_kr, normalise, parse_decimal

# "10 G", "10G", "2,4 G", "0.5 g"; not "1 G" (the answer states it) and not a G inside a word ("10 gonger")
_MULTIPLE = re.compile(r"(?<![\d,.])(\d{1,3}(?:[.,]\d{1,3})?)\s?g\b")
# "i 2021", "for 2019", "G 2023": a year of the G table's age, not an amount ("2021 kr")
_YEAR = re.compile(r"\b(20[1-4]\d)\b(?!\s*(?:kr|kroner|g\b))")
MAX_MULTIPLE = 100.0

TEXT = {
    "nb": {
        "multiple": "{g} er {kr}.",
        "year": "Fra {start} til {end} var 1 G {kr}.",
        "year_current": "Fra {start} er 1 G {kr}.",
        "year_missing": "G fra 1. mai {year} står ikke i tabellen min. Tallene her bruker 1 G = {kr}, som gjelder fra {start}.",
        "year_too_early": "Jeg har ikke G for {year}: tabellen min begynner {start}.",
    },
    "nn": {
        "multiple": "{g} er {kr}.",
        "year": "Frå {start} til {end} var 1 G {kr}.",
        "year_current": "Frå {start} er 1 G {kr}.",
        "year_missing": "G frå 1. mai {year} står ikkje i tabellen min. Tala her bruker 1 G = {kr}, som gjeld frå {start}.",
        "year_too_early": "Eg har ikkje G for {year}: tabellen min byrjar {start}.",
    },
}


def g_multiples(question: str) -> list[float]:
    """The multiples of G the question names, in order, without 1 G and without repeats."""
    found: list[float] = []
    for match in _MULTIPLE.finditer(normalise(question)):
        value = parse_decimal(match.group(1))
        if value is not None and 0 < value <= MAX_MULTIPLE and value != 1 and value not in found:
            found.append(value)
    return found


def asked_year(question: str) -> Optional[int]:
    """The year the question asks G for, if any ("grunnbeløpet i 2021")."""
    match = _YEAR.search(normalise(question))
    return int(match.group(1)) if match else None


def g_question_lines(question: str, lang: str, current: GInForce) -> list[str]:
    """Lines for the year and the multiples the question asks about; [] for a plain "what is G"."""
    text = TEXT.get(lang, TEXT["nb"])
    lines: list[str] = []
    base = current
    year = asked_year(question)
    if year is not None and year != current.valid_from.year:
        try:
            asked = g_in_force(date(year, 5, 1))
        except LookupError:
            asked = None
        if asked is None:
            first = load_table().values[0].valid_from
            lines.append(text["year_too_early"].format(year=year, start=format_day(first)))
        elif asked.valid_from.year != year:  # a year after the newest row
            lines.append(text["year_missing"].format(year=year, kr=format_kr(current.amount),
                                                     start=format_day(current.valid_from)))
        else:
            base = asked
            end = _day_before_next(asked)
            key = "year" if end is not None else "year_current"
            lines.append(text[key].format(start=format_day(asked.valid_from), kr=format_kr(asked.amount),
                                          end=format_day(end) if end else ""))
    for multiple in g_multiples(question):
        lines.append(text["multiple"].format(g=format_g(multiple), kr=format_kr(multiple * base.amount)))
    return lines


def _day_before_next(g: GInForce) -> Optional[date]:
    """The last day this G was in force, or None if it is the newest in the table."""
    following = g_in_force(date(g.valid_from.year + 1, 5, 1))
    if following.valid_from == g.valid_from:
        return None
    return following.valid_from - timedelta(days=1)

