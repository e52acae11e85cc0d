"""Property tests: more degree never pays less, more age never pays more, caps and floors hold."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.payout import PayoutInput, calculate

D = date(2025, 6, 1)
ages = st.integers(min_value=15, max_value=100)
degrees = st.floats(min_value=0, max_value=100, allow_nan=False)
incomes = st.floats(min_value=0, max_value=3_000_000, allow_nan=False)
children = st.lists(st.integers(min_value=0, max_value=30), max_size=6)
SCHEMES = ("yrkesskade", "yrkesskade_lov", "yrkesskade_overenskomst", "fritidsulykke")


def g(scheme: str, benefit: str, **kw) -> float:
    return calculate(PayoutInput(scheme, benefit, **kw), D).total_g


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SCHEMES), st.sampled_from(("men", "ervervsuforhet")), ages, degrees, degrees, incomes)
def test_monotone_in_degree(scheme, benefit, age, d1, d2, income) -> None:
    low, high = sorted((d1, d2))
    assert g(scheme, benefit, age=age, degree=low, income=income) <= g(scheme, benefit, age=age, degree=high,
                                                                       income=income) + 1e-9


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(("yrkesskade", "yrkesskade_lov")), st.sampled_from(("men", "ervervsuforhet")), ages, ages,
       degrees, incomes)
def test_non_increasing_in_age(scheme, benefit, a1, a2, degree, income) -> None:
    young, old = sorted((a1, a2))
    assert g(scheme, benefit, age=old, degree=degree, income=income) <= g(scheme, benefit, age=young, degree=degree,
                                                                          income=income) + 1e-9


@settings(max_examples=150, deadline=None)
@given(ages, ages)
def test_death_and_gruppeliv_non_increasing_in_age(a1, a2) -> None:
    young, old = sorted((a1, a2))
    for scheme in ("yrkesskade_lov", "gruppeliv"):
        assert g(scheme, "dodsfall", age=old, survivors=("ektefelle",)) <= g(scheme, "dodsfall", age=young,
                                                                             survivors=("ektefelle",))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(("yrkesskade", "yrkesskade_lov")), ages, st.booleans(), children)
def test_survivors_capped_at_18_g_plus_funeral(scheme, age, spouse, kids) -> None:
    survivors = (("ektefelle",) if spouse else ()) + (("barn",) if kids else ()) or ("ingen",)
    assert g(scheme, "dodsfall", age=age, survivors=survivors, children_ages=tuple(kids)) <= 18 + 0.5 + 1e-9


@settings(max_examples=150, deadline=None)
@given(ages)
def test_floors(age) -> None:
    assert g("yrkesskade_lov", "men", age=age, degree=100) >= 4.5 * 0.5 - 1e-9
    assert g("yrkesskade_lov", "ervervsuforhet", age=age, degree=100, income=0) >= 22 * 0.1 - 1e-9
    assert g("yrkesskade_lov", "dodsfall", age=age, survivors=("ektefelle",)) >= 15 * 0.2 + 0.5 - 1e-9
    assert 5 <= g("gruppeliv", "dodsfall", age=age, survivors=("ektefelle",)) <= 10
    fritid = g("fritidsulykke", "dodsfall", age=age)
    assert fritid + g("gruppeliv", "dodsfall", age=age, survivors=("ektefelle",)) <= 18 + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(("men", "ervervsuforhet")), ages, degrees, incomes)
def test_coordination_never_below_either_scheme(benefit, age, degree, income) -> None:
    both = g("yrkesskade", benefit, age=age, degree=degree, income=income)
    assert both + 1e-9 >= g("yrkesskade_lov", benefit, age=age, degree=degree, income=income)
    assert both + 1e-9 >= g("yrkesskade_overenskomst", benefit, age=age, degree=degree, income=income)
