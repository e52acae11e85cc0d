"""Knowledge base: loading, validation, lookup rules and the wording rules for money answers."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.knowledge import (
    GLOSSARY_TOPICS, KB_INTENTS, SCHEMES, TOPICS, get_kb, load_kb, lookup, normalise_scheme, normalise_topic,
)
from actions.yaml_data import KB_DIR, DataError

IN_FORCE = date(2025, 6, 1)  # G = 130 160 kr from 1 May 2025, not yet stale
STALE = date(2026, 11, 22)  # more than a year after the newest G in kb/grunnbelop.yml
SOURCE = "Kilde: Personalforsikringer, Helse Vest (02.11.2019), «"
SOURCE_NN = "Kjelde: Personalforsikringer, Helse Vest (02.11.2019), «"


def every_answer():
    for intent in KB_INTENTS:
        for scheme in (None,) + SCHEMES + ("yrkesskade",):
            for topic in (None,) + TOPICS:
                for lang in ("nb", "nn"):
                    yield (intent, scheme, topic, lang), lookup(intent, scheme, topic, lang, on=IN_FORCE)


ALL = list(every_answer())


def test_kb_loads_and_covers_every_scheme_question() -> None:
    kb = get_kb()
    for intent, cfg in kb.intents.items():
        if cfg.scope == "scheme":
            for scheme in SCHEMES:
                assert kb.find(intent, scheme) is not None or (intent, scheme) in kb.gaps


def test_every_answer_ends_with_its_source_line_in_the_right_standard() -> None:
    for (intent, scheme, topic, lang), answer in ALL:
        if answer.kind == "choice":  # a question back to the user, not an answer
            assert answer.buttons
            continue
        last = answer.text.splitlines()[-1]
        assert last.startswith(SOURCE_NN if lang == "nn" else SOURCE) or "generell artikkel" in last, (intent, scheme, topic)
        assert last.endswith("»")


def test_answers_use_plain_spaces_and_correct_heading_spelling() -> None:
    for args, answer in ALL:
        assert "\u00a0" not in answer.text and "\u202f" not in answer.text, args
        for typo in ("Yrkesskedeforsikring", "Yrskesskade", "Grupplivsforsikring", "Erversuførhet", "Mèn"):
            assert typo not in answer.text, (args, typo)


def test_amounts_carry_the_terms_note_and_the_g_used() -> None:
    for (intent, scheme, topic, lang), answer in ALL:
        if " G (" in answer.text:
            if lang == "nb":
                assert "Gjeldende forsikringsvilkår går foran." in answer.text
                assert "1 G = 130 160 kr, som gjelder fra 1. mai 2025" in answer.text
            else:
                assert "Gjeldande forsikringsvilkår går føre." in answer.text
                assert "gjeld frå 1. mai 2025" in answer.text


def test_gruppeliv_age_table_in_g_and_kroner() -> None:
    answer = lookup("ask_benefits", "gruppeliv", None, "nb", on=IN_FORCE)
    assert "«Gruppelivsforsikring»" in answer.text
    assert "Under 51 år: 10 G (1 301 600 kr)" in answer.text
    assert "55 år: 7,5 G (976 200 kr)" in answer.text
    assert "Over 59 år: 5 G (650 800 kr)" in answer.text
    assert "G kan ha blitt justert" not in answer.text
    assert "arveavgift" not in answer.text


def test_stale_g_is_flagged() -> None:
    assert "G kan ha blitt justert etter dette." in lookup("ask_benefits", "gruppeliv", on=STALE).text
    assert "G kan ha blitt justert sidan." in lookup("ask_benefits", "gruppeliv", language="nn", on=STALE).text


@pytest.mark.parametrize(
    "intent, scheme, topic, expected",
    [
        ("ask_benefits", "yrkesskade_lov", "men", ["4,5 G (585 720 kr)", "45/46 år"]),
        ("ask_benefits", "yrkesskade_lov", "ervervsuforhet", ["22 G (2 863 520 kr)", "30 G (3 904 800 kr)", "7 G"]),
        ("ask_benefits", "yrkesskade_lov", "dodsfall", ["15 G (1 952 400 kr)", "5 %", "20 %", "18 G (2 342 880 kr)"]),
        ("ask_benefits", "yrkesskade_lov", "barnetillegg", ["6,5 G (846 040 kr)", "1 G (130 160 kr)", "19 år"]),
        ("ask_benefits", "yrkesskade_lov", "begravelse", ["0,5 G (65 080 kr)"]),
        ("ask_benefits", "yrkesskade_overenskomst", "men", ["15–29 %: 1 G", "30–70 %: 2 G", "Over 70 %: 3 G"]),
        ("ask_benefits", "yrkesskade_overenskomst", "ervervsuforhet", ["15 G", "tilsvarende"]),
        ("ask_benefits", "fritidsulykke", "men", ["3 G (390 480 kr)"]),
        ("ask_benefits", "fritidsulykke", "dodsfall", ["15 G", "18 G"]),
        ("ask_benefits", "tjenestereise", None, ["Reiseansvar: 15 000 000 kr", "Avbestilling: 125 000 kr", "ubegrenset"]),
        ("ask_survivors", "gruppeliv", None, ["A. Ektefellen", "minst 40 %", "1,5 månedslønn", "0,5 G"]),
        ("ask_survivors", "yrkesskade_overenskomst", None, ["A. Ektefelle/registrert partner", "D. Andre"]),
        ("ask_where_when", "tjenestereise", None, ["180 dager", "hele verden"]),
        ("ask_where_when", "yrkesskade_overenskomst", None, ["mellom hjem og arbeidssted", "godkjent tjenestereise"]),
        ("ask_employment_end", "gruppeliv", None, ["fortsettelsesforsikring", "6 måneder", "helseerklæring"]),
        ("ask_insurer", "tjenestereise", None, ["If / Europeiske Reiseforsikring"]),
        ("ask_insurer", "gruppeliv", None, ["DNB"]),
        ("ask_treatment_costs", "fritidsulykke", None, ["tannlege", "Egenandelen er 500 kr"]),
        ("ask_treatment_costs", "yrkesskade_lov", None, ["NAV"]),
        ("ask_coordination", None, None, ["forskjellen", "18 G"]),
        ("ask_health_trusts", None, None, ["Helse Fonna HF", "Helse Førde HF", "Sjukehusapoteka Vest HF", "Helse Vest IKT"]),
        ("ask_contact", None, None, ["Personalavdelingen", "NAV", "Pensjonskassen", "Waco Ajour"]),
        ("ask_claim_steps", None, None, ["nærmeste leder", "Waco Ajour", "pensjonskassen", "NAV"]),
        ("ask_not_covered", None, None, ["hjerteinfarkt", "90 %", "privat"]),
        ("ask_schemes_overview", None, None, ["Fritidsulykkesforsikring", "Tjenestereiseforsikring", "utrykningspersonell"]),
    ],
)
def test_facts(intent: str, scheme: str, topic: str, expected: list[str]) -> None:
    text = lookup(intent, scheme, topic, "nb", on=IN_FORCE).text
    for part in expected:
        assert part in text


def test_tax_says_inheritance_tax_was_abolished() -> None:
    for lang in ("nb", "nn"):
        text = lookup("ask_tax", language=lang, on=IN_FORCE).text
        assert "arveavgift" in text and "2014" in text and "avskaff" in text
        assert "«Hva med skatt?»" in text


def test_liability_is_general_information_not_an_employer_benefit() -> None:
    nb = lookup("ask_liability", on=IN_FORCE).text
    assert "generell informasjon" in nb and "ikke en del av personalforsikringene" in nb
    assert nb.splitlines()[-1].startswith("Kilde: generell artikkel, ikke fra brosjyren")
    nn = lookup("ask_liability", language="nn", on=IN_FORCE).text
    assert "generell informasjon" in nn and "ikkje ein del av personalforsikringane" in nn


@pytest.mark.parametrize(
    "intent, scheme",
    [("ask_who_covered", "utrykning"), ("ask_employment_end", "fritidsulykke"), ("ask_survivors", "tjenestereise"),
     ("ask_not_covered", "gruppeliv"), ("ask_benefits", "utrykning")],
)
def test_gaps_say_the_brochure_does_not_say(intent: str, scheme: str) -> None:
    answer = lookup(intent, scheme, on=IN_FORCE)
    assert answer.kind == "gap"
    assert "Brosjyren sier ikke" in answer.text and "personalavdelingen" in answer.text
    nn = lookup(intent, scheme, language="nn", on=IN_FORCE)
    assert "Brosjyren seier ikkje" in nn.text and "personalavdelinga" in nn.text


def test_fritid_who_says_brochure_does_not_say() -> None:
    assert "Brosjyren sier ikke nærmere hvem" in lookup("ask_who_covered", "fritidsulykke").text


def test_topic_missing_for_scheme_says_so_then_answers_for_the_scheme() -> None:
    answer = lookup("ask_benefits", "gruppeliv", "men", on=IN_FORCE)
    assert answer.text.startswith("Brosjyren nevner ikke «Mén (medisinsk invaliditet)» for gruppelivsforsikringen")
    assert "10 G" in answer.text


def test_scheme_question_without_scheme_gets_buttons_in_the_users_language() -> None:
    answer = lookup("ask_benefits", None, None, "nn")
    assert answer.kind == "choice"
    payloads = [b.payload for b in answer.buttons]
    assert '/ask_benefits{"scheme":"gruppeliv"}' in payloads
    assert "Tenestereiseforsikring" in [b.title for b in answer.buttons]


def test_one_line_per_scheme_summaries() -> None:
    who = lookup("ask_who_covered", None, None, "nb")
    assert who.kind == "summary" and who.text.count("\n• ") >= 4
    men = lookup("ask_benefits", None, "men", "nb", on=IN_FORCE)
    assert men.kind == "summary" and "4,5 G" in men.text and "Gruppelivsforsikring" in men.text
    assert '/ask_benefits{"scheme":"fritidsulykke","topic":"men"}' in [b.payload for b in men.buttons]


def test_yrkesskade_means_both_occupational_schemes() -> None:
    answer = lookup("ask_survivors", "yrkesskade", on=IN_FORCE)
    assert "Yrkesskadeforsikring etter loven" in answer.text and "Yrkesskadeforsikring etter overenskomsten" in answer.text
    assert answer.scheme == "yrkesskade"


def test_definitions() -> None:
    choice = lookup("ask_definition")
    assert [b.payload for b in choice.buttons] == [f'/ask_definition{{"topic":"{t}"}}' for t in GLOSSARY_TOPICS]
    samboer = lookup("ask_definition", topic="sambuar", language="nn")
    assert "Sambuar er" in samboer.text and "«Ord og uttrykk»" in samboer.text
    not_glossary = lookup("ask_definition", topic="barnetillegg")
    assert not_glossary.kind == "choice" and "står ikke i ordlisten" in not_glossary.text
    assert "varig" in lookup("ask_definition", topic="mén").text


def test_grunnbelop_answer_uses_the_g_table() -> None:
    text = lookup("ask_grunnbelop", on=IN_FORCE).text
    assert "1 G er 130 160 kr (gjelder fra 1. mai 2025)" in text and "Stortinget" in text
    assert "G kan ha blitt justert" in lookup("ask_grunnbelop", on=STALE).text


def test_unknown_intent_answers_with_the_scheme_list() -> None:
    for intent in ("nlu_fallback", None, "", 42, "ask_bananas"):
        answer = lookup(intent, "gruppeliv")
        assert answer.kind == "unknown" and "Gruppelivsforsikring" in answer.text and len(answer.buttons) == 5


def test_unknown_entity_values_do_not_crash() -> None:
    assert lookup("ask_benefits", "bilforsikring").kind == "choice"
    assert lookup("ask_benefits", {"x": 1}, {"x": 1}).kind == "choice"
    assert lookup("ask_benefits", [42, None, "bilforsikring"]).kind == "choice"
    assert "10 G" in lookup("ask_benefits", ["gruppeliv", "gruppelivet"], on=IN_FORCE).text  # one scheme, twice


def test_scheme_from_context_gives_way_to_a_new_topic() -> None:
    answer = lookup("ask_benefits", "gruppeliv", "men", scheme_from_context=True, on=IN_FORCE)
    assert answer.kind == "summary" and "4,5 G" in answer.text


@pytest.mark.parametrize(
    "raw, expected",
    [("gruppelivet", "gruppeliv"), ("Grupplivsforsikring", "gruppeliv"), ("grupplivsforsikringa", "gruppeliv"),
     ("livsforsikringa", "gruppeliv"), ("tenestereiseforsikringa", "tjenestereise"), ("fritidsulykka", "fritidsulykke"),
     ("Yrkesskadeforsikringen etter loven", "yrkesskade_lov"), ("overenskomsten", "yrkesskade_overenskomst"),
     ("yrkesskade_lov", "yrkesskade_lov"), ("yrkesskadeforsikringa", "yrkesskade"), ("utrykning", "utrykning"),
     ("bilforsikring", None), ("", None), (None, None), ("liv", None)],
)
def test_normalise_scheme(raw: object, expected: str) -> None:
    assert normalise_scheme(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("Mén", "men"), ("medisinsk invaliditet", "men"), ("uførhet", "ervervsuforhet"), ("sambuar", "samboer"),
     ("registrert partnar", "registrert_partner"), ("G", "grunnbelop"), ("grunnbeløpet", "grunnbelop"),
     ("folketrygda", "folketrygden"), ("dødsfallet", "dodsfall"), ("gravferd", "begravelse"), ("xyz", None)],
)
def test_normalise_topic(raw: str, expected: str) -> None:
    assert normalise_topic(raw) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30), st.one_of(st.none(), st.text(max_size=30)), st.one_of(st.none(), st.text(max_size=30)), st.text(max_size=5))
def test_lookup_never_raises(intent: str, scheme: str, topic: str, lang: str) -> None:
    assert lookup(intent, scheme, topic, lang, on=IN_FORCE).text


# ---------------------------------------------------------------------------- schema validation


@pytest.fixture
def kb_copy(tmp_path: Path) -> tuple[Path, Path]:
    facts, tables = tmp_path / "facts.yml", tmp_path / "tables.yml"
    shutil.copy(KB_DIR / "facts.yml", facts)
    shutil.copy(KB_DIR / "tables.yml", tables)
    return facts, tables


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fact(data: dict, fid: str) -> dict:
    return next(f for f in data["facts"] if f["id"] == fid)


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: _fact(d, "tax").pop("nn"), "facts[") ,
        (lambda d: _fact(d, "tax").__setitem__("nb", "Se {G:abc}"), "(tax).nb"),
        (lambda d: _fact(d, "tax").__setitem__("intent", "ask_weather"), "(tax).intent"),
        (lambda d: _fact(d, "who.gruppeliv").__setitem__("schemes", ["gruppelivet"]), "(who.gruppeliv).schemes"),
        (lambda d: _fact(d, "tax").__setitem__("quotes", []), "(tax).quotes"),
        (lambda d: d["facts"].append(dict(_fact(d, "tax"))), "facts[") ,
        (lambda d: d["gaps"].pop(0), "gaps"),
        (lambda d: _fact(d, "who.gruppeliv").pop("short"), "(who.gruppeliv).short"),
        (lambda d: d.__setitem__("schema", "facts/2"), "schema"),
    ],
)
def test_schema_errors_name_file_and_field(kb_copy: tuple[Path, Path], change, field: str) -> None:
    facts, tables = kb_copy
    _edit(facts, change)
    with pytest.raises(DataError) as error:
        load_kb(facts, tables)
    assert error.value.path == str(facts)
    assert field in error.value.field or field in str(error.value)


def test_table_schema_errors_name_the_row(kb_copy: tuple[Path, Path]) -> None:
    facts, tables = kb_copy
    _edit(tables, lambda d: d["tables"][0]["rows"][1].__setitem__("value", "ni og en halv"))
    with pytest.raises(DataError) as error:
        load_kb(facts, tables)
    assert error.value.path == str(tables) and error.value.field == "tables[0].rows[1].value"


def test_tables_are_data_the_calculator_can_use() -> None:
    rows = get_kb().tables["gruppeliv_age"].rows
    assert [r.value for r in rows] == [10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0]
    assert rows[0].data["below_age"] == 51 and rows[-1].data["above_age"] == 59


def test_conversation_cases_cover_every_topic_in_both_standards() -> None:
    cases = yaml.safe_load((Path(__file__).parent / "conversations" / "kb.yml").read_text(encoding="utf-8"))["cases"]
    topics = {"overview", "who_covered", "where", "benefits", "survivors", "coordination", "insurer", "employment_end",
              "treatment", "not_covered", "definition", "grunnbelop", "tax", "claim_steps", "health_trusts", "contact", "liability"}
    assert len(cases) >= 2 * len(topics)
    assert len({c["name"] for c in cases}) == len(cases)
    for case in cases:
        assert case["turns"] and all(t["user"] and t["expect"] for t in case["turns"])
    for standard in ("_nb", "_nn"):
        named = {c["name"] for c in cases if c["name"].endswith(standard)}
        benefit_like = {"gruppeliv_age_table", "men_overenskomst", "ervervsuforhet_lov", "travel_sums", "fritid_men_typo"}
        missing = [t for t in topics if not any(n.startswith(t) or (t == "benefits" and n.rsplit("_", 1)[0] in benefit_like) for n in named)]
        assert not missing, (standard, missing)


# --- schemes and topics read from the text when the entity extractor missed them -------------------------------

@pytest.mark.parametrize(
    "text, scheme",
    [
        ("hva dekker tilleggsforsikringen for utrykningspersonell?", "utrykning"),
        ("kva dekkjer forsikringa for utrykkingspersonell?", "utrykning"),
        ("kven får pengane frå yrkesskadeforsikringa etter overeinskomsten om eg døyr", "yrkesskade_overenskomst"),
        ("gjelder grupplivsforsikringa i utlandet", "gruppeliv"),
        ("hva med gruppelivet og fritidsulykke", None),  # two schemes: ask rather than guess
        ("men hva med skatt", None),  # "men" is "but" here
    ],
)
def test_scheme_in_text(text: str, scheme) -> None:
    from actions.knowledge import scheme_in_text

    assert scheme_in_text(text) == scheme


@pytest.mark.parametrize(
    "text, topic",
    [("kva tyder ervervsmessig uførleik", "ervervsuforhet"), ("hva betyr mén", "men"), ("men hva betyr det", None)],
)
def test_topic_in_text(text: str, topic) -> None:
    from actions.knowledge import topic_in_text

    assert topic_in_text(text) == topic
