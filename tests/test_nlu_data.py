"""NLU training data and the held-out test set agree with docs/architecture.md and stay apart."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SCHEMES = {"yrkesskade_lov", "yrkesskade_overenskomst", "yrkesskade", "fritidsulykke", "gruppeliv", "tjenestereise", "utrykning"}
TOPICS = {
    "men", "ervervsuforhet", "dodsfall", "behandlingsutgifter", "barnetillegg", "begravelse",
    "ektefelle", "registrert_partner", "samboer", "barn", "grunnbelop", "folketrygden",
}
OWNED_ELSEWHERE = {"calculate_payout", "inform", "stop"}  # data/nlu/payout.yml
PAYLOAD_ONLY = {"answer_feedback"}  # sent by widget buttons, never typed


@pytest.fixture(scope="module")
def training():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(REPO / "data" / "nlu"))


@pytest.fixture(scope="module")
def test_set():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(REPO / "tests" / "nlu"))


def domain_intents() -> list[str]:
    return yaml.safe_load((REPO / "domain.yml").read_text(encoding="utf-8"))["intents"]


def test_every_intent_has_enough_examples(training) -> None:
    counts = Counter(m.get("intent") for m in training.intent_examples)
    for intent in domain_intents():
        if intent not in OWNED_ELSEWHERE | PAYLOAD_ONLY:
            assert counts[intent] >= 25, f"{intent}: {counts[intent]} examples"
    assert counts["out_of_scope"] >= 150


def test_scheme_and_topic_annotations_resolve_to_canonical_values(training) -> None:
    synonyms = training.entity_synonyms
    allowed = {"scheme": SCHEMES, "topic": TOPICS}
    bad = []
    for message in training.entity_examples:
        for entity in message.get("entities", []):
            if entity["entity"] in allowed:
                text = message.get("text")[entity["start"]:entity["end"]].lower()
                value = synonyms.get(text, synonyms.get(str(entity["value"]).lower(), entity["value"]))
                if value not in allowed[entity["entity"]]:
                    bad.append((message.get("text"), text, value))
    assert not bad, bad[:20]


def test_synonyms_only_name_canonical_values(training) -> None:
    assert set(training.entity_synonyms.values()) <= SCHEMES | TOPICS


def test_test_set_covers_every_intent_and_enough_out_of_scope(test_set) -> None:
    counts = Counter(m.get("intent") for m in test_set.intent_examples)
    assert set(domain_intents()) - PAYLOAD_ONLY <= set(counts)
    assert sum(counts.values()) >= 350
    assert counts["out_of_scope"] >= 60


def test_no_test_message_is_a_training_message(training, test_set) -> None:
    seen = {m.get("text").strip().lower() for m in training.intent_examples}
    leaked = [m.get("text") for m in test_set.intent_examples if m.get("text").strip().lower() in seen]
    assert not leaked, leaked


def test_the_intent_rules_agree_with_every_training_label(training) -> None:
    # The rules (actions/intent_rules.py) run after DIET; one that moved a labelled example elsewhere would
    # contradict the data DIET learned from.
    from actions.intent_rules import adjusted_intent

    moved = [(m.get("intent"), adjusted_intent(m.get("intent"), m.get("text")), m.get("text"))
             for m in training.intent_examples if adjusted_intent(m.get("intent"), m.get("text")) != m.get("intent")]
    assert moved == []
