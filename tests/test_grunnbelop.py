"""The G table: which G is in force on a date, staleness, configuration and schema errors."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from actions import grunnbelop
from actions.grunnbelop import load_table, parse_table
from actions.yaml_data import DataError


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    monkeypatch.delenv("G_OVERRIDE", raising=False)
    monkeypatch.delenv("GRUNNBELOP_FILE", raising=False)
    grunnbelop._load.cache_clear()
    yield
    grunnbelop._load.cache_clear()


def test_g_changes_on_the_first_of_may() -> None:
    table = load_table()
    assert table.in_force(date(2025, 4, 30)).amount == 124028
    assert table.in_force(date(2025, 5, 1)).amount == 130160


def test_every_row_names_a_source() -> None:
    assert all(value.sources for value in load_table().values)


def test_newest_g_older_than_a_year_is_flagged() -> None:
    table = load_table()
    assert not table.in_force(date(2025, 12, 1)).possibly_outdated
    assert table.in_force(date(2026, 11, 22)).possibly_outdated


def test_an_old_settlement_date_uses_the_g_of_its_time_and_is_not_flagged() -> None:
    in_force = load_table().in_force(date(2020, 1, 1))
    assert in_force.amount == 99858 and not in_force.possibly_outdated


def test_before_the_table_starts_is_an_error() -> None:
    with pytest.raises(LookupError):
        load_table().in_force(date(2000, 1, 1))


def test_override_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("G_OVERRIDE", "2026-05-01=135000")
    in_force = grunnbelop.g_in_force(date(2026, 6, 1))
    assert in_force.amount == 135000 and not in_force.possibly_outdated


def test_bad_override_names_the_setting(monkeypatch) -> None:
    monkeypatch.setenv("G_OVERRIDE", "mai=mye")
    with pytest.raises(DataError, match="G_OVERRIDE"):
        load_table()


def test_another_table_by_configuration(monkeypatch, tmp_path: Path) -> None:
    path = tmp_path / "g.yml"
    path.write_text("schema: grunnbelop/1\nvalues:\n  - {from: 2030-05-01, amount: 150000, sources: [test]}\n")
    monkeypatch.setenv("GRUNNBELOP_FILE", str(path))
    assert grunnbelop.g_in_force(date(2030, 6, 1)).amount == 150000


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"schema": "grunnbelop/1", "values": [{"from": date(2020, 5, 1), "amount": "mye", "sources": ["x"]}]}, "values[0].amount"),
        ({"schema": "grunnbelop/1", "values": [{"amount": 1, "sources": ["x"]}]}, "values[0].from"),
        ({"schema": "grunnbelop/1", "values": [{"from": date(2020, 5, 1), "amount": 1, "sources": []}]}, "values[0].sources"),
        ({"schema": "grunnbelop/2", "values": []}, "schema"),
        ({"schema": "grunnbelop/1", "values": []}, "values"),
    ],
)
def test_schema_errors_name_file_and_field(raw: dict, field: str) -> None:
    with pytest.raises(DataError) as error:
        parse_table(raw, "kb/grunnbelop.yml")
    assert error.value.field == field
    assert str(error.value).startswith("kb/grunnbelop.yml: ")
