"""Free text → calculator inputs: scheme, benefit, age, percent, income, children's ages, survivors.

Bokmål and Nynorsk, typos (rapidfuzz on keywords). Numbers are claimed in a fixed order, and each
claimed span is blanked before the next pass, so an age is never read as a percent or an income:
children's ages → percents → incomes in G → money → the person's age → whatever numbers are left.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz import fuzz, process

from actions.nortext import normalise

_UNITS = {"null": 0, "en": 1, "ein": 1, "ett": 1, "eitt": 1, "ei": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5,
          "seks": 6, "sju": 7, "syv": 7, "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13,
          "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19}
_TENS = {"tjue": 20, "tjuge": 20, "tretti": 30, "tretti": 30, "førti": 40, "førr": 40, "femti": 50, "seksti": 60,
         "sytti": 70, "åtti": 80, "nitti": 90}
_UNIT_WORDS = "|".join(sorted((w for w in _UNITS if w not in ("en", "ein", "ei", "ett", "eitt")), key=len, reverse=True))
_TEN_WORDS = "|".join(sorted(_TENS, key=len, reverse=True))
NUMWORD = rf"(?:(?:{_TEN_WORDS})(?:{_UNIT_WORDS})?|{_UNIT_WORDS})"
NUM = rf"(?:\d+(?:[.,]\d+)?|{NUMWORD})"


def word_number(token: str) -> Optional[float]:
    """'50' -> 50, '2,5' -> 2.5, 'femti' -> 50, 'femtifem' -> 55, 'sju' -> 7; None otherwise."""
    token = token.strip()
    if re.fullmatch(r"\d+(?:[.,]\d+)?", token):
        return float(token.replace(",", "."))
    if token in _UNITS:
        return float(_UNITS[token])
    for word, value in _TENS.items():
        if token.startswith(word):
            rest = token[len(word):]
            if not rest:
                return float(value)
            if rest in _UNITS and 0 < _UNITS[rest] < 10:
                return float(value + _UNITS[rest])
    return None


# Keywords by value; matched on whole words, with typo tolerance for words of 6+ letters.
SCHEME_WORDS = {
    "yrkesskade": ["arbeidsulykke", "arbeidsulukke", "yrkesskade", "yrkesskaden", "yrkesskadeforsikring",
                   "yrkesskadeforsikringen", "yrkesskadeforsikringa", "yrkessykdom", "yrkessjukdom", "arbeidsskade",
                   "jobbulykke", "arbeidsulykka", "arbeidsulykken", "arbeidsulukka"],
    "yrkesskade_lov": ["yrkesskadeloven", "yrkesskadelova", "lovbestemt", "lovbestemte"],
    "yrkesskade_overenskomst": ["overenskomsten", "overenskomst", "overeinskomsten", "overeinskomst", "tariff",
                                "tariffavtalen", "spekter"],
    "fritidsulykke": ["fritidsulykke", "fritidsulukke", "fritidsulykkesforsikring", "fritidsulukkesforsikring",
                      "fritid", "fritiden", "fritida", "ferie", "ferien", "ferieturen", "fritidsulykka",
                      "fritidsulykken"],
    "gruppeliv": ["gruppeliv", "gruppelivet", "gruppelivsforsikring", "gruppelivsforsikringen",
                  "gruppelivsforsikringa", "livsforsikring", "livsforsikringen", "livsforsikringa"],
    "tjenestereise": ["tjenestereise", "tenestereise", "tjenestereiseforsikring", "tenestereiseforsikring",
                      "reiseforsikring", "reiseforsikringen", "reiseforsikringa", "jobbreise", "tjenestereisen"],
    "utrykning": ["utrykning", "utrykking", "utrykningspersonell"],
}
SCHEME_PHRASES = {
    "yrkesskade": [r"på (?:jobb|jobben|arbeid|arbeidet|jobb-?en)", r"i arbeids(?:tiden|tida)", r"skad(?:et|d) på jobb"],
    "yrkesskade_lov": [r"etter (?:loven|lova)", r"lov om yrkesskade"],
    "fritidsulykke": [r"på (?:fritiden|fritida|ferie|tur)", r"i (?:fritiden|fritida)"],
    "tjenestereise": [r"på (?:tjenestereise|tenestereise|reise|jobbreise)"],
}
BENEFIT_WORDS = {
    "men": ["mén", "mèn", "ménerstatning", "menerstatning", "meinerstatning", "invaliditet", "invaliditeten",
            "invalid", "invaliditetsgrad", "méngrad"],
    "ervervsuforhet": ["ervervsuførhet", "ervervsufør", "ervervsuførleik", "ervervsuforhet", "uføre", "ufør",
                       "uførhet", "uførleik", "arbeidsufør", "uføregrad", "uføretrygd", "arbeidsuførleik",
                       "uføregraden", "arbeidsevne", "arbeidsevnen"],
    "dodsfall": ["død", "døde", "dødsfall", "dødsfallet", "dør", "døyr", "døy", "døydde", "omkommer", "omkom",
                 "omkjem", "dødsulykke", "etterlatte", "etterlatne", "begravelse", "gravferd"],
    "behandlingsutgifter": ["behandling", "behandlingsutgifter", "behandlingsutgiftene", "egenandel", "eigenandel",
                            "legeregning", "tannlege", "fysioterapi", "behandlinga", "behandlingen"],
    "reise": ["reisegods", "bagasje", "avbestilling", "reisesyke", "reisesjuke", "rettshjelp"],
}
# "men" is also "but": only right after a degree ("15% men", "20 prosent men") is it mén written without the accent.
BENEFIT_PHRASES = {"men": [r"medisinsk invaliditet", r"\bmen-?erstatning", r"\d\s*(?:%|prosent)\s*men\b"],
                   "dodsfall": [r"faller fra", r"fell frå", r"går bort", r"hvis jeg dør", r"om eg døyr"]}
SURVIVOR_WORDS = {
    "ektefelle": ["ektefelle", "ektefellen", "ektefellar", "kone", "kona", "konen", "mann", "mannen", "ektemann",
                  "ektemannen", "ektemake", "ektemaken", "partner", "partneren", "partnar", "partnaren", "gift",
                  "hustru", "kjerring", "kjerringa"],
    "samboer": ["samboer", "samboeren", "sambuar", "sambuaren", "sambo", "samboar"],
    "barn": ["barn", "barna", "barnet", "born", "borna", "bornet", "unger", "ungene", "ungar", "ungane", "sønn",
             "sønnen", "sønner", "son", "sonen", "datter", "dattera", "døtre", "dotter", "dottera", "jente", "gutt"],
    "andre": ["forsørget", "forsørgde", "forsørgja", "forsørger"],
}
_CHILD = r"(?:barn\w*|born\w*|unge\w*|ungar\w*|sønn\w*|søner|son\w*|datter\w*|døtre|dotter\w*|jente\w*|gutt\w*)"
_AGES = rf"{NUM}(?:\s*(?:,|og|&|\+)\s*{NUM})*"
CHILDREN_RE = re.compile(rf"\b{_CHILD}(?:\s+(?:mine|mi|min|mitt|våre|vår|dine|hans|hennes|hennar|sine))?"
                         rf"\s*(?:\(|:|på|pa|som er|som|er|i alder(?:en)?)?\s*(?:er\s+)?(?P<ages>{_AGES})"
                         rf"(?:\s*år(?:\s*gaml[ea])?|\s*og\s*(?=\D))?")
# The children named earlier in the sentence, then their ages: "barna mine ..., de er 6 og 11".
CHILDREN_PRONOUN_RE = re.compile(rf"\b(?:de|dei|dem|begge|ungane|ungene|barna|borna)\s+er\s+(?P<ages>{_AGES})"
                                 rf"(?:\s*år(?:\s*gaml[ea])?)?")
PERCENT_RE = re.compile(r"(?P<sign>-|minus\s*)?(?P<num>\d+(?:[.,]\d+)?)\s*(?:%|prosent\b|pst\b|percent\b)")
INCOME_G_RE = re.compile(r"(?P<num>\d+(?:[.,]\d+)?)\s*g\b(?!\w)")
MONEY_RE = re.compile(r"(?P<sign>-|minus\s*)?(?P<num>\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
                      r"\s*(?P<unit>k\b|'|tusen\b|tusen kr\w*|mill(?:ioner|ion)?\b|kr\b|kroner\b|nok\b|,-)?")
MONTHLY_RE = re.compile(r"^\s*(?:kr\w*)?\s*(?:i|per|pr\.?|/|om)\s*(?:måned|måneden|mnd|månad|månaden|md)\b"
                        r"|månedslønn|månadsløn|månedlig|månadleg")
AGE_RES = [
    re.compile(rf"(?P<sign>(?<![\w-])-(?=\d))?(?P<num>\d{{1,3}}|{NUMWORD})\s*-?\s*(?:år\b|års?\b|åring\b|åringen\b)"),
    re.compile(rf"\b(?:er|e|blir|blei|ble|var|vart|alder|alderen|alder:)\s+(?P<num>\d{{1,3}}|{NUMWORD})\b(?!\s*(?:[\d%]|[,.]\d))"),
    re.compile(r"\b(?:født|fødd)\s+(?:i\s+)?(?P<year>(?:19|20)\d\d)\b"),
    # "til ein på 60", "en mann på 52", "for en kollega på 45"
    re.compile(rf"\b(?:en|ein|ei|mann|kvinne|dame|person|kollega|meg)\s+på\s+(?P<num>\d{{1,3}}|{NUMWORD})\b"
               rf"(?!\s*(?:[\d%]|[,.]\d|prosent|pst|kr\b|kroner|g\b|000))"),
]
NUMBER_RE = re.compile(r"-?\d+(?:[.,]\d+)?")
INCOME_CONTEXT = re.compile(r"lønn|løn|inntekt|tjener|tener|årslønn|årsløn|lønna|tente")
COST_CONTEXT = re.compile(r"kost|utgift|regning|rekning|betal|egenandel|eigenandel|behandling")
FULL = {"helt": 100.0, "heilt": 100.0, "fullt": 100.0, "full": 100.0, "halvt": 50.0, "halvparten": 50.0, "halv": 50.0}


@dataclass
class ParsedInputs:
    scheme: Optional[str] = None
    benefit: Optional[str] = None
    age: Optional[float] = None
    birth_year: Optional[int] = None
    percent: Optional[float] = None
    income: Optional[float] = None          # kroner a year
    income_g: Optional[float] = None        # "8,5 G"
    income_from_monthly: bool = False       # income = monthly × 12; the reply says so
    monthly_salary: Optional[float] = None
    costs: Optional[float] = None
    survivors: list[str] = field(default_factory=list)
    children_ages: list[int] = field(default_factory=list)
    numbers: list[float] = field(default_factory=list)   # numbers no pattern claimed (a bare "50")


def _blank(text: str, match: re.Match) -> str:
    return text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]


def _number(raw: str) -> float:
    raw = raw.strip()
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", raw):
        return float(raw.replace(" ", "").replace(".", "").replace(",", "."))
    value = word_number(raw)
    return float("nan") if value is None else value


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in re.finditer(r"[a-zæøåéèò]+", text)]


def _find(text: str, words: dict[str, list[str]], phrases: dict[str, list[str]]) -> list[tuple[int, str]]:
    """(position, value) for every keyword or phrase found; typos tolerated on long words."""
    hits: list[tuple[int, str]] = []
    vocabulary = {w: value for value, ws in words.items() for w in ws}
    for token, pos in _tokens(text):
        if token in vocabulary:
            hits.append((pos, vocabulary[token]))
        elif len(token) >= 6:
            best = process.extractOne(token, vocabulary.keys(), scorer=fuzz.ratio, score_cutoff=85)
            if best:
                hits.append((pos, vocabulary[best[0]]))
    for value, patterns in phrases.items():
        for pattern in patterns:
            hits += [(m.start(), value) for m in re.finditer(pattern, text)]
    return sorted(hits)


def _scheme(text: str) -> Optional[str]:
    found = {value for _, value in _find(text, SCHEME_WORDS, SCHEME_PHRASES)}
    for specific in ("yrkesskade_lov", "yrkesskade_overenskomst"):
        if specific in found:
            return specific
    for value in ("yrkesskade", "tjenestereise", "fritidsulykke", "gruppeliv", "utrykning"):
        if value in found:
            return value
    return None


def _survivors(text: str) -> list[str]:
    found: list[str] = []
    for pos, value in _find(text, SURVIVOR_WORDS, {}):
        before = text[max(0, pos - 14):pos]
        if re.search(r"\b(?:ingen|ikke|ikkje|ikkje noko|uten|utan|ikke noen)\s+$", before):
            continue  # "ingen barn", "ikke gift"
        if value not in found:
            found.append(value)
    if re.search(r"\bugift\b|\benslig\b|\beinsleg\b|\bsingel\b|\bsingle\b", text):
        found = [v for v in found if v != "ektefelle"]
    if not found and re.search(r"\bingen\b(?! (?:barn|born|unger|ungar)\b)|\bingen etterlatt|\bingen familie|"
                               r"\bingen etterlatne|\bnei\b", text):
        return ["ingen"]
    if not found and re.search(r"\bugift\b|\benslig\b|\beinsleg\b", text) and re.search(r"ingen (?:barn|born)", text):
        return ["ingen"]
    return found


def parse(text: str) -> ParsedInputs:
    """Everything the message says about a payout; fields stay None/empty when it says nothing."""
    text = normalise(text).replace("\u2212", "-")
    out = ParsedInputs()
    out.scheme = _scheme(text)
    benefits = _find(text, BENEFIT_WORDS, BENEFIT_PHRASES)
    out.benefit = benefits[0][1] if benefits else None
    out.survivors = _survivors(text)

    work = text
    for match in list(CHILDREN_RE.finditer(work)):
        ages = [word_number(a) for a in re.split(r"\s*(?:,|og|&|\+)\s*", match.group("ages"))]
        if ages and all(a is not None and a == int(a) for a in ages):
            out.children_ages += [int(a) for a in ages]
            work = _blank(work, match)
    if not out.children_ages and re.search(rf"\b{_CHILD}", work):
        for match in list(CHILDREN_PRONOUN_RE.finditer(work)):
            ages = [word_number(a) for a in re.split(r"\s*(?:,|og|&|\+)\s*", match.group("ages"))]
            if ages and all(a is not None and a == int(a) for a in ages):
                out.children_ages += [int(a) for a in ages]
                work = _blank(work, match)
    if out.children_ages and "barn" not in out.survivors:
        out.survivors.append("barn")

    for match in PERCENT_RE.finditer(work):
        value = float(match.group("num").replace(",", "."))
        out.percent = -value if match.group("sign") else value
        work = _blank(work, match)
        break
    if out.percent is None:
        words_found = [w for w, _ in _tokens(work)]
        for word in words_found:
            if word in FULL and re.search(r"\b(?:helt|heilt|fullt|full|halvt|halv)\s+\w*(?:ufør|invalid)|halvparten",
                                          work):
                out.percent = FULL[word]
                break

    for match in INCOME_G_RE.finditer(work):
        out.income_g = float(match.group("num").replace(",", "."))
        work = _blank(work, match)
        break

    for match in MONEY_RE.finditer(work):
        unit = (match.group("unit") or "").strip()
        value = _number(match.group("num"))
        if value != value:  # NaN: not a number after all
            continue
        if unit in ("k", "'", "tusen") or unit.startswith("tusen"):
            value *= 1000
        elif unit.startswith("mill"):
            value *= 1_000_000
        if not unit and value < 1000:
            continue
        if match.group("sign"):
            value = -value
        monthly = bool(MONTHLY_RE.search(work[match.end():match.end() + 25]) or
                       re.search(r"månedslønn|månadsløn|månedlig|månadleg", work[max(0, match.start() - 25):match.start()]))
        if monthly:
            out.monthly_salary = value
            out.income, out.income_from_monthly = value * 12, True
        elif COST_CONTEXT.search(text) and not INCOME_CONTEXT.search(text):
            out.costs = value
        else:
            out.income = value
        work = _blank(work, match)
        break

    for pattern in AGE_RES:
        match = pattern.search(work)
        if not match:
            continue
        if "year" in match.groupdict() and match.group("year"):
            out.birth_year = int(match.group("year"))
        else:
            out.age = word_number(match.group("num"))
            if out.age is not None and match.groupdict().get("sign"):
                out.age = -out.age  # kept so validation can say it is out of range
        work = _blank(work, match)
        break

    out.numbers = [float(n.replace(",", ".")) for n in NUMBER_RE.findall(work)]
    return out
