"""Types shared by the payout calculator: inputs, steps, notes, the result, and G-to-kroner text.

Texts are stored in both written standards ({"nb": ..., "nn": ...}) when a step is made, so the
renderer only chooses; amounts stay numbers so JSON and tests never parse text.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Optional

from actions.nortext import format_day, format_factor, format_g, format_kr, format_number

Text = dict[str, str]

SCHEMES = ("yrkesskade", "yrkesskade_lov", "yrkesskade_overenskomst", "fritidsulykke", "gruppeliv",
           "tjenestereise", "utrykning")
BENEFITS = ("men", "ervervsuforhet", "dodsfall", "behandlingsutgifter", "reise")
SURVIVORS = ("ektefelle", "samboer", "barn", "andre", "ingen")

# Valid ranges, shared with the form so a re-ask names the same range the calculator enforces.
AGE_RANGE = (15, 100)
CHILD_AGE_RANGE = (0, 30)
DEGREE_RANGE = (0, 100)
INCOME_RANGE = (0, 50_000_000)
MONTHLY_SALARY_RANGE = (0, 5_000_000)
COSTS_RANGE = (0, 10_000_000)


def t(nb: str, nn: Optional[str] = None) -> Text:
    """Both written standards; the same text when they agree (numbers, formulas)."""
    return {"nb": nb, "nn": nn if nn is not None else nb}


def clean(value: float) -> float:
    """Drop float noise (0.9750000000000001) without rounding any real digit away."""
    return round(value, 9)


class InputError(ValueError):
    """An input the calculator cannot use; `field` names it, `nb`/`en` say why."""

    def __init__(self, field: str, nb: str, en: str) -> None:
        super().__init__(f"{field}: {en}")
        self.field = field
        self.nb = nb
        self.en = en


@dataclass(frozen=True)
class PayoutInput:
    scheme: str
    benefit: str
    age: Optional[int] = None               # the injured person's age, or the deceased's age at death
    degree: Optional[float] = None          # medical invalidity or ervervsuførhet in percent
    income: Optional[float] = None          # kroner a year (law ervervsuførhet)
    survivors: tuple[str, ...] = ()         # SURVIVORS
    children_ages: tuple[int, ...] = ()
    monthly_salary: Optional[float] = None  # kroner (gruppeliv, estate)
    costs: Optional[float] = None           # kroner (fritidsulykke treatment)


@dataclass(frozen=True)
class GUsed:
    amount: int
    valid_from: Optional[date]   # None when given explicitly (--g)
    possibly_outdated: bool = False

    def describe(self) -> Text:
        kr = format_kr(self.amount)
        if self.valid_from is None:
            return t(f"G = {kr}, oppgitt", f"G = {kr}, oppgitt")
        day = format_day(self.valid_from)
        return t(f"G = {kr} fra {day}", f"G = {kr} frå {day}")

    def kr_text(self, g: float) -> Text:
        """'4,14 G ≈ 538 862 kr (G = 130 160 kr fra 1. mai 2025)'."""
        g_text = self.describe()
        return {lang: f"{format_g(g)} ≈ {format_kr(g * self.amount)} ({g_text[lang]})" for lang in ("nb", "nn")}


@dataclass
class Step:
    text: Text
    source: str
    status: str                  # sourced / secondary / inferred (kb/payout_rules.yml)
    g: Optional[float] = None    # the step's amount in G, when it has one
    kr: Optional[float] = None   # the step's amount in kroner
    section: Optional[Text] = None


@dataclass
class Note:
    kind: str                    # "unknown": a rule we could not find; "warning": a condition or caveat
    text: Text
    source: str = ""


@dataclass
class PayoutResult:
    inputs: PayoutInput
    g: GUsed
    title: Text
    steps: list[Step] = field(default_factory=list)
    total_g: Optional[float] = None
    total_kr: Optional[float] = None
    lower_bound: bool = False    # the true amount is probably higher (a rule is unknown)
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["inputs"]["survivors"] = list(self.inputs.survivors)
        data["inputs"]["children_ages"] = list(self.inputs.children_ages)
        data["g"]["valid_from"] = self.g.valid_from.isoformat() if self.g.valid_from else None
        return data


def factor_text(value: float) -> str:
    return format_factor(value)


def percent_text(value: float) -> str:
    return f"{format_number(value, 2)} %"


@dataclass
class Part:
    """One scheme's share of a result, before coordination and rendering."""

    steps: list[Step] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    total_g: Optional[float] = None
    total_kr: Optional[float] = None
    lower_bound: bool = False
