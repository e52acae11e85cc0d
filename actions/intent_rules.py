"""The labelling rules applied after DIET, as code (docs/architecture.md, "calculate_payout vs ask_benefits").

An amount question that carries the user's own numbers (own age, a degree other than the brochure's 100 % and
thresholds, children's ages, an income) asks for an estimate of *their* case: `calculate_payout`. DIET learns
this rule from examples but weighs the question's words more than the one number in it ("eg er 57, kor mykje
får familien min frå gruppelivet om eg døyr?" → `ask_benefits`, 0.99), so the rule is applied after it.

Two cases are corrected, both towards `calculate_payout`: `ask_benefits` with personal numbers, and
`ask_survivors` with personal numbers *and* an explicit amount question ("eg er 57, kor mykje får familien min …";
"who gets the money" stays a survivors question, ages or not). The calculator then asks for whatever is missing,
so a wrong switch costs a question, not a wrong amount.

A question about a benefit that asks about tax is a tax question: "kva skjer med skatten om eg får menerstatning
frå yrkesskadeforsikringa" names a benefit in every other word, and DIET answers with the benefit (0.9+). The
brochure's tax section covers every benefit, so a tax word moves `ask_benefits`, `ask_survivors`,
`ask_treatment_costs` and `ask_coordination` to `ask_tax`, unless the message is an amount question with the
user's own numbers (then the calculator answers it first). A question that converts a multiple of G into kroner
is a G question. A glossary question that compares two schemes asks where and when each applies. And the
other direction of the amount rule: a general amount question ("hvor mye får de etterlatte …") without the user's
numbers or a first person is `ask_benefits`, even when DIET says `calculate_payout`.
"""
from __future__ import annotations

import re
from typing import Optional

from actions.knowledge import schemes_in_text
from actions.nortext import normalise
from actions.payout_inputs import NUMWORD

# A number the brochure itself uses as a limit is general, not personal: "over 59 år", "under 15 %",
# "etter fylte 55", "barn under 18".
_LIMIT = re.compile(r"(?:under|over|minst|enn|fylte|fylt|inntil|til|t\.o\.m\.|fra|frå|før|etter|høyst|maks|maksimalt|mellom|mellom \d+ og)\s*$")
_NUM = rf"(?:\d{{1,3}}|{NUMWORD})"

OWN_AGE = [
    # "jeg er 53", "eg er 57", "e e 40", "jeg er snart 61", "mannen min var 58"
    re.compile(rf"\b(?:jeg|eg|e|æ|han|ho|hun|mannen|kona|kone|samboeren|samboer|ektefellen|mor|far)\b[\w ]{{0,12}}?"
               rf"\b(?:er|e|var|blir|blei|ble|fyller|fylte)\s+(?:snart\s+|nettopp\s+|akkurat\s+)?(?P<num>{_NUM})\b(?!\s*(?:%|prosent|g\b|kr|kroner))"),
    # "53 år gammel", "53-åring", "57 år og lurer"
    re.compile(rf"\b(?P<num>\d{{2}})\s*(?:år\s+gam(?:mel|al|le)|-?åring)\b"),
    # "er 30 år", "fyller 60 år", "for en på 36", "ein på 57 år"
    re.compile(rf"\b(?:er|e|blir|fyller|fylte)\s+(?P<num>{_NUM})\s*år\b"),
    re.compile(rf"\b(?:en|ein|ei|meg|mann|kvinne|dame|person|kollega|kollegaen)\s+på\s+(?P<num>{_NUM})\b(?!\s*(?:%|prosent))"),
    # "alder 47", "alder: 47"
    re.compile(r"(?<!ved )(?<!i )\balder(?:en)?:?\s+(?P<num>\d{2})\b"),
    # "født i 1971", "fødd 1980"
    re.compile(r"\b(?:født|fødd)\s+(?:i\s+)?(?:19|20)\d\d\b"),
]
# A degree other than 100 % and not a threshold: "20 % mén", "40 prosent invaliditet".
OWN_DEGREE = re.compile(rf"(?<![-–/\d])\b(?!100\b)\d{{1,2}}(?:[.,]\d+)?\s?(?:%|prosent\b|pst\b)")
_RATE = re.compile(r"avtrapp|trappes ned|reduser|nedtrapp|per år|pr\.? år|for hvert år|for kvart år")
# Children's ages: "barn på 5", "to barn på 4 og 9", "ungane er 3 og 7".
CHILD_AGES = re.compile(rf"\b(?:barn|born|unge|ungar|ungane|ungene|barna|borna|jente|gutt|sønn|son|datter|dotter)\w*"
                        rf"(?:\s+\w+){{0,3}}?\s+(?:på|er|e)\s+(?P<num>{_NUM})\b(?!\s*(?:%|prosent))")
# An income: "tjener 600 000", "lønn 52 000 i måneden", "årslønn 8 G".
_AMOUNT = r"(?:\d{1,3}(?:[ .]\d{3})+|\d{5,}|\d+(?:[.,]\d+)?\s*(?:kr|kroner|k|g)\b)"
OWN_INCOME = re.compile(r"\b(?:tjener|tener|tjente|tente|lønn|løn|årslønn|årsløn|inntekt)(?:a|en|er)?"
                        rf"(?:\s+(?:på|er|e|min|mi|mitt|ca\.?|omtrent|rundt|cirka|om lag|årlig|årleg))*\s+(?:kr\.?\s*)?{_AMOUNT}")
# "600 000 i lønn", "550 000 kr i året"
INCOME_AFTER = re.compile(r"(?:\d{1,3}(?:[ .]\d{3})+|\d{5,}|\d+\s*k)\s*(?:kr|kroner)?\s*(?:i|per|pr\.?|/)\s*(?:lønn|løn|årslønn|årsløn|inntekt|året|år\b|måned|månad|mnd)")


def personal_numbers(text: str) -> bool:
    """Whether the text states the user's own age, degree, children's ages or income."""
    norm = normalise(text)
    if CHILD_AGES.search(norm) or OWN_INCOME.search(norm) or INCOME_AFTER.search(norm):
        return True
    if _RATE.search(norm):  # "avtrappes med 5 % per år": degrees and ages in it are the brochure's rule
        return False
    if any(not _after_limit(norm, m.start()) and not norm[m.end():].lstrip().startswith("stilling")
           for m in OWN_DEGREE.finditer(norm)):
        return True
    for pattern in OWN_AGE:
        for match in pattern.finditer(norm):
            if _plausible_age(match) and not _after_limit(norm, match.start("num") if "num" in match.groupdict() else match.start()):
                return True
    return False


def _after_limit(text: str, start: int) -> bool:
    """Whether the number at `start` follows a limit word ("over 59", "under 15 %", "mellom 20 og 30")."""
    return bool(_LIMIT.search(text[:start]))


def _plausible_age(match: re.Match) -> bool:
    num = match.groupdict().get("num")
    if num is None or not num.isdigit():  # a birth year, or a number written as a word
        return True
    return 16 <= int(num) <= 80  # an employee's (or spouse's) age; "er 3" or "er 500" is something else


# "how much" (not "what"/"who": "hva får kona mi" is often a question about who and which scheme)
AMOUNT_QUESTION = re.compile(r"\b(?:hvor|kor|ko)\s+(?:mye|mykje|mykkje|stor|store|høy|høg|mange kroner)\b|\bbeløp(?:et)?\b")


# "skatt", "skatten", "skattefri", "skattepliktig", "beskattet", "skattlegges", "skattemeldingen"
TAX_WORD = re.compile(r"\b(?:be)?skatt\w*")
TAX_SWITCHABLE = frozenset({"ask_benefits", "ask_survivors", "ask_treatment_costs", "ask_coordination"})

# "hva tilsvarer 18G i kroner", "hvor mye er 6 G i kroner?": converting G to kroner is the G answer's job, though
# "18 G" is a benefit's figure ("hva tilsvarer 18G i kroner" was `ask_benefits` at 0.94)
_G = r"\d{1,3}(?:[.,]\d{1,3})?\s?g\b"
G_CONVERSION = re.compile(rf"{_G}[^.?!]{{0,12}}?\b(?:i|til|som|blir|er)\s+(?:kroner|kr\b|norske kroner)"
                          rf"|\b(?:tilsvarer|tilsvarar|svarer til|svarar til)\s+{_G}")
G_SWITCHABLE = frozenset({"ask_benefits", "ask_definition"})

# The other half of the written rule: an amount question with no numbers of the user's and no first person
# ("Hvor mye får de etterlatte fra gruppelivsforsikringen?") is the brochure's general answer, not a calculation
# (DIET: `calculate_payout` 0.84, next to the training example "hvor mye får de etterlatte etter en kollega på 63").
# "Hvor mye får kona mi", "regn ut …" and "hva får jeg" stay with the calculator, which asks for what is missing.
FIRST_PERSON = re.compile(r"\b(?:jeg|eg|e|æ|meg|mæ|min|mi|mitt|mine|vi|me|oss|vår|vårt|våre|mannen|kona)\b")
SURVIVORS = re.compile(r"\betterlat\w*|\bfamilie\w*|\bbarn(?:a|et)?\b|\bborna\b|\bektefell\w*|\bsamboer\w*")
CALCULATION = re.compile(r"\b(?:regn\w*|rekn\w*|beregn\w*|berekn\w*|kalkul\w*|utregning\w*|utrekning\w*|anslag\w*|"
                         r"overslag\w*|estimat\w*)")

# "hva er forskjellen på yrkesskade og fritidsulykke?" compares two schemes, not two glossary terms: the answer says
# where and when each applies (it was `ask_definition` 0.49 against `ask_where_when` 0.44: the glossary has
# "forskjellen på mén og ervervsuførhet")
COMPARISON = re.compile(r"\b(?:forskjell\w*|skilnad\w*|skil\w* mellom|sammenlign\w*|samanlikn\w*)")

# The intents some rule can move; every other intent is returned before the text is looked at (the component asks
# for each of DIET's ranked intents, on every message).
_RULED = TAX_SWITCHABLE | G_SWITCHABLE | {"ask_definition", "calculate_payout"}


def adjusted_intent(intent: Optional[str], text: str) -> Optional[str]:
    """The intent after the rules: `ask_tax` for a benefit question about tax, `ask_grunnbelop` for G in kroner,
    `ask_where_when` for two schemes compared, `ask_benefits` for a general amount question, `calculate_payout` for
    an amount question with personal numbers."""
    if not text or text.startswith("/") or intent not in _RULED:
        return intent
    norm = normalise(text)
    asks_amount = bool(AMOUNT_QUESTION.search(norm))
    if intent in TAX_SWITCHABLE and TAX_WORD.search(norm) and not (asks_amount and personal_numbers(text)):
        return "ask_tax"
    if intent in G_SWITCHABLE and G_CONVERSION.search(norm) and not personal_numbers(text):
        return "ask_grunnbelop"
    if intent == "ask_definition" and COMPARISON.search(norm) and len(schemes_in_text(text)) > 1:
        return "ask_where_when"
    if (intent == "calculate_payout" and asks_amount and not FIRST_PERSON.search(norm)
            and not CALCULATION.search(norm) and not personal_numbers(text)
            and (SURVIVORS.search(norm) or schemes_in_text(text))):  # names its subject, unlike "hvor mye blir det?"
        return "ask_benefits"
    if intent not in ("ask_benefits", "ask_survivors"):
        return intent
    if intent == "ask_survivors" and not asks_amount:
        return intent
    return "calculate_payout" if personal_numbers(text) else intent
