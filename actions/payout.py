"""The payout calculator: one-off payouts in G and kroner, step by step, each step with its source.

    result = calculate(PayoutInput("yrkesskade", "men", age=50, degree=100))
    render_text(result, "nb"); render_json(result)

Pure Python (no Rasa). Rules: kb/payout_rules.yml; G: kb/grunnbelop.yml via g_in_force().
Command line: python -m actions.payout --help (actions/payout_cli.py).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from actions.grunnbelop import g_in_force
from actions.payout_model import (AGE_RANGE, BENEFITS, CHILD_AGE_RANGE, COSTS_RANGE, DEGREE_RANGE, INCOME_RANGE,
                                  MONTHLY_SALARY_RANGE, SCHEMES, SURVIVORS, GUsed, InputError, Part, PayoutInput,
                                  PayoutResult, Text, t)
from actions.payout_other import fritid, gruppeliv, tjenestereise, utrykning
from actions.payout_render import render_json, render_text
from actions.payout_rules import load_rules
from actions.payout_yrkesskade import (coordinated, lov_behandlingsutgifter, lov_dodsfall, lov_ervervsuforhet, lov_men,
                                       overenskomst_dodsfall, overenskomst_ervervsuforhet, overenskomst_men)

__all__ = ["PayoutInput", "PayoutResult", "InputError", "calculate", "required_inputs", "benefits_for",
           "render_text", "render_json", "SCHEME_NAMES", "BENEFIT_NAMES"]

SCHEME_NAMES: dict[str, Text] = {
    "yrkesskade": t("Yrkesskade (loven og overenskomsten)", "Yrkesskade (lova og overeinskomsten)"),
    "yrkesskade_lov": t("Yrkesskade etter loven", "Yrkesskade etter lova"),
    "yrkesskade_overenskomst": t("Yrkesskade etter overenskomsten", "Yrkesskade etter overeinskomsten"),
    "fritidsulykke": t("Fritidsulykke", "Fritidsulukke"),
    "gruppeliv": t("Gruppeliv"),
    "tjenestereise": t("Tjenestereise", "Tenestereise"),
    "utrykning": t("Utrykning", "Utrykking"),
}
BENEFIT_NAMES: dict[str, Text] = {
    "men": t("mén (medisinsk invaliditet)"),
    "ervervsuforhet": t("ervervsuførhet", "ervervsuførleik"),
    "dodsfall": t("dødsfall"),
    "behandlingsutgifter": t("behandlingsutgifter"),
    "reise": t("reiseforsikring"),
}
MISSING_NB = {"age": "alder (--age)", "degree": "grad i prosent (--degree)", "income": "årsinntekt (--income)",
              "survivors": "etterlatte (--survivors)", "children_ages": "barnas alder (--children)",
              "monthly_salary": "månedslønn (--monthly-salary)", "costs": "utgifter (--costs)"}
_INJURY = ("men", "ervervsuforhet", "dodsfall", "behandlingsutgifter")
_ALLOWED: dict[str, tuple[str, ...]] = {
    "yrkesskade": _INJURY, "yrkesskade_lov": _INJURY, "yrkesskade_overenskomst": _INJURY, "fritidsulykke": _INJURY,
    "gruppeliv": ("dodsfall",), "tjenestereise": ("reise", "men", "dodsfall"), "utrykning": BENEFITS,
}


def benefits_for(scheme: str) -> tuple[str, ...]:
    return _ALLOWED.get(scheme, ())


def required_inputs(scheme: str, benefit: str, survivors: tuple[str, ...] = ()) -> list[str]:
    """The inputs a (scheme, benefit) needs, in the order a conversation should ask for them."""
    law = scheme in ("yrkesskade", "yrkesskade_lov")
    needs: list[str] = []
    if scheme in ("yrkesskade", "yrkesskade_lov", "yrkesskade_overenskomst"):
        if benefit == "men":
            needs = ["age", "degree"] if law else ["degree"]
        elif benefit == "ervervsuforhet":
            needs = ["age", "degree", "income"] if law else ["degree"]
        elif benefit == "dodsfall":
            needs = (["age"] if law else []) + ["survivors"]
    elif scheme == "fritidsulykke":
        needs = {"men": ["degree"], "ervervsuforhet": ["degree"], "dodsfall": ["age"],
                 "behandlingsutgifter": ["costs"]}.get(benefit, [])
    elif scheme == "gruppeliv":
        needs = ["age", "survivors"]
        if survivors and set(survivors) <= {"ingen"}:
            needs.append("monthly_salary")
    if "survivors" in needs and "barn" in survivors:
        needs.append("children_ages")
    return needs


def _in_range(field: str, value: Optional[float], bounds: tuple[float, float], nb: str, en: str) -> None:
    low, high = bounds
    if value is None:
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise InputError(field, f"{nb} må være mellom {low:,} og {high:,}.".replace(",", " "),
                         f"{en} must be between {low} and {high}, got {value!r}")


def check_input(inp: PayoutInput) -> None:
    """Raise InputError for anything the calculator cannot use: unknown names, missing inputs, out of range."""
    if inp.scheme not in SCHEMES:
        raise InputError("scheme", f"Ukjent ordning «{inp.scheme}». Gyldige: {', '.join(SCHEMES)}.",
                         f"unknown scheme {inp.scheme!r}; valid: {', '.join(SCHEMES)}")
    if inp.benefit not in benefits_for(inp.scheme):
        raise InputError("benefit", f"Ytelsen «{inp.benefit}» finnes ikke for {inp.scheme}. Gyldige: "
                         f"{', '.join(benefits_for(inp.scheme))}.",
                         f"benefit {inp.benefit!r} is not valid for {inp.scheme}; valid: {', '.join(benefits_for(inp.scheme))}")
    for name in inp.survivors:
        if name not in SURVIVORS:
            raise InputError("survivors", f"Ukjent etterlatt «{name}». Gyldige: {', '.join(SURVIVORS)}.",
                             f"unknown survivor {name!r}; valid: {', '.join(SURVIVORS)}")
    if inp.age is not None and int(inp.age) != inp.age:
        raise InputError("age", "Alderen må være et helt antall år.", "age must be whole years")
    _in_range("age", inp.age, AGE_RANGE, "Alderen", "age")
    _in_range("degree", inp.degree, DEGREE_RANGE, "Graden i prosent", "degree (percent)")
    _in_range("income", inp.income, INCOME_RANGE, "Årsinntekten i kroner", "yearly income (kr)")
    _in_range("monthly_salary", inp.monthly_salary, MONTHLY_SALARY_RANGE, "Månedslønnen i kroner", "monthly salary (kr)")
    _in_range("costs", inp.costs, COSTS_RANGE, "Utgiftene i kroner", "costs (kr)")
    for child in inp.children_ages:
        _in_range("children_ages", child, CHILD_AGE_RANGE, "Barnets alder", "a child's age")
    survivors = inp.survivors
    if "barn" in survivors and not inp.children_ages and "survivors" in required_inputs(inp.scheme, inp.benefit):
        raise InputError("children_ages", "Oppgi alderen til barna.", "give the children's ages (--children)")
    missing = [name for name in required_inputs(inp.scheme, inp.benefit, survivors)
               if name not in ("children_ages",) and getattr(inp, name) in (None, ())]
    if missing and not (missing == ["monthly_salary"]):  # the estate's minimum (0,5 G) is known without it
        raise InputError(missing[0], "Mangler: " + ", ".join(MISSING_NB[m] for m in missing) + ".",
                         "missing: " + ", ".join(f"--{m.replace('_', '-')}" for m in missing))


def g_used(settlement_date: Optional[date] = None, explicit_g: Optional[int] = None) -> GUsed:
    if explicit_g is not None:
        if explicit_g <= 0:
            raise InputError("g", "G må være et positivt beløp i kroner.", "G must be a positive amount in kroner")
        return GUsed(int(explicit_g), None, False)
    in_force = g_in_force(settlement_date)
    return GUsed(in_force.amount, in_force.valid_from, in_force.possibly_outdated)


def _part(inp: PayoutInput, rules: dict[str, Any], g: GUsed) -> Part:
    scheme, benefit = inp.scheme, inp.benefit
    if scheme == "utrykning":
        return utrykning()
    if scheme == "tjenestereise":
        return tjenestereise(inp, rules)
    if scheme == "fritidsulykke":
        return fritid(inp, rules, g)
    if scheme == "gruppeliv":
        return gruppeliv(inp, rules, g)
    if benefit == "behandlingsutgifter":
        return lov_behandlingsutgifter()
    if scheme == "yrkesskade":
        return coordinated(inp, rules, g)
    if scheme == "yrkesskade_lov":
        return {"men": lov_men, "ervervsuforhet": lov_ervervsuforhet,
                "dodsfall": lambda i, r, gg: lov_dodsfall(i, r, gg)[0]}[benefit](inp, rules, g)
    return {"men": overenskomst_men, "ervervsuforhet": overenskomst_ervervsuforhet,
            "dodsfall": overenskomst_dodsfall}[benefit](inp, rules, g)


def calculate(inp: PayoutInput, settlement_date: Optional[date] = None, g: Optional[int] = None,
              rules: Optional[dict[str, Any]] = None) -> PayoutResult:
    """Compute the payout. `g` (kroner) overrides the G table; otherwise G in force on `settlement_date` (today)."""
    check_input(inp)
    used = g_used(settlement_date, g)
    part = _part(inp, rules or load_rules(), used)
    total_kr = part.total_kr if part.total_kr is not None else (
        None if part.total_g is None else part.total_g * used.amount)
    title = {lang: f"{SCHEME_NAMES[inp.scheme][lang]} – {BENEFIT_NAMES[inp.benefit][lang]}" for lang in ("nb", "nn")}
    return PayoutResult(inputs=inp, g=used, title=title, steps=part.steps, total_g=part.total_g, total_kr=total_kr,
                        lower_bound=part.lower_bound, notes=part.notes)


if __name__ == "__main__":  # python -m actions.payout
    import sys

    from actions.payout_cli import main

    sys.exit(main())
