"""Norwegian text helpers: normalisation, written-standard detection, number parsing and formatting.

No Rasa imports: used by the actions, the NLU component, the calculator and the command lines alike.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, ROUND_HALF_UP
from typing import Optional

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "nb_NO"

# Words that only Nynorsk uses: one of these and no more Bokmål markers makes a message Nynorsk.
NYNORSK_MARKERS = frozenset(
    """
    eg ikkje kva kven korleis kvar kvifor kor mykje noko nokon nokre noka berre frå heile medan
    sjukehus sjukepleiar sjukepleiarar tilsett tilsette arbeidstakar arbeidsgjevar gjeld dekkjer
    dekkje forsikringa ulukke ulukka ulukkesforsikring yrkesskadeforsikringa gruppelivsforsikringa
    reiseforsikringa fritidsulukke fritidsulukkesforsikring døyr døydde døy sambuar ektemake
    etterlatne pengar vere vore ho dykk dykkar sjølv sjølvrisiko eigenandel kjem kome fekk heilt
    difor tenestereise tenestereiseforsikring mogleg løn løna lønna gong gongen veit dei deira
    desse sjå hende personalavdelinga tilsetjing tilsetjinga sluttar born borna bornet ein eit
    inga kvifor einaste utbetalast betalast dekkast forsikra skadd seia seie
    omfatta omfattar rekn rekne reknar utrekning utrekninga hjelpa gjere gjer treng vart vert heim
    sjuk sjukdom sjukmeld sjukmelding føretak føretaket helseføretak helseføretaket meir seier
    gje gjev eigen eigne framleis saman fleire veke veker spørje tener ikkje-dekt dekt då òg
    """.split()
)

# Words that only Bokmål uses.
BOKMAL_MARKERS = frozenset(
    """
    jeg ikke hva hvem hvordan hvor hvorfor noe noen bare fra hele mens sykehus sykepleier
    sykepleiere ansatt ansatte arbeidsgiver gjelder dekker forsikringen ulykke ulykken
    fritidsulykke dør døde samboer ektefelle etterlatte penger være vært hun dere deres mye
    lønn lønnen kommer fikk tjenestereise egenandel hvis disse selv skadet
    hvilke hvilken hvilket en et ble nå hjem hjemme syk sykdom sykmeldt helseforetak
    helseforetaket mer sier gjøre gjør trenger vet spørre regne utregning utregningen egen egne
    fortsatt sammen flere uke uker tjener forsikret dekket utbetales
    """.split()
)

_WORD = re.compile(r"[a-zæøåéèêóòôü]+", re.IGNORECASE)


def normalise(text: str) -> str:
    """Lower-case, NFC, single spaces, typographic quotes and dashes folded to plain ones."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    text = text.replace("\u2019", "'").replace("\u00ab", '"').replace("\u00bb", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


# Endings that only one standard uses, for the long compounds no word list can hold:
# forsikringane/forsikringar/personleg/uførheit (nn) vs forsikringene/forsikringer/personlig/uførhet (nb).
_NN_SUFFIXES = ("ingane", "ingar", "heit", "heita", "leg", "lege")
_NB_SUFFIXES = ("ingene", "inger", "ingen", "het", "heten", "lig", "lige")
_SUFFIX_EXCEPTIONS = frozenset({"ingen", "lege", "legen", "leger", "tannlege", "kollega", "het", "bringer", "finger", "tingen"})


def _suffix_standard(token: str) -> Optional[str]:
    """'nn'/'nb' from the ending of a word of 6+ letters, else None."""
    if len(token) < 6 or token in _SUFFIX_EXCEPTIONS or token.endswith(("lege", "legen", "leger")):
        return None
    if token.endswith(_NN_SUFFIXES):
        return "nn"
    if token.endswith(_NB_SUFFIXES):
        return "nb"
    return None


def detect_written_standard(text: str) -> Optional[str]:
    """'nn' for Nynorsk, 'nb' for Bokmål, None when the message gives no clear sign.

    Counts marker words; short neutral messages ("ok", "50 år") return None so the
    conversation keeps the standard it already has.
    """
    tokens = words(text)
    nn = sum(1 for t in tokens if t in NYNORSK_MARKERS or _suffix_standard(t) == "nn")
    nb = sum(1 for t in tokens if t in BOKMAL_MARKERS or _suffix_standard(t) == "nb")
    if nn > nb:
        return "nn"
    if nb > nn:
        return "nb"
    return None


def parse_decimal(text: str) -> Optional[float]:
    """'2,5' / '2.5' / '130 160' / '1 234,50' -> float; None when the text holds no number."""
    match = re.search(r"-?\d[\d \u00a0.]*(?:,\d+)?|-?\d+(?:\.\d+)?", text or "")
    if not match:
        return None
    raw = match.group(0).strip().replace("\u00a0", "").replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") > 1 or re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")  # '650.000' is a thousands separator, not a decimal point
    try:
        return float(raw)
    except ValueError:
        return None


def round_half_up(value: float, digits: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: float, max_decimals: int = 2) -> str:
    """Norwegian number: '130 160', '2,4', '0,975'. Plain spaces so replies are easy to copy and test."""
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    rounded = float(round_half_up(value, max_decimals))
    return format_decimal(rounded, format=pattern, locale=LOCALE).replace("\u00a0", " ").replace("\u202f", " ")


def format_kr(amount: float) -> str:
    """Whole kroner: '538 862 kr'."""
    return f"{format_number(float(round_half_up(amount, 0)), 0)} kr"


def format_g(multiple: float) -> str:
    """A multiple of G: '4,5 G', '10 G', '0,975 G'."""
    return f"{format_number(multiple, 4)} G"


def format_percent(value: float) -> str:
    return f"{format_number(value, 1)} %"


def format_factor(value: float) -> str:
    return format_number(value, 4)


def format_day(day: date) -> str:
    """'1. mai 2025'."""
    return format_date(day, format="d. MMMM y", locale=LOCALE)
