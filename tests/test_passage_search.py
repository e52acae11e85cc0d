"""Passage search: the measured thresholds keep precision on the labelled questions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from actions.passage_search import (
    STRONG_MARGIN, STRONG_SCORE, best_passage, cite, is_strong, matches_section, tokens,
)

CASES = json.loads((Path(__file__).parent / "data" / "kb_passage_questions.json").read_text(encoding="utf-8"))
IN_SCOPE = [c for c in CASES if c["section"]]
OUT_OF_SCOPE = [c for c in CASES if not c["section"]]


def test_strong_hits_are_always_the_right_section() -> None:
    strong = [(c, best_passage(c["question"])) for c in IN_SCOPE]
    strong = [(c, h) for c, h in strong if is_strong(h)]
    wrong = [c["question"] for c, h in strong if not matches_section(h, c["section"])]
    assert not wrong
    assert len(strong) >= 0.5 * len(IN_SCOPE)  # measured 25 of 49


def test_out_of_scope_questions_are_never_strong() -> None:
    assert not [c["question"] for c in OUT_OF_SCOPE if is_strong(best_passage(c["question"]))]


def test_top_hit_is_usually_right_even_when_weak() -> None:
    right = sum(1 for c in IN_SCOPE if (h := best_passage(c["question"])) and matches_section(h, c["section"]))
    assert right >= 0.85 * len(IN_SCOPE)


@pytest.mark.parametrize(
    "question, section",
    [
        ("gruppelivsforsikringg permisjon uføretrygd", "Gruppelivsforsikring > Hvem gjelder forsikring for?"),  # typo
        ("tannlege etter ulukke på fritida", "Ulykkesforsikring fritid > Behandlingsutgifter"),  # nynorsk
        ("fortsettelsesforsikring uten helseerklæring", "Gruppelivsforsikring > Hva skjer dersom du meldes ut av forsikringen?"),
    ],
)
def test_examples(question: str, section: str) -> None:
    hit = best_passage(question)
    assert is_strong(hit) and matches_section(hit, section)


def test_nothing_to_match() -> None:
    assert best_passage("") is None
    assert best_passage("hva er det") is None  # stop words only
    assert not is_strong(None)


def test_score_is_a_share() -> None:
    hit = best_passage("samordning lov og overenskomst differansen")
    assert 0 < hit.score <= 1 and 0 <= hit.margin <= 1 and hit.raw > 0
    assert 0 < STRONG_SCORE < 1 and 0 < STRONG_MARGIN < 1


def test_stemming_and_nynorsk_folding() -> None:
    assert tokens("Forsikringa dekkjer ulukker")[0] == tokens("forsikringen")[0]
    assert tokens("ulukke") == tokens("ulykke")


def test_cite_quotes_the_passage_with_its_source_line() -> None:
    text = cite(best_passage("fortsettelsesforsikring uten helseerklæring"))
    assert text.startswith("Dette står i brosjyren:")
    assert "6 måneder" in text
    assert text.endswith("«Hva skjer dersom du meldes ut av forsikringen?»")
    assert "Kilde: Personalforsikringer, Helse Vest (02.11.2019)" in text
