"""Unit tests for the payout calculator, including the worked cases of research section D."""
from __future__ import annotations

import re

import json
from datetime import date

import pytest
import yaml

from actions.payout import PayoutInput, calculate, render_json, render_text, required_inputs
from actions.payout_model import InputError
from actions.payout_rules import DEFAULT_FILE, parse_rules
from actions.yaml_data import DataError

D = date(2025, 6, 1)  # G = 130 160 kr from 1 May 2025


def total(scheme: str, benefit: str, g: int | None = None, **kw) -> float:
    return calculate(PayoutInput(scheme, benefit, **kw), settlement_date=D, g=g).total_g


# --- research section D -----------------------------------------------------------------------------
@pytest.mark.parametrize("age,degree,expected", [(60, 100, 3.24), (45, 50, 2.0), (35, 50, 2.4), (30, 20, 0.975),
                                                 (50, 100, 4.14), (46, 100, 4.5), (71, 100, 2.25), (90, 100, 2.25)])
def test_law_men(age: int, degree: float, expected: float) -> None:
    assert total("yrkesskade_lov", "men", age=age, degree=degree) == pytest.approx(expected)


def test_law_men_below_15_percent_gives_nothing() -> None:
    assert total("yrkesskade_lov", "men", age=40, degree=14) == 0


@pytest.mark.parametrize("age,income,expected", [(60, 400_000, 6.6), (45, 400_000, 22), (35, 400_000, 29.7),
                                                 (45, 8.5 * 130_160, 26), (70, 8.5 * 130_160, 2.6),
                                                 (45, 7 * 130_160, 22), (45, 11 * 130_160, 30)])
def test_law_ervervsuforhet(age: int, income: float, expected: float) -> None:
    assert total("yrkesskade_lov", "ervervsuforhet", age=age, degree=100, income=income) == pytest.approx(expected)


def test_law_ervervsuforhet_under_35_is_a_lower_bound_and_says_so() -> None:
    result = calculate(PayoutInput("yrkesskade_lov", "ervervsuforhet", age=30, degree=100, income=400_000), D)
    assert result.total_g == pytest.approx(29.7)  # the amount at 35, never an invented increase
    assert result.lower_bound
    text = render_text(result)
    assert "nedre grense" in text and "under 35 år" in text and "Ukjent" in text


def test_law_ervervsuforhet_degree_scales() -> None:
    assert total("yrkesskade_lov", "ervervsuforhet", age=45, degree=40, income=400_000) == pytest.approx(8.8)


def test_explicit_g_reproduces_hr_2012_kroner() -> None:
    men = calculate(PayoutInput("yrkesskade_lov", "men", age=60, degree=100), g=58_778)
    erverv = calculate(PayoutInput("yrkesskade_lov", "ervervsuforhet", age=60, degree=100, income=300_000), g=58_778)
    assert round(men.total_kr) == 190_441
    assert round(erverv.total_kr) == 387_935
    assert "190 441 kr" in render_text(men) and "oppgitt" in render_text(men)


@pytest.mark.parametrize("age,expected", [(46, 15), (50, 12), (62, 3), (75, 3)])
def test_law_spouse(age: int, expected: float) -> None:
    result = calculate(PayoutInput("yrkesskade_lov", "dodsfall", age=age, survivors=("ektefelle",)), D)
    assert result.total_g == pytest.approx(expected + 0.5)  # + funeral 0,5 G


def test_law_funeral_only_without_survivors() -> None:
    assert total("yrkesskade_lov", "dodsfall", age=50, survivors=("ingen",)) == pytest.approx(0.5)


def test_law_children_rows_and_flag() -> None:
    result = calculate(PayoutInput("yrkesskade_lov", "dodsfall", age=40, survivors=("barn",),
                                   children_ages=(0, 1, 19, 20)), D)
    assert result.total_g == pytest.approx(6.5 + 6.0 + 1.0 + 0.5)
    statuses = [s.status for s in result.steps if s.text["nb"].startswith("Barnetillegg")]
    assert statuses == ["sourced", "secondary", "sourced"]
    uncertain = calculate(PayoutInput("yrkesskade_lov", "dodsfall", age=40, survivors=("barn",), children_ages=(7,)), D)
    assert "usikre" in render_text(uncertain) and "utledet" in render_text(uncertain)


def test_law_survivors_cap_18_g() -> None:
    result = calculate(PayoutInput("yrkesskade_lov", "dodsfall", age=40, survivors=("ektefelle", "barn"),
                                   children_ages=(0, 2)), D)
    assert result.total_g == pytest.approx(18 + 0.5)


# --- agreement and coordination ---------------------------------------------------------------------
@pytest.mark.parametrize("degree,expected", [(14, 0), (15, 1), (29, 1), (30, 2), (70, 2), (71, 3), (100, 3)])
def test_agreement_men_bands(degree: float, expected: float) -> None:
    assert total("yrkesskade_overenskomst", "men", degree=degree) == expected


def test_agreement_ervervsuforhet_and_death() -> None:
    assert total("yrkesskade_overenskomst", "ervervsuforhet", degree=60) == pytest.approx(9)
    assert total("yrkesskade_overenskomst", "dodsfall", survivors=("ektefelle",)) == 15


def test_coordination_law_higher() -> None:
    result = calculate(PayoutInput("yrkesskade", "men", age=50, degree=100), D)
    assert result.total_g == pytest.approx(4.14)
    text = render_text(result)
    assert "4,5 G × 0,92 (aldersjustering, 50 år) = 4,14 G ≈ 538 862 kr (G = 130 160 kr fra 1. mai 2025)" in text
    assert "Etter overenskomsten" in text and "Samordning" in text


def test_coordination_agreement_adds_the_difference() -> None:
    # law: 0,75 G × 0,8 (age 56) = 0,6 G; agreement 15–29 % = 1 G → 0,4 G on top
    result = calculate(PayoutInput("yrkesskade", "men", age=56, degree=20), D)
    assert result.total_g == pytest.approx(1.0)
    assert "differansen 0,4 G" in render_text(result)


def test_coordination_death_uses_agreement_when_higher() -> None:
    # law spouse at 62: 3 G; agreement 15 G → survivors get 15 G, + funeral 0,5 G
    assert total("yrkesskade", "dodsfall", age=62, survivors=("ektefelle",)) == pytest.approx(15.5)


# --- fritid, gruppeliv, tjenestereise ---------------------------------------------------------------
def test_fritid() -> None:
    men = calculate(PayoutInput("fritidsulykke", "men", degree=50), D)
    assert men.total_g == pytest.approx(1.5)
    assert "reguleres i forhold til alder" in render_text(men)
    assert total("fritidsulykke", "ervervsuforhet", degree=100) == 15
    assert total("fritidsulykke", "dodsfall", age=40) == pytest.approx(8)   # 18 G − gruppeliv 10 G
    assert total("fritidsulykke", "dodsfall", age=65) == pytest.approx(13)  # 18 G − 5 G
    costs = calculate(PayoutInput("fritidsulykke", "behandlingsutgifter", costs=3000), D)
    assert costs.total_kr == 2500 and "egenandel 500 kr" in render_text(costs)
    assert calculate(PayoutInput("fritidsulykke", "behandlingsutgifter", costs=300), D).total_kr == 0


@pytest.mark.parametrize("age,expected", [(30, 10), (50, 10), (51, 9.5), (55, 7.5), (59, 5.5), (60, 5), (80, 5)])
def test_gruppeliv_table(age: int, expected: float) -> None:
    assert total("gruppeliv", "dodsfall", age=age, survivors=("ektefelle",)) == pytest.approx(expected)


def test_gruppeliv_children_share_and_estate() -> None:
    both = render_text(calculate(PayoutInput("gruppeliv", "dodsfall", age=40, survivors=("ektefelle", "barn"),
                                             children_ages=(5,)), D))
    assert "minst 40 %" in both and "4 G" in both
    estate = calculate(PayoutInput("gruppeliv", "dodsfall", age=40, survivors=("ingen",), monthly_salary=50_000), D)
    assert estate.total_kr == 75_000
    low = calculate(PayoutInput("gruppeliv", "dodsfall", age=40, survivors=("ingen",), monthly_salary=20_000), D)
    assert low.total_kr == pytest.approx(65_080)  # 0,5 G floor
    unknown = calculate(PayoutInput("gruppeliv", "dodsfall", age=40, survivors=("ingen",)), D)
    assert unknown.lower_bound and unknown.total_g == 0.5


def test_tjenestereise_table() -> None:
    text = render_text(calculate(PayoutInput("tjenestereise", "reise"), D))
    assert "Tap av reisegods: inntil 100 000 kr" in text and "ubegrenset" in text
    assert "15 000 000 kr" in text


def test_utrykning_says_unknown() -> None:
    assert "oppgir ingen beløp" in render_text(calculate(PayoutInput("utrykning", "men"), D))


# --- rendering, G, inputs ---------------------------------------------------------------------------
def test_disclaimer_and_sources_always() -> None:
    result = calculate(PayoutInput("yrkesskade", "ervervsuforhet", age=50, degree=50, income=500_000), D)
    for lang, disclaimer in (("nb", "Dette er et anslag. Forsikringsvilkårene og forsikringsselskapets oppgjør avgjør."),
                             ("nn", "Dette er eit overslag.")):
        text = render_text(result, lang)
        assert disclaimer in text
        lines = text.splitlines()
        steps = [line for line in lines if line.startswith("•")]
        listed = {line.split("]")[0] + "]" for line in lines if re.match(r"\[\d+\] \S", line)}
        assert steps and all(re.search(r"\[\d+\]$", s) for s in steps), "every step names its source"
        assert all(re.search(r"\[\d+\]$", s).group(0) in listed for s in steps), "every reference is listed"
        assert ("Kilder:" if lang == "nb" else "Kjelder:") in lines


def test_total_comes_first() -> None:
    text = render_text(calculate(PayoutInput("yrkesskade", "men", age=50, degree=100), D), "nb")
    assert text.splitlines()[0].startswith("Anslag for yrkesskade") and "4,14 G" in text.splitlines()[0]


def test_nynorsk_text() -> None:
    text = render_text(calculate(PayoutInput("yrkesskade", "men", age=50, degree=100), D), "nn")
    assert "frå 1. mai 2025" in text and "Etter lova" in text


def test_possibly_outdated_g_is_said() -> None:
    text = render_text(calculate(PayoutInput("fritidsulykke", "men", degree=50), date(2026, 9, 1)))
    assert "G kan ha blitt regulert siden 1. mai 2025" in text


def test_json() -> None:
    data = json.loads(render_json(calculate(PayoutInput("yrkesskade", "men", age=50, degree=100), D)))
    assert data["total_g"] == pytest.approx(4.14)
    assert data["g"] == {"amount": 130160, "valid_from": "2025-05-01", "possibly_outdated": False,
                         "text": {"nb": "G = 130 160 kr fra 1. mai 2025", "nn": "G = 130 160 kr frå 1. mai 2025"}}
    assert all(step["source"] and step["status"] for step in data["steps"])
    assert "anslag" in data["disclaimer"]["nb"]


@pytest.mark.parametrize("inp,field", [
    (PayoutInput("yrkesskade", "men", age=150, degree=50), "age"),
    (PayoutInput("yrkesskade", "men", age=50, degree=120), "degree"),
    (PayoutInput("yrkesskade", "ervervsuforhet", age=50, degree=50, income=-1), "income"),
    (PayoutInput("yrkesskade", "men", degree=50), "age"),
    (PayoutInput("gruppeliv", "men", age=50), "benefit"),
    (PayoutInput("nope", "men"), "scheme"),
    (PayoutInput("gruppeliv", "dodsfall", age=50, survivors=("barn",)), "children_ages"),
])
def test_bad_inputs(inp: PayoutInput, field: str) -> None:
    with pytest.raises(InputError) as error:
        calculate(inp, D)
    assert error.value.field == field and error.value.nb


def test_required_inputs() -> None:
    assert required_inputs("yrkesskade", "ervervsuforhet") == ["age", "degree", "income"]
    assert required_inputs("yrkesskade_overenskomst", "men") == ["degree"]
    assert required_inputs("gruppeliv", "dodsfall", ("ektefelle", "barn")) == ["age", "survivors", "children_ages"]
    assert required_inputs("gruppeliv", "dodsfall", ("ingen",)) == ["age", "survivors", "monthly_salary"]
    assert required_inputs("tjenestereise", "reise") == []


# --- the rule file's schema -------------------------------------------------------------------------
def _raw() -> dict:
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mutate,field", [
    (lambda r: r["yrkesskade_lov"]["men"].pop("source"), "yrkesskade_lov.men.source"),
    (lambda r: r["yrkesskade_lov"]["men"].update(status="guessed"), "yrkesskade_lov.men.status"),
    (lambda r: r["gruppeliv"]["sum"].update(full_g="ten"), "gruppeliv.sum.full_g"),
    (lambda r: r["yrkesskade_lov"]["dodsfall"]["children"]["rows"].pop(3), "yrkesskade_lov.dodsfall.children.rows"),
    (lambda r: r["yrkesskade_lov"]["men"]["bands"].reverse(), "yrkesskade_lov.men.bands[1]"),
    (lambda r: r.update(schema="payout_rules/0"), "schema"),
])
def test_schema_errors_name_file_and_field(mutate, field: str) -> None:
    raw = _raw()
    mutate(raw)
    with pytest.raises(DataError) as error:
        parse_rules(raw, "kb/payout_rules.yml")
    assert error.value.field == field and error.value.path == "kb/payout_rules.yml"


def test_every_rule_has_a_status() -> None:
    parse_rules(_raw(), "kb/payout_rules.yml")


@pytest.mark.parametrize("lang, head", [("nb", "ingen samlet sum å regne ut, se punktene under"),
                                        ("nn", "ingen samla sum å rekne ut, sjå punkta under")])
def test_an_answer_without_a_total_says_so_first_and_points_down(lang: str, head: str) -> None:
    # Business-travel death pays "inntil 300 000 kr": a bound, not a sum. The first line used to end with
    # "se punktene over" although the points come after it.
    text = render_text(calculate(PayoutInput(scheme="tjenestereise", benefit="dodsfall", age=45)), lang)
    first, second = text.splitlines()[:2]
    assert first.endswith(head) and "300 000 kr" in second
