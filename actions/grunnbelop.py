"""Folketrygdens grunnbeløp (G) by date, from kb/grunnbelop.yml.

G in force on a date is the newest row whose `from` is on or before that date. Configuration
without a code change: GRUNNBELOP_FILE names another table; G_OVERRIDE="2026-05-01=135000" adds a row.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Optional

from actions.yaml_data import KB_DIR, DataError, load_yaml, require

DEFAULT_FILE = KB_DIR / "grunnbelop.yml"
STALE_AFTER = timedelta(days=365)


@dataclass(frozen=True)
class GValue:
    valid_from: date
    amount: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GInForce:
    """The G used for a settlement date, and whether a newer G may exist."""

    value: GValue
    settlement_date: date
    possibly_outdated: bool

    @property
    def amount(self) -> int:
        return self.value.amount

    @property
    def valid_from(self) -> date:
        return self.value.valid_from


class GTable:
    def __init__(self, values: list[GValue], path: str = "") -> None:
        if not values:
            raise DataError(path, "values", "must hold at least one G")
        self.values = sorted(values, key=lambda v: v.valid_from)
        self.path = path

    def in_force(self, on: Optional[date] = None) -> GInForce:
        on = on or date.today()
        candidates = [v for v in self.values if v.valid_from <= on]
        if not candidates:
            first = self.values[0].valid_from
            raise LookupError(f"Ingen G i tabellen før {first.isoformat()} (spurt om {on.isoformat()}).")
        value = candidates[-1]
        newest = self.values[-1]
        # A settlement date more than a year after the newest known G: a regulation is probably missing.
        outdated = value is newest and on - newest.valid_from > STALE_AFTER
        return GInForce(value=value, settlement_date=on, possibly_outdated=outdated)


def parse_table(raw: object, path: str) -> GTable:
    if not isinstance(raw, dict):
        raise DataError(path, "(top)", "must be a mapping with 'schema' and 'values'")
    schema = require(raw, "schema", str, path, "")
    if schema != "grunnbelop/1":
        raise DataError(path, "schema", f"expected 'grunnbelop/1', got {schema!r}")
    rows = require(raw, "values", list, path, "")
    values: list[GValue] = []
    seen: set[date] = set()
    for index, row in enumerate(rows):
        where = f"values[{index}]"
        valid_from = require(row, "from", date, path, where)
        amount = require(row, "amount", int, path, where)
        sources = require(row, "sources", list, path, where)
        if amount <= 0:
            raise DataError(path, f"{where}.amount", "must be positive")
        if not sources or not all(isinstance(s, str) and s.strip() for s in sources):
            raise DataError(path, f"{where}.sources", "must list at least one source")
        if valid_from in seen:
            raise DataError(path, f"{where}.from", f"{valid_from} appears twice")
        seen.add(valid_from)
        values.append(GValue(valid_from, amount, tuple(sources)))
    return GTable(values, path)


def _override(env_value: str) -> GValue:
    try:
        day, amount = env_value.split("=", 1)
        return GValue(date.fromisoformat(day.strip()), int(amount.strip().replace(" ", "")), ("G_OVERRIDE",))
    except ValueError:
        raise DataError("G_OVERRIDE", "(environment)", f"expected 'YYYY-MM-DD=amount', got {env_value!r}") from None


@lru_cache(maxsize=4)
def _load(path: str, override: str) -> GTable:
    table = parse_table(load_yaml(Path(path)), path)
    if override:
        extra = _override(override)
        kept = [v for v in table.values if v.valid_from != extra.valid_from]
        table = GTable(kept + [extra], path)
    return table


def load_table() -> GTable:
    return _load(os.environ.get("GRUNNBELOP_FILE", str(DEFAULT_FILE)), os.environ.get("G_OVERRIDE", ""))


def g_in_force(on: Optional[date] = None) -> GInForce:
    return load_table().in_force(on)
