"""The free-text parser: Bokmål, Nynorsk, typos, and never an age read as a percent or an income."""
from __future__ import annotations

import pytest

from actions.payout_inputs import parse, word_number


@pytest.mark.parametrize("text,scheme,benefit,age,percent", [
    ("Jeg er 50 år og har 100 % medisinsk invaliditet etter en arbeidsulykke – hva får jeg?", "yrkesskade", "men", 50, 100),
    ("Eg er 50 år og har 100 % medisinsk invaliditet etter ei arbeidsulukke, kva får eg?", "yrkesskade", "men", 50, 100),
    ("jeg har medisinks invaliditet 30 % etter arbeidsulyke", "yrkesskade", "men", None, 30),
    ("35 prosent ufør etter en fritidsulykke, er 40", "fritidsulykke", "ervervsuforhet", 40, 35),
    ("hva betaler gruppelivsforsikringa når jeg døyr, 58 år", "gruppeliv", "dodsfall", 58, None),
    ("yrkesskade etter overenskomsten, 20% mén", "yrkesskade_overenskomst", "men", None, 20),
    ("yrkesskade etter loven", "yrkesskade_lov", None, None, None),
    ("på tjenestereise mistet jeg bagasjen", "tjenestereise", "reise", None, None),
    # mén without the accent, after a degree; "men" elsewhere is "but"
    ("jeg er 34 og fikk 15% men etter stikkskade på jobb", "yrkesskade", "men", 34, 15),
    ("jeg er 34 men skadet på jobb", "yrkesskade", None, 34, None),
    ("jeg er 34, hva får jeg etter en arbeidsulykke", "yrkesskade", None, 34, None),
])
def test_scheme_benefit_age_percent(text, scheme, benefit, age, percent) -> None:
    parsed = parse(text)
    assert (parsed.scheme, parsed.benefit, parsed.age, parsed.percent) == (scheme, benefit, age, percent)


@pytest.mark.parametrize("text,age", [("50 år", 50), ("50år", 50), ("50-åring", 50), ("er 50", 50), ("femti år", 50),
                                      ("femtifem år", 55), ("han var 62", 62), ("ho var 47 år gammal", 47),
                                      ("jeg er -5 år", -5), ("150 år", 150),
                                      # "til ein på 60" was asked again for the age
                                      ("kor mykje utbetalar gruppelivet til ein på 60?", 60), ("en mann på 52", 52)])
def test_age(text: str, age: float) -> None:
    assert parse(text).age == age


@pytest.mark.parametrize("text,percent", [("100 %", 100), ("35%", 35), ("35 prosent", 35), ("halvparten", 50),
                                          ("helt ufør", 100), ("120 %", 120), ("12,5 %", 12.5)])
def test_percent(text: str, percent: float) -> None:
    assert parse(text).percent == percent


@pytest.mark.parametrize("text,income", [("600 000 kr", 600_000), ("600' i året", 600_000), ("tjener 600k", 600_000),
                                         ("650 tusen", 650_000), ("lønna er 600 000", 600_000),
                                         ("600.000 kr", 600_000), ("1,2 millioner", 1_200_000),
                                         ("inntekt -5000 kr", -5000)])
def test_income(text: str, income: float) -> None:
    assert parse(text).income == income


def test_monthly_salary_becomes_yearly_and_says_so() -> None:
    parsed = parse("lønn 55 000 i måneden")
    assert (parsed.monthly_salary, parsed.income, parsed.income_from_monthly) == (55_000, 660_000, True)
    assert parse("løna mi er 48 000 i månaden").income == 576_000


def test_costs_and_income_in_g() -> None:
    assert parse("behandlingen kostet 3000 kr").costs == 3000
    assert parse("inntekt 8,5 G").income_g == 8.5


@pytest.mark.parametrize("text,survivors,children", [
    ("ektefelle og to barn på 4 og 9", ["ektefelle", "barn"], [4, 9]),
    ("kona og to barn på 3 og 7", ["ektefelle", "barn"], [3, 7]),
    ("sambuar og eitt barn på 12", ["samboer", "barn"], [12]),
    ("barna er 3 og 7 år", ["barn"], [3, 7]),
    ("ein son på tre", ["barn"], [3]),
    ("hva får kona og barna mine på 4 og 9", ["ektefelle", "barn"], [4, 9]),
    ("ingen", ["ingen"], []),
    ("ingen etterlatne", ["ingen"], []),
    ("ingen barn, ugift", ["ingen"], []),
    ("gift, ingen barn", ["ektefelle"], []),
    ("samboer", ["samboer"], []),
])
def test_survivors_and_children(text: str, survivors: list, children: list) -> None:
    parsed = parse(text)
    assert parsed.survivors == survivors and parsed.children_ages == children


@pytest.mark.parametrize("text,age,children", [
    # "de er 6 og 11" was read as the user's age 6 ("Alderen må være ... mellom 15 og 100")
    ("hvor mye får barna mine hvis jeg dør i en arbeidsulykke, de er 6 og 11 og jeg er 44", 44, [6, 11]),
    ("kva får borna mine om eg døyr, dei er 3 og 9, eg er 51", 51, [3, 9]),
    ("de er 40 år og jeg er 50", 40, []),  # no children named: "de" are not children
])
def test_children_named_before_their_ages(text: str, age: int, children: list) -> None:
    parsed = parse(text)
    assert parsed.age == age and parsed.children_ages == children


def test_never_confuses_age_percent_income() -> None:
    parsed = parse("Jeg er 45 år, 30 % ufør og tjener 550 000 kr, og har to barn på 4 og 9")
    assert (parsed.age, parsed.percent, parsed.income, parsed.children_ages) == (45, 30, 550_000, [4, 9])
    parsed = parse("35 % ufør, 50 år")
    assert (parsed.age, parsed.percent) == (50, 35)
    assert parse("lønna er 600 000").age is None
    assert parse("en lønn på 600 000").age is None and parse("ein skade på 30 %").age is None


def test_bare_numbers_are_left_for_the_form() -> None:
    parsed = parse("50")
    assert parsed.age is None and parsed.numbers == [50]
    assert parse("vet ikke").numbers == []


def test_word_number() -> None:
    assert [word_number(w) for w in ("sju", "tjue", "førtifem", "2,5", "katt")] == [7, 20, 45, 2.5, None]
