"""The calculator's rule data (kb/payout_rules.yml), checked against a small schema at load.

Every rule carries `source` and `status` so each step shown to a user can name where it comes from.
Errors are `DataError(file, field, problem)`; the calculator never runs on a half-valid table.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions.yaml_data import KB_DIR, DataError, load_yaml

DEFAULT_FILE = KB_DIR / "payout_rules.yml"
SCHEMA = "payout_rules/1"
STATUSES = ("sourced", "secondary", "inferred")

NUM = (int, float)
OPT_NUM = (int, float, type(None))
# A spec is a type (or tuple of types), a dict {key: spec} ("key?" = optional), or [item_spec].
SOURCED = {"source": str, "status": str}

AGE_RULE = {"neutral_from": int, "neutral_to": int, "younger_per_year": NUM, "younger_known_down_to?": int,
            "older_per_year": NUM, "floor": NUM, **SOURCED}
BAND = {"from?": NUM, "above?": NUM, "g": NUM}
SPEC: dict[str, Any] = {
    "schema": str,
    "yrkesskade_lov": {
        "men": {"bands": [BAND], "age": AGE_RULE, **SOURCED},
        "ervervsuforhet": {"bands": [{"up_to_g": OPT_NUM, "g": NUM}], "age": AGE_RULE, **SOURCED},
        "dodsfall": {
            "spouse": {"g": NUM, "older_than": int, "older_per_year": NUM, "floor": NUM, **SOURCED},
            "children": {"under_age": int, "rows": [{"age": int, "g": NUM, **SOURCED}]},
            "funeral": {"g": NUM, **SOURCED},
            "survivors_cap": {"g": NUM, **SOURCED},
        },
    },
    "yrkesskade_overenskomst": {
        "men": {"bands": [BAND], **SOURCED},
        "ervervsuforhet": {"g": NUM, **SOURCED},
        "dodsfall": {"g": NUM, "children_min_share": NUM, **SOURCED},
        "coordination": SOURCED,
    },
    "fritidsulykke": {
        "men": {"g": NUM, **SOURCED},
        "ervervsuforhet": {"g": NUM, **SOURCED},
        "dodsfall": {"g": NUM, "cap_with_gruppeliv_g": NUM, **SOURCED},
        "behandlingsutgifter": {"excess_kr": NUM, **SOURCED},
    },
    "gruppeliv": {
        "sum": {"full_g": NUM, "full_under_age": int, "step_per_year": NUM, "floor_g": NUM, **SOURCED},
        "survivors": {"children_under_age": int, "children_min_share": NUM, **SOURCED},
        "estate": {"monthly_salaries": NUM, "min_g": NUM, **SOURCED},
    },
    "tjenestereise": {"rows": [{"key": str, "nb": str, "nn": str, "max_kr": OPT_NUM}], **SOURCED},
}


def _type_name(kind: Any) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join("null" if k is type(None) else k.__name__ for k in kinds)


def _check(node: Any, spec: Any, path: str, where: str) -> None:
    here = where or "(top)"
    if isinstance(spec, dict):
        if not isinstance(node, dict):
            raise DataError(path, here, "must be a mapping")
        for raw_key, sub in spec.items():
            key, optional = raw_key.rstrip("?"), raw_key.endswith("?")
            field = f"{where}.{key}" if where else key
            if key not in node:
                if optional:
                    continue
                raise DataError(path, field, "is missing")
            _check(node[key], sub, path, field)
        if "status" in spec and node["status"] not in STATUSES:
            raise DataError(path, f"{where}.status", f"must be one of {', '.join(STATUSES)}, got {node['status']!r}")
        if "source" in spec and not node["source"].strip():
            raise DataError(path, f"{where}.source", "must name a source")
    elif isinstance(spec, list):
        if not isinstance(node, list) or not node:
            raise DataError(path, here, "must be a non-empty list")
        for index, item in enumerate(node):
            _check(item, spec[0], path, f"{where}[{index}]")
    elif not isinstance(node, spec) or isinstance(node, bool):
        raise DataError(path, here, f"must be {_type_name(spec)}, got {type(node).__name__}")


def _check_bands(bands: list[dict], path: str, where: str) -> None:
    previous = -1.0
    for index, band in enumerate(bands):
        if ("from" in band) == ("above" in band):
            raise DataError(path, f"{where}[{index}]", "needs exactly one of 'from' (inclusive) or 'above' (exclusive)")
        start = band.get("from", band.get("above"))
        if not 0 <= start <= 100 or start <= previous:
            raise DataError(path, f"{where}[{index}]", "bands must start between 0 and 100, in rising order")
        previous = start


def _check_meaning(raw: dict, path: str) -> None:
    """What the types cannot say: rising bands, factors between 0 and 1, one child row per age."""
    lov = raw["yrkesskade_lov"]
    _check_bands(lov["men"]["bands"], path, "yrkesskade_lov.men.bands")
    _check_bands(raw["yrkesskade_overenskomst"]["men"]["bands"], path, "yrkesskade_overenskomst.men.bands")
    limits = [b["up_to_g"] for b in lov["ervervsuforhet"]["bands"]]
    if limits[-1] is not None or None in limits[:-1] or limits[:-1] != sorted(limits[:-1]):
        raise DataError(path, "yrkesskade_lov.ervervsuforhet.bands", "up_to_g must rise and only the last be null")
    for where, floor in (("yrkesskade_lov.men.age.floor", lov["men"]["age"]["floor"]),
                         ("yrkesskade_lov.ervervsuforhet.age.floor", lov["ervervsuforhet"]["age"]["floor"]),
                         ("yrkesskade_lov.dodsfall.spouse.floor", lov["dodsfall"]["spouse"]["floor"])):
        if not 0 < floor <= 1:
            raise DataError(path, where, "must be a share between 0 and 1")
    children = lov["dodsfall"]["children"]
    ages = [row["age"] for row in children["rows"]]
    if ages != list(range(children["under_age"])):
        raise DataError(path, "yrkesskade_lov.dodsfall.children.rows",
                        f"must hold one row per age 0..{children['under_age'] - 1}, in order")


def parse_rules(raw: Any, path: str) -> dict[str, Any]:
    _check(raw, SPEC, path, "")
    if raw["schema"] != SCHEMA:
        raise DataError(path, "schema", f"expected {SCHEMA!r}, got {raw['schema']!r}")
    _check_meaning(raw, path)
    return raw


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    return parse_rules(load_yaml(Path(path)), path)


def load_rules() -> dict[str, Any]:
    """The rules in force; PAYOUT_RULES_FILE names another file (tests, a new tariff year)."""
    return _load(os.environ.get("PAYOUT_RULES_FILE", str(DEFAULT_FILE)))
