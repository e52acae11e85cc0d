"""The knowledge base: facts from kb/facts.yml and tables from kb/tables.yml, and the lookup.

No Rasa imports. `lookup(intent, scheme, topic, language)` returns an `Answer` (text, sections,
buttons). Every answer text ends with its source line; amounts come with the terms-take-precedence
note and, for G, the G in force. Quotes are checked against the brochure by `actions.kb_build`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from rapidfuzz import fuzz, process

from actions.g_question import g_question_lines
from actions.grunnbelop import GInForce, g_in_force
from actions.nortext import format_day, format_g, format_kr, normalise
from actions.yaml_data import KB_DIR, DataError, load_yaml, require

FACTS_FILE = KB_DIR / "facts.yml"
TABLES_FILE = KB_DIR / "tables.yml"

LANGUAGES = ("nb", "nn")
SCHEMES = ("yrkesskade_lov", "yrkesskade_overenskomst", "fritidsulykke", "gruppeliv", "tjenestereise", "utrykning")
SCHEME_GROUPS = {"yrkesskade": ("yrkesskade_lov", "yrkesskade_overenskomst")}
BENEFIT_TOPICS = ("men", "ervervsuforhet", "dodsfall", "behandlingsutgifter", "barnetillegg", "begravelse")
GLOSSARY_TOPICS = ("men", "ervervsuforhet", "ektefelle", "registrert_partner", "samboer", "barn", "grunnbelop", "folketrygden")
TOPICS = tuple(dict.fromkeys(BENEFIT_TOPICS + GLOSSARY_TOPICS))
KB_INTENTS = (
    "ask_schemes_overview", "ask_who_covered", "ask_where_when", "ask_benefits", "ask_survivors",
    "ask_coordination", "ask_insurer", "ask_employment_end", "ask_treatment_costs", "ask_not_covered",
    "ask_definition", "ask_grunnbelop", "ask_tax", "ask_claim_steps", "ask_health_trusts", "ask_contact",
    "ask_liability",
)

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_G_AMOUNT = re.compile(r"G:(\d+(?:\.\d+)?)")
_KR_AMOUNT = re.compile(r"kr:(\d+(?:\.\d+)?)")
_TABLE = re.compile(r"table:([a-z0-9_]+)")

# Phrases shown around facts. Kept here (not in facts.yml) because they are the reply style, not facts.
UI: dict[str, dict[str, str]] = {
    "nb": {
        "source": "Kilde",
        "terms": "Gjeldende forsikringsvilkår går foran.",
        "g_used": "Kronebeløpene er regnet med 1 G = {amount}, som gjelder fra {day}.",
        "g_outdated": "G kan ha blitt justert etter dette.",
        "g_in_force": "1 G er {amount} (gjelder fra {day})",
        "ask_hr": "Spør personalavdelingen.",
        "topic_gap": "Brosjyren nevner ikke «{topic}» for {scheme}. Dette står om {scheme}:",
        "not_mentioned": "Brosjyren nevner ikke dette for: {schemes}.",
        "not_said": "brosjyren sier ikke noe om dette",
        "unlimited": "ubegrenset",
        "unknown": "Det kan jeg ikke svare på ut fra brosjyren. Jeg kan svare på disse forsikringene: {schemes}. Velg en, eller spør personalavdelingen.",
        "glossary_unknown": "«{topic}» står ikke i ordlisten i brosjyren.",
        "and": "og",
    },
    "nn": {
        "source": "Kjelde",
        "terms": "Gjeldande forsikringsvilkår går føre.",
        "g_used": "Kronebeløpa er rekna med 1 G = {amount}, som gjeld frå {day}.",
        "g_outdated": "G kan ha blitt justert sidan.",
        "g_in_force": "1 G er {amount} (gjeld frå {day})",
        "ask_hr": "Spør personalavdelinga.",
        "topic_gap": "Brosjyren nemner ikkje «{topic}» for {scheme}. Dette står om {scheme}:",
        "not_mentioned": "Brosjyren nemner ikkje dette for: {schemes}.",
        "not_said": "brosjyren seier ikkje noko om dette",
        "unlimited": "uavgrensa",
        "unknown": "Det kan eg ikkje svare på ut frå brosjyren. Eg kan svare på desse forsikringane: {schemes}. Vel ei, eller spør personalavdelinga.",
        "glossary_unknown": "«{topic}» står ikkje i ordlista i brosjyren.",
        "and": "og",
    },
}


# ---------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Quote:
    text: str
    section: str  # heading path suffix in the source's spelling, "Outer > Inner"
    source: str  # key in KnowledgeBase.sources
    title: Optional[str] = None  # shown in the source line when set


@dataclass(frozen=True)
class Fact:
    id: str
    intent: str
    schemes: tuple[str, ...]  # () = general
    topics: tuple[str, ...]
    section: str
    title: str
    source: str
    quotes: tuple[Quote, ...]
    text: dict[str, str]
    short: Optional[dict[str, str]] = None

    @property
    def titles(self) -> tuple[str, ...]:
        extra = [q.title for q in self.quotes if q.title]
        return tuple(dict.fromkeys([self.title] + extra))

    def to_json(self) -> dict[str, Any]:
        return {
            "intent": self.intent, "schemes": list(self.schemes), "topics": list(self.topics),
            "section": self.section, "title": self.title, "source": self.source,
            "quotes": [{"text": q.text, "section": q.section, "source": q.source} for q in self.quotes],
            "text": self.text, "short": self.short,
        }


@dataclass(frozen=True)
class TableRow:
    text: str  # the row as printed in the brochure
    label: dict[str, str]
    data: dict[str, Any]

    @property
    def value(self) -> Optional[float]:
        return self.data.get("value")

    @property
    def unlimited(self) -> bool:
        return bool(self.data.get("unlimited"))

    def numbers(self, fields: Iterable[str]) -> list[float]:
        return [self.data[f] for f in fields if self.data.get(f) is not None]


@dataclass(frozen=True)
class Table:
    id: str
    section: str
    unit: str  # "G", "kr" or "none"
    number_fields: tuple[str, ...]
    rows: tuple[TableRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section, "unit": self.unit, "number_fields": list(self.number_fields),
            "rows": [{"text": r.text, **r.label, **r.data} for r in self.rows],
        }


@dataclass(frozen=True)
class Scheme:
    id: str
    name: dict[str, str]
    definite: dict[str, str]
    section: str
    title: str
    in_summaries: bool
    gap_note: Optional[dict[str, str]]


@dataclass(frozen=True)
class IntentConfig:
    name: str
    scope: str  # "scheme" or "general"
    no_scheme: Optional[str]  # "summary" or "buttons"
    topic_summary: bool
    intro: Optional[dict[str, str]]
    question: Optional[dict[str, str]]
    gap: Optional[dict[str, str]]


@dataclass(frozen=True)
class Source:
    key: str
    file: str
    cite: dict[str, str]


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Answer:
    text: str
    sections: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    fact_ids: tuple[str, ...] = ()
    kind: str = "fact"  # fact | summary | gap | choice | unknown
    scheme: Optional[str] = None  # for the `scheme` slot
    topic: Optional[str] = None  # for the `topic` slot


@dataclass
class KnowledgeBase:
    sources: dict[str, Source]
    schemes: dict[str, Scheme]
    topics: dict[str, dict[str, str]]
    intents: dict[str, IntentConfig]
    gaps: dict[tuple[str, str], Optional[dict[str, str]]]
    facts: dict[str, Fact]
    tables: dict[str, Table]
    heading_corrections: dict[str, str]
    index: dict[tuple[str, Optional[str], Optional[str]], Fact] = field(default_factory=dict)

    def find(self, intent: str, scheme: Optional[str], topic: Optional[str] = None) -> Optional[Fact]:
        return self.index.get((intent, scheme, topic))

    def display_heading(self, heading: str) -> str:
        """A heading as shown to users: brochure typos corrected, trailing colon dropped."""
        fixed = {section_key(k): v for k, v in self.heading_corrections.items()}.get(section_key(heading), heading)
        return fixed.rstrip(" :")


def section_key(heading: str) -> str:
    """Compare headings ignoring case, emphasis markers, spacing and a trailing colon."""
    return normalise(heading.replace("*", "")).rstrip(" :")


# ---------------------------------------------------------------------------- loading and validation


def _lang_map(raw: Any, path: Path, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise DataError(path, where, "must be a mapping with nb and nn")
    out = {}
    for lang in LANGUAGES:
        value = require(raw, lang, str, path, where)
        if not value.strip():
            raise DataError(path, f"{where}.{lang}", "must not be empty")
        if "\u00a0" in value:
            raise DataError(path, f"{where}.{lang}", "contains a no-break space; use plain spaces")
        out[lang] = value.strip()
    return out


def _check_placeholders(text: str, tables: dict[str, Table], path: Path, where: str) -> None:
    for token in _PLACEHOLDER.findall(text):
        if token == "G_in_force" or _G_AMOUNT.fullmatch(token) or _KR_AMOUNT.fullmatch(token):
            continue
        table = _TABLE.fullmatch(token)
        if table and table.group(1) in tables:
            continue
        raise DataError(path, where, f"unknown placeholder {{{token}}}")


def _load_tables(path: Path) -> dict[str, Table]:
    raw = load_yaml(path)
    if require(raw, "schema", str, path, "") != "tables/1":
        raise DataError(path, "schema", "expected 'tables/1'")
    tables: dict[str, Table] = {}
    for i, item in enumerate(require(raw, "tables", list, path, "")):
        where = f"tables[{i}]"
        tid = require(item, "id", str, path, where)
        if tid in tables:
            raise DataError(path, f"{where}.id", f"duplicate table id {tid!r}")
        unit = require(item, "unit", str, path, where)
        if unit not in ("G", "kr", "none"):
            raise DataError(path, f"{where}.unit", f"must be G, kr or none, got {unit!r}")
        fields = tuple(require(item, "number_fields", list, path, where))
        rows = []
        for j, row in enumerate(require(item, "rows", list, path, where)):
            rwhere = f"{where}.rows[{j}]"
            text = require(row, "text", str, path, rwhere)
            label = _lang_map(row, path, rwhere)
            data = {k: v for k, v in row.items() if k not in ("text", "nb", "nn")}
            for key in fields:
                if data.get(key) is not None and not isinstance(data[key], (int, float)):
                    raise DataError(path, f"{rwhere}.{key}", "must be a number")
            if unit != "none" and not data.get("unlimited") and not isinstance(data.get("value"), (int, float)):
                raise DataError(path, f"{rwhere}.value", "must be a number (or set unlimited: true)")
            rows.append(TableRow(text, label, data))
        if not rows:
            raise DataError(path, f"{where}.rows", "must hold at least one row")
        tables[tid] = Table(tid, require(item, "section", str, path, where), unit, fields, tuple(rows))
    return tables


def _load_quotes(raw: Any, section: str, source: str, path: Path, where: str) -> tuple[Quote, ...]:
    if not isinstance(raw, list) or not raw:
        raise DataError(path, where, "must list at least one verbatim quote")
    quotes = []
    for k, item in enumerate(raw):
        qwhere = f"{where}[{k}]"
        if isinstance(item, str):
            quotes.append(Quote(item, section, source))
        elif isinstance(item, dict):
            title = item.get("title")
            if title is not None and not isinstance(title, str):
                raise DataError(path, f"{qwhere}.title", "must be text")
            quotes.append(Quote(
                require(item, "quote", str, path, qwhere),
                item.get("section", section), item.get("source", source), title,
            ))
        else:
            raise DataError(path, qwhere, "must be text or a mapping with quote/section/title")
        if len(quotes[-1].text.strip()) < 3:
            raise DataError(path, qwhere, "quote is too short to be checked")
    return tuple(quotes)


def _load_fact(item: Any, i: int, kb: KnowledgeBase, path: Path) -> Fact:
    where = f"facts[{i}]"
    fid = require(item, "id", str, path, where)
    where = f"facts[{i}] ({fid})"
    intent = require(item, "intent", str, path, where)
    if intent not in KB_INTENTS:
        raise DataError(path, f"{where}.intent", f"unknown intent {intent!r}")
    schemes = tuple(require(item, "schemes", list, path, where))
    for s in schemes:
        if s not in SCHEMES:
            raise DataError(path, f"{where}.schemes", f"unknown scheme {s!r}")
    if schemes and kb.intents[intent].scope == "general":
        raise DataError(path, f"{where}.schemes", f"{intent} is a general intent; schemes must be []")
    topics = tuple(item.get("topics", []) or [])
    for t in topics:
        if t not in TOPICS:
            raise DataError(path, f"{where}.topics", f"unknown topic {t!r}")
    source = item.get("source", "brochure")
    if source not in kb.sources:
        raise DataError(path, f"{where}.source", f"unknown source {source!r}")
    section = require(item, "section", str, path, where)
    text = _lang_map(item, path, where)
    short = _lang_map(item["short"], path, f"{where}.short") if "short" in item else None
    for lang in LANGUAGES:
        _check_placeholders(text[lang], kb.tables, path, f"{where}.{lang}")
        if short:
            _check_placeholders(short[lang], kb.tables, path, f"{where}.short.{lang}")
    return Fact(
        fid, intent, schemes, topics, section, require(item, "title", str, path, where), source,
        _load_quotes(item.get("quotes"), section, source, path, f"{where}.quotes"), text, short,
    )


def _index(kb: KnowledgeBase, path: Path) -> None:
    for fact in kb.facts.values():
        for scheme in fact.schemes or (None,):
            for topic in fact.topics or (None,):
                key = (fact.intent, scheme, topic)
                if key in kb.index:
                    raise DataError(path, f"facts ({fact.id})", f"answers {key} like {kb.index[key].id!r}")
                kb.index[key] = fact
    # A scheme with a single fact for an intent answers the intent without a topic too.
    by_pair: dict[tuple[str, Optional[str]], set[str]] = {}
    for (intent, scheme, _topic), fact in kb.index.items():
        by_pair.setdefault((intent, scheme), set()).add(fact.id)
    for (intent, scheme), ids in by_pair.items():
        if (intent, scheme, None) not in kb.index and len(ids) == 1:
            kb.index[(intent, scheme, None)] = kb.facts[next(iter(ids))]


def _check_coverage(kb: KnowledgeBase, path: Path) -> None:
    """Every scheme intent x scheme is answered by a fact or declared a gap; never both, never neither."""
    for intent, cfg in kb.intents.items():
        if cfg.scope != "scheme":
            if intent != "ask_definition" and (intent, None, None) not in kb.index:
                raise DataError(path, "facts", f"no general fact answers {intent}")
            continue
        for scheme in SCHEMES:
            has_fact = (intent, scheme, None) in kb.index
            has_gap = (intent, scheme) in kb.gaps
            if has_fact == has_gap:
                problem = "has both a fact and a gap" if has_fact else "has neither a fact nor a gap entry"
                raise DataError(path, "gaps", f"({intent}, {scheme}) {problem}")
        if (intent, None, None) not in kb.index and cfg.no_scheme is None:
            raise DataError(path, f"intents.{intent}", "needs a general fact or no_scheme: summary|buttons")
        summarised = [kb.find(intent, s) for s in SCHEMES if kb.schemes[s].in_summaries] if cfg.no_scheme == "summary" else []
        if cfg.topic_summary:
            summarised += [f for (i, s, t), f in kb.index.items() if i == intent and s and t]
        for fact in summarised:
            if fact is not None and fact.short is None:
                raise DataError(path, f"facts ({fact.id}).short", f"needed: {intent} is summarised one line per scheme")


def load_kb(facts_file: Path = FACTS_FILE, tables_file: Path = TABLES_FILE) -> KnowledgeBase:
    """Load and validate; raises DataError naming the file and the field."""
    path = Path(facts_file)
    tables = _load_tables(Path(tables_file))
    raw = load_yaml(path)
    if require(raw, "schema", str, path, "") != "facts/1":
        raise DataError(path, "schema", "expected 'facts/1'")
    sources = {
        key: Source(key, require(v, "file", str, path, f"sources.{key}"), _lang_map(v.get("cite"), path, f"sources.{key}.cite"))
        for key, v in require(raw, "sources", dict, path, "").items()
    }
    if "brochure" not in sources:
        raise DataError(path, "sources.brochure", "is missing")
    schemes = {}
    for i, item in enumerate(require(raw, "schemes", list, path, "")):
        where = f"schemes[{i}]"
        sid = require(item, "id", str, path, where)
        schemes[sid] = Scheme(
            sid, _lang_map(item, path, where), _lang_map(item.get("def"), path, f"{where}.def"),
            require(item, "section", str, path, where), require(item, "title", str, path, where),
            bool(item.get("in_summaries", True)),
            _lang_map(item["gap_note"], path, f"{where}.gap_note") if "gap_note" in item else None,
        )
    if set(schemes) != set(SCHEMES):
        raise DataError(path, "schemes", f"must define exactly {', '.join(SCHEMES)}")
    topics = {t: _lang_map(v, path, f"topics.{t}") for t, v in require(raw, "topics", dict, path, "").items()}
    if set(topics) != set(TOPICS):
        raise DataError(path, "topics", f"must define exactly {', '.join(TOPICS)}")
    intents = {}
    for name, item in require(raw, "intents", dict, path, "").items():
        where = f"intents.{name}"
        scope = require(item, "scope", str, path, where)
        if scope not in ("scheme", "general"):
            raise DataError(path, f"{where}.scope", "must be scheme or general")
        no_scheme = item.get("no_scheme")
        if no_scheme not in (None, "summary", "buttons"):
            raise DataError(path, f"{where}.no_scheme", "must be summary or buttons")
        opt = {k: _lang_map(item[k], path, f"{where}.{k}") if k in item else None for k in ("intro", "question", "gap")}
        if scope == "scheme" and opt["gap"] is None:
            raise DataError(path, f"{where}.gap", "is missing (needed for schemes the brochure says nothing about)")
        if (no_scheme == "summary" or item.get("no_topic_summary")) and opt["intro"] is None:
            raise DataError(path, f"{where}.intro", "is missing (needed for summaries)")
        if no_scheme == "buttons" and opt["question"] is None:
            raise DataError(path, f"{where}.question", "is missing (needed for the choice of schemes)")
        intents[name] = IntentConfig(name, scope, no_scheme, bool(item.get("no_topic_summary")), opt["intro"], opt["question"], opt["gap"])
    if set(intents) != set(KB_INTENTS):
        raise DataError(path, "intents", f"must configure exactly {', '.join(KB_INTENTS)}")
    gaps: dict[tuple[str, str], Optional[dict[str, str]]] = {}
    for i, item in enumerate(require(raw, "gaps", list, path, "")):
        where = f"gaps[{i}]"
        intent = require(item, "intent", str, path, where)
        if intents.get(intent) is None or intents[intent].scope != "scheme":
            raise DataError(path, f"{where}.intent", f"{intent!r} is not a scheme intent")
        note = _lang_map(item["note"], path, f"{where}.note") if "note" in item else None
        for s in require(item, "schemes", list, path, where):
            if s not in SCHEMES or (intent, s) in gaps:
                raise DataError(path, f"{where}.schemes", f"unknown or repeated scheme {s!r}")
            gaps[(intent, s)] = note
    corrections = raw.get("heading_corrections") or {}
    kb = KnowledgeBase(sources, schemes, topics, intents, gaps, {}, tables, dict(corrections))
    for i, item in enumerate(require(raw, "facts", list, path, "")):
        fact = _load_fact(item, i, kb, path)
        if fact.id in kb.facts:
            raise DataError(path, f"facts[{i}].id", f"duplicate fact id {fact.id!r}")
        kb.facts[fact.id] = fact
    _index(kb, path)
    _check_coverage(kb, path)
    return kb


@lru_cache(maxsize=2)
def _cached(facts_file: str, tables_file: str) -> KnowledgeBase:
    return load_kb(Path(facts_file), Path(tables_file))


def get_kb() -> KnowledgeBase:
    return _cached(str(FACTS_FILE), str(TABLES_FILE))


# ---------------------------------------------------------------------------- normalising entity values

SCHEME_SYNONYMS: dict[str, tuple[str, ...]] = {
    "yrkesskade_lov": (
        "yrkesskade lov", "yrkesskade loven", "yrkesskade etter loven", "yrkesskadeforsikring etter loven",
        "yrkesskadeforsikringen etter loven", "yrkesskadeforsikring etter lova", "yrkesskadeforsikringa etter lova",
        "lovbestemt yrkesskade", "lovbestemt yrkesskadeforsikring", "yrkesskadeloven", "yrkesskadelova",
        "yrkesskedeforsikring etter loven", "yrskesskadeforsikring etter loven", "lov om yrkesskadeforsikring",
    ),
    "yrkesskade_overenskomst": (
        "overenskomst", "overenskomsten", "overeinskomst", "overeinskomsten", "yrkesskade etter overenskomsten",
        "yrkesskadeforsikring etter overenskomsten", "yrkesskadeforsikringa etter overeinskomsten",
        "tariffestet yrkesskade", "tariffesta yrkesskade", "tariff", "spekter", "yrkesskade overenskomst",
    ),
    "yrkesskade": (
        "yrkesskade", "yrkesskader", "yrkesskaden", "yrkesskadeforsikring", "yrkesskadeforsikringen",
        "yrkesskadeforsikringa", "yrkesskadeforsikringene", "yrkesskadeforsikringane", "arbeidsulykke",
        "arbeidsulukke", "yrkessykdom", "yrkessjukdom", "skade på jobb",
    ),
    "fritidsulykke": (
        "fritidsulykke", "fritidsulykkesforsikring", "fritidsulykkesforsikringen", "ulykkesforsikring fritid",
        "fritid", "fritiden", "fritida", "fritidsulukke", "fritidsulukkesforsikring", "fritidsulukkesforsikringa",
        "ulykke på fritiden", "ulukke på fritida", "ulykkesforsikring", "ulukkesforsikring",
    ),
    "gruppeliv": (
        "gruppeliv", "gruppelivet", "gruppelivsforsikring", "gruppelivsforsikringen", "gruppelivsforsikringa",
        "grupplivsforsikring", "gruppelivforsikring", "livsforsikring", "livsforsikringen", "livsforsikringa",
    ),
    "tjenestereise": (
        "tjenestereise", "tjenestereiser", "tjenestereiseforsikring", "tjenestereiseforsikringen", "tenestereise",
        "tenestereiser", "tenestereiseforsikring", "tenestereiseforsikringa", "reiseforsikring",
        "reiseforsikringen", "reiseforsikringa", "jobbreise", "reise i jobben",
    ),
    "utrykning": (
        "utrykning", "utrykningspersonell", "utrykking", "utrykkingspersonell",
        "tilleggsforsikring for utrykningspersonell", "tilleggsforsikringer for utrykningspersonell",
    ),
}

TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "men": ("men", "mén", "mèn", "medisinsk invaliditet", "invaliditet", "varig mén", "ménerstatning", "menerstatning", "invaliditetserstatning"),
    "ervervsuforhet": (
        "ervervsuførhet", "ervervsmessig uførhet", "erversuførhet", "uførhet", "ufør", "uføre", "uførleik",
        "ervervsuførleik", "ervervsmessig uførleik", "arbeidsuførhet", "uføreerstatning", "ervervsmessig",
    ),
    "dodsfall": ("død", "dødsfall", "dodsfall", "dødsfallet", "dødsfallserstatning", "dør", "døyr", "dodsfallserstatning"),
    "behandlingsutgifter": ("behandlingsutgifter", "behandlingsutgift", "behandling", "legeutgifter", "tannlege", "egenandel", "eigenandel"),
    "barnetillegg": ("barnetillegg", "barnetillegget", "tillegg for barn"),
    "begravelse": ("begravelse", "begravelsen", "gravferd", "gravferda", "utgifter ved dødsfall"),
    "ektefelle": ("ektefelle", "ektefellen", "ektemake", "ektemaken", "kone", "ektemann"),
    "registrert_partner": ("registrert partner", "registrert partnar", "partner", "partnar", "partnerskap"),
    "samboer": ("samboer", "samboeren", "sambuar", "sambuaren", "samboerskap", "sambuarskap"),
    "barn": ("barn", "barna", "born", "borna", "adoptivbarn"),
    "grunnbelop": ("g", "grunnbeløp", "grunnbeløpet", "grunnbelop", "folketrygdens grunnbeløp"),
    "folketrygden": ("folketrygd", "folketrygden", "folketrygda"),
}


def _value_key(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return normalise(value.replace("_", " ")).strip(" .,!?«»\"'")


def _match(value: Any, canonical: Iterable[str], synonyms: dict[str, tuple[str, ...]]) -> Optional[str]:
    key = _value_key(value)
    if not key:
        return None
    for name in canonical:
        if key == name.replace("_", " "):
            return name
    lookup = {syn: name for name, syns in synonyms.items() for syn in syns}
    if key in lookup:
        return lookup[key]
    if len(key) < 4:  # "g", "men": only exact matches, fuzzy matching on two letters is noise
        return None
    # Typos and inflections missing from the list ("grupplivsforsikringa", "fritidsulykka").
    best = process.extractOne(key, list(lookup), scorer=fuzz.ratio, score_cutoff=85)
    return lookup[best[0]] if best else None


def normalise_scheme(value: Any) -> Optional[str]:
    """A scheme entity value as written ('gruppelivet', 'Grupplivsforsikring') -> 'gruppeliv'; None if unknown."""
    return _match(value, SCHEMES + tuple(SCHEME_GROUPS), SCHEME_SYNONYMS)


def distinct_schemes(values: Iterable[Any]) -> list[str]:
    """Scheme ids of several named schemes, in order, without repeats; a group stays whole when it is the only
    one named ("yrkesskade") and is split into its members next to another scheme."""
    ids = list(dict.fromkeys(s for s in (normalise_scheme(v) for v in values) if s))
    if len(ids) < 2:
        return ids
    members = [m for s in ids for m in SCHEME_GROUPS.get(s, (s,))]
    return list(dict.fromkeys(members))


def normalise_topic(value: Any) -> Optional[str]:
    return _match(value, TOPICS, TOPIC_SYNONYMS)


# Words that are also everyday words ("men" = but, "dør" = door, "fritid", "g"): never taken from free text.
_AMBIGUOUS_IN_TEXT = frozenset({"men", "g", "dør", "fritid", "fritiden", "fritida", "tariff", "barn", "barna",
                                "born", "borna", "partner", "partnar", "kone", "behandling", "reise i jobben"})
_SPECIFIC_OVER_GENERIC = {"yrkesskade": ("yrkesskade_lov", "yrkesskade_overenskomst")}


def _mentions(text: str, synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """Canonical values whose synonyms appear in the text as whole words (1–5-word phrases), in text order."""
    words = _value_key(text).replace(",", " ").replace("?", " ").replace(".", " ").split()
    lookup = {syn: name for name, syns in synonyms.items() for syn in syns if syn not in _AMBIGUOUS_IN_TEXT}
    longest = max(len(syn.split()) for syn in lookup)
    found: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(longest, len(words) - start), 0, -1):
            phrase = " ".join(words[start:start + size])
            name = lookup.get(phrase)
            if name is None and size == 1 and len(phrase) >= 8:  # typos in long compounds only
                best = process.extractOne(phrase, list(lookup), scorer=fuzz.ratio, score_cutoff=88)
                name = lookup[best[0]] if best else None
            if name is not None:
                found.append(name)
                start += size
                break
        else:
            start += 1
    return found


def scheme_in_text(text: str) -> Optional[str]:
    """The one scheme a message names when the entity extractor missed it; None when none or several."""
    found = set(_mentions(text, SCHEME_SYNONYMS))
    for generic, specific in _SPECIFIC_OVER_GENERIC.items():
        if generic in found and found & set(specific):
            found.discard(generic)
    return found.pop() if len(found) == 1 else None


def schemes_in_text(text: str) -> list[str]:
    """Every scheme a message names, as distinct_schemes gives them ("yrkesskade og fritidsulykke" -> three)."""
    return distinct_schemes(_mentions(text, SCHEME_SYNONYMS))


def topic_in_text(text: str) -> Optional[str]:
    """The one topic (benefit kind or glossary term) a message names; None when none or several."""
    found = set(_mentions(text, TOPIC_SYNONYMS))
    return found.pop() if len(found) == 1 else None


def normalise_intent(value: Any) -> Optional[str]:
    name = value.strip().lstrip("/") if isinstance(value, str) else ""
    return name if name in KB_INTENTS else None


def normalise_language(value: Any) -> str:
    return "nn" if isinstance(value, str) and value.strip().lower() in ("nn", "nynorsk") else "nb"


# ---------------------------------------------------------------------------- rendering


class _Renderer:
    """Fills placeholders and remembers which notes (terms, G) the reply needs."""

    def __init__(self, kb: KnowledgeBase, lang: str, g: GInForce) -> None:
        self.kb, self.lang, self.g = kb, lang, g
        self.amounts = self.g_used = self.g_in_force_used = False

    def g_text(self, multiple: float) -> str:
        self.amounts = self.g_used = True
        return f"{format_g(multiple)} ({format_kr(multiple * self.g.amount)})"

    def table(self, table: Table) -> str:
        lines = []
        for row in table.rows:
            label = row.label[self.lang]
            if table.unit == "none":
                lines.append(f"• {label}")
                continue
            self.amounts = True
            if row.unlimited:
                value = UI[self.lang]["unlimited"]
            elif table.unit == "G":
                value = self.g_text(float(row.value))
            else:
                value = format_kr(float(row.value))
            lines.append(f"• {label}: {value}")
        return "\n".join(lines)

    def fill(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            token = match.group(1)
            if token == "G_in_force":
                self.g_in_force_used = True
                return UI[self.lang]["g_in_force"].format(amount=format_kr(self.g.amount), day=format_day(self.g.valid_from))
            if m := _G_AMOUNT.fullmatch(token):
                return self.g_text(float(m.group(1)))
            if m := _KR_AMOUNT.fullmatch(token):
                self.amounts = True
                return format_kr(float(m.group(1)))
            if m := _TABLE.fullmatch(token):
                return self.table(self.kb.tables[m.group(1)])
            return match.group(0)

        return _PLACEHOLDER.sub(replace, text)

    def notes(self) -> list[str]:
        ui = UI[self.lang]
        notes = []
        if self.g_used and not self.g_in_force_used:
            notes.append(ui["g_used"].format(amount=format_kr(self.g.amount), day=format_day(self.g.valid_from)))
        if (self.g_used or self.g_in_force_used) and self.g.possibly_outdated:
            notes.append(ui["g_outdated"])
        if self.amounts:
            notes.append(ui["terms"])
        return notes


def source_lines(kb: KnowledgeBase, cited: list[tuple[str, str]], lang: str) -> list[str]:
    """'Kilde: Personalforsikringer, Helse Vest (02.11.2019), «A», «B»', one line per source."""
    by_source: dict[str, list[str]] = {}
    for source, title in cited:
        titles = by_source.setdefault(source, [])
        if title not in titles:
            titles.append(title)
    label = UI[lang]["source"]
    return [
        f"{label}: {kb.sources[s].cite[lang]}, " + ", ".join(f"«{t}»" for t in titles)
        for s, titles in by_source.items()
    ]


class _Reply:
    """Collects the parts of one answer, then adds notes and the source line."""

    def __init__(self, kb: KnowledgeBase, lang: str, g: GInForce) -> None:
        self.kb, self.lang = kb, lang
        self.render = _Renderer(kb, lang, g)
        self.parts: list[str] = []
        self.cited: list[tuple[str, str]] = []
        self.fact_ids: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(self.render.fill(text))

    def add_fact(self, fact: Fact, short: bool = False) -> None:
        self.add(fact.short[self.lang] if short and fact.short else fact.text[self.lang])
        self.cite_fact(fact)

    def cite_fact(self, fact: Fact) -> None:
        self.fact_ids.append(fact.id)
        self.cited += [(fact.source, t) for t in fact.titles]

    def cite(self, title: str, source: str = "brochure") -> None:
        self.cited.append((source, title))

    def answer(self, kind: str, buttons: tuple[Button, ...] = (), scheme: Optional[str] = None, topic: Optional[str] = None) -> Answer:
        lines = self.parts + self.render.notes()
        if self.cited:
            lines += source_lines(self.kb, self.cited, self.lang)
        sections = tuple(dict.fromkeys(t for _, t in self.cited))
        return Answer("\n".join(lines), sections, buttons, tuple(dict.fromkeys(self.fact_ids)), kind, scheme, topic)


def payload(intent: str, **entities: Optional[str]) -> str:
    """Rasa 3 button payload: /ask_benefits{"scheme":"gruppeliv"}."""
    values = {k: v for k, v in entities.items() if v}
    return f"/{intent}{json.dumps(values, ensure_ascii=False, separators=(',', ':'))}" if values else f"/{intent}"


# ---------------------------------------------------------------------------- lookup


class _Lookup:
    def __init__(self, kb: KnowledgeBase, lang: str, g: GInForce) -> None:
        self.kb, self.lang, self.g = kb, lang, g

    def reply(self) -> _Reply:
        return _Reply(self.kb, self.lang, self.g)

    def scheme_name(self, scheme: str) -> str:
        return self.kb.schemes[scheme].name[self.lang]

    def scheme_buttons(self, intent: str, schemes: Iterable[str], topic: Optional[str] = None) -> tuple[Button, ...]:
        return tuple(Button(self.scheme_name(s), payload(intent, scheme=s, topic=topic)) for s in schemes)

    def summary_schemes(self) -> list[str]:
        return [s for s in SCHEMES if self.kb.schemes[s].in_summaries]

    # -- single scheme

    def gap(self, reply: _Reply, intent: str, scheme: str) -> None:
        cfg, info = self.kb.intents[intent], self.kb.schemes[scheme]
        parts = [cfg.gap[self.lang].format(scheme=info.definite[self.lang])]
        note = self.kb.gaps.get((intent, scheme))
        for extra in (note, info.gap_note):
            if extra:
                parts.append(extra[self.lang])
        parts.append(UI[self.lang]["ask_hr"])
        reply.add(" ".join(parts))
        reply.cite(info.title)

    def one_scheme(self, intent: str, scheme: str, topic: Optional[str]) -> Answer:
        reply = self.reply()
        fact = self.kb.find(intent, scheme, topic) if topic else None
        kind = "fact"
        if fact is None:
            fact = self.kb.find(intent, scheme)
            # Only a benefit kind the scheme lacks is worth saying; other topics just narrow nothing.
            if topic and intent == "ask_benefits" and topic in BENEFIT_TOPICS and fact is not None:
                reply.add(UI[self.lang]["topic_gap"].format(
                    topic=self.kb.topics[topic][self.lang], scheme=self.kb.schemes[scheme].definite[self.lang]))
                kind = "gap"
        if fact is None:
            self.gap(reply, intent, scheme)
            return reply.answer("gap", scheme=scheme, topic=topic)
        reply.add_fact(fact)
        return reply.answer(kind, scheme=scheme, topic=topic)

    # -- several schemes

    def summary(self, intent: str, schemes: list[str], topic: Optional[str], group: Optional[str] = None) -> Answer:
        """One line per scheme; schemes sharing a fact share a line."""
        reply = self.reply()
        cfg = self.kb.intents[intent]
        rows: dict[str, list[str]] = {}
        facts: dict[str, Fact] = {}
        missing: list[str] = []
        for scheme in schemes:
            fact = self.kb.find(intent, scheme, topic) if topic else self.kb.find(intent, scheme)
            if fact is None:
                missing.append(scheme)
                continue
            rows.setdefault(fact.id, []).append(scheme)
            facts[fact.id] = fact
        if not facts:
            return self.choice(intent, topic)
        if cfg.intro:
            reply.add(cfg.intro[self.lang])
        joiner = f" {UI[self.lang]['and']} "
        for fid, members in rows.items():
            names = joiner.join(self.scheme_name(s) for s in members)
            reply.add(f"• {names}: " + reply.render.fill(facts[fid].short[self.lang]))
            reply.cite_fact(facts[fid])
        if missing and topic:
            reply.add(UI[self.lang]["not_mentioned"].format(schemes=", ".join(self.scheme_name(s) for s in missing)))
        else:
            for scheme in missing:
                reply.add(f"• {self.scheme_name(scheme)}: {UI[self.lang]['not_said']}")
        buttons = self.scheme_buttons(intent, [rows[f][0] for f in rows], topic) if len(rows) > 1 else ()
        return reply.answer("summary", buttons, scheme=group, topic=topic)

    def several(self, intent: str, schemes: tuple[str, ...], topic: Optional[str], group: Optional[str]) -> Answer:
        """A scheme group ('yrkesskade') or schemes named together: one line each when short lines exist, else
        the full texts."""
        found = [self.kb.find(intent, s, topic) or self.kb.find(intent, s) for s in schemes]
        if all(f is not None and f.short for f in found) and self.kb.intents[intent].intro and len({f.id for f in found}) > 1:
            return self.summary(intent, list(schemes), topic if all(self.kb.find(intent, s, topic) for s in schemes) else None, group)
        reply = self.reply()
        seen: set[str] = set()
        for scheme, fact in zip(schemes, found):
            if fact is None:
                self.gap(reply, intent, scheme)
            elif fact.id not in seen:
                seen.add(fact.id)
                if len({f.id for f in found if f}) > 1:
                    reply.add(f"{self.scheme_name(scheme)}:")
                reply.add_fact(fact)
        return reply.answer("fact", scheme=group, topic=topic)

    def choice(self, intent: str, topic: Optional[str]) -> Answer:
        cfg = self.kb.intents[intent]
        text = cfg.question[self.lang] if cfg.question else UI[self.lang]["unknown"]
        return Answer(text, (), self.scheme_buttons(intent, self.summary_schemes(), topic), (), "choice", None, topic)

    # -- entry points

    def scheme_intent(self, intent: str, scheme: Optional[str], topic: Optional[str]) -> Answer:
        cfg = self.kb.intents[intent]
        if scheme in SCHEME_GROUPS:
            return self.several(intent, SCHEME_GROUPS[scheme], topic, scheme)
        if scheme:
            return self.one_scheme(intent, scheme, topic)
        if topic and cfg.topic_summary and any(self.kb.find(intent, s, topic) for s in SCHEMES):
            return self.summary(intent, self.summary_schemes(), topic)
        general = self.kb.find(intent, None)
        if general is not None:
            reply = self.reply()
            reply.add_fact(general)
            return reply.answer("fact", topic=topic)
        if cfg.no_scheme == "summary":
            return self.summary(intent, self.summary_schemes(), None)
        return self.choice(intent, None)

    def definition(self, topic: Optional[str], raw_topic: Any) -> Answer:
        fact = self.kb.find("ask_definition", None, topic) if topic else None
        if fact is not None:
            reply = self.reply()
            reply.add_fact(fact)
            return reply.answer("fact", topic=topic)
        text = self.kb.intents["ask_definition"].question[self.lang]
        if isinstance(raw_topic, str) and raw_topic.strip():
            shown = self.kb.topics[topic][self.lang] if topic else raw_topic.strip()
            text = UI[self.lang]["glossary_unknown"].format(topic=shown) + " " + text
        buttons = tuple(
            Button(self.glossary_title(t), payload("ask_definition", topic=t)) for t in GLOSSARY_TOPICS
        )
        return Answer(text, (), buttons, (), "choice", None, None)

    def glossary_title(self, topic: str) -> str:
        # The glossary's own words for the two benefit kinds.
        words = {"men": {"nb": "Medisinsk invaliditet", "nn": "Medisinsk invaliditet"},
                 "ervervsuforhet": {"nb": "Ervervsmessig uførhet", "nn": "Ervervsmessig uførleik"}}
        return words.get(topic, self.kb.topics[topic])[self.lang]

    def unknown(self) -> Answer:
        names = ", ".join(self.scheme_name(s) for s in self.summary_schemes())
        reply = self.reply()
        reply.add(UI[self.lang]["unknown"].format(schemes=names))
        reply.cite("Hvilke forsikringsordninger har du?")
        buttons = self.scheme_buttons("ask_benefits", self.summary_schemes())
        return reply.answer("unknown", buttons)


def lookup(
    intent: Any,
    scheme: Any = None,
    topic: Any = None,
    language: Any = "nb",
    *,
    on: Optional[date] = None,
    scheme_from_context: bool = False,
    kb: Optional[KnowledgeBase] = None,
    question: str = "",
) -> Answer:
    """Answer a knowledge-base intent. Never raises on unknown intents or entity values.

    `scheme_from_context`: the scheme came from the slot (an earlier turn), not this message. If it
    has nothing on the asked topic, the question is answered across schemes instead.
    `on`: the date whose G is used for kroner (default today).
    `question`: the user's words, for what a G question asks beyond G itself (multiples, a year).
    `scheme` may also be a list: a question naming two or more schemes ("forskjellen på yrkesskade og
    fritidsulykke") gets a line or a text for each.
    """
    kb = kb or get_kb()
    lang = normalise_language(language)
    finder = _Lookup(kb, lang, g_in_force(on))
    name = normalise_intent(intent)
    if name is None:
        return finder.unknown()
    named = distinct_schemes(scheme if isinstance(scheme, (list, tuple)) else [scheme])
    scheme_id, topic_id = (named[0] if len(named) == 1 else None), normalise_topic(topic)
    if name == "ask_definition":
        return finder.definition(topic_id, topic)
    if name == "ask_benefits" and topic_id == "behandlingsutgifter":
        name = "ask_treatment_costs"
    cfg = kb.intents[name]
    if cfg.scope == "general":
        fact = (kb.find(name, None, topic_id) if topic_id else None) or kb.find(name, None)
        reply = finder.reply()
        if name == "ask_grunnbelop":  # what the question asks for comes first, then what G is
            for line in g_question_lines(question, lang, finder.g):
                reply.add(line)
        reply.add_fact(fact)  # every general intent has a fact (checked when loading)
        return reply.answer("fact", scheme=scheme_id, topic=topic_id)
    if len(named) > 1:
        return finder.several(name, tuple(named), topic_id, None)
    if scheme_from_context and scheme_id and topic_id and scheme_id not in SCHEME_GROUPS:
        if kb.find(name, scheme_id, topic_id) is None and any(kb.find(name, s, topic_id) for s in SCHEMES):
            scheme_id = None
    return finder.scheme_intent(name, scheme_id, topic_id)
