"""What a G question asks beyond G itself: multiples in kroner and the G of a year (actions/g_question.py)."""
from datetime import date

import pytest

from actions.g_question import asked_year, g_multiples, g_question_lines
from actions.grunnbelop import g_in_force
from actions.knowledge import lookup
from actions.nortext import format_kr


@pytest.mark.parametrize("question, multiples", [
    ("hvor mye er 10 G i kroner?", [10.0]),
    ("kva er 2,4 G og 7.1G", [2.4, 7.1]),
    ("hva er G nå?", []),
    ("hva er 1 G", []),  # the answer states 1 G anyway
    ("er 18 G 18 G?", [18.0]),
    ("10 gonger 3", []),
    ("hva er 250000 G", []),  # not a multiple anyone is paid
])
def test_multiples_of_g_are_read_from_the_question(question: str, multiples: list[float]) -> None:
    assert g_multiples(question) == multiples


@pytest.mark.parametrize("question, year", [
    ("hva var G i 2021?", 2021),
    ("grunnbeløpet 2019", 2019),
    ("hva er G?", None),
    ("hva er 20 G", None),
])
def test_the_asked_year_is_read_from_the_question(question: str, year: int) -> None:
    assert asked_year(question) == year


def test_multiples_are_priced_with_the_g_in_force() -> None:
    current = g_in_force(date(2025, 6, 1))
    assert g_question_lines("hvor mye er 10 G i kroner?", "nb", current) == [f"10 G er {format_kr(10 * current.amount)}."]


def test_a_past_year_gives_its_g_its_period_and_prices_multiples_with_it() -> None:
    current = g_in_force(date(2025, 6, 1))
    lines = g_question_lines("kva var G i 2021, og kor mykje var 6 G då?", "nn", current)
    assert lines == ["Frå 1. mai 2021 til 30. april 2022 var 1 G 106 399 kr.", "6 G er 638 394 kr."]


def test_a_year_outside_the_table_is_said_to_be_missing_not_guessed() -> None:
    current = g_in_force(date(2025, 6, 1))
    late = g_question_lines("hva blir G i 2041?", "nb", current)
    assert late and late[0].startswith("G fra 1. mai 2041 står ikke i tabellen min.")
    assert format_kr(current.amount) in late[0]
    early = g_question_lines("hva var G i 2010?", "nb", current)
    assert early == ["Jeg har ikke G for 2010: tabellen min begynner 1. mai 2015."]


def test_the_kb_answer_puts_the_asked_amount_first_and_keeps_the_source() -> None:
    answer = lookup("ask_grunnbelop", language="nb", question="hvor mye er 10 G i kroner?", on=date(2025, 6, 1))
    lines = answer.text.splitlines()
    assert lines[0] == f"10 G er {format_kr(10 * g_in_force(date(2025, 6, 1)).amount)}."
    assert lines[1].startswith("1 G er ")
    assert lines[-1].startswith("Kilde: Personalforsikringer, Helse Vest")
