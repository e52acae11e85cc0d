"""NLU component: applies the written labelling rules after DIET (actions/intent_rules.py).

Sits between DIETClassifier and FallbackClassifier, so the fallback still sees the classifier's confidences. Each
intent of the ranking gives its confidence to the intent the rules turn it into: when DIET is torn between
`ask_benefits` (0.36) and `ask_survivors` (0.33) for "eg er 57, kor mykje får familien min …", and the rules send
both to `calculate_payout`, that is one answer at 0.69 plus whatever DIET gave `calculate_payout` itself, not an
ambiguous message for the fallback. `intent_rule` in the parse data says that a rule, not the classifier, chose it.
"""
from __future__ import annotations

from typing import Any, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.intent_rules import adjusted_intent
from components.stateless import StatelessComponent


def ranking_after_rules(ranking: list[dict[str, Any]], renamed: list[str]) -> list[dict[str, Any]]:
    """The ranking under the names the rules gave its intents, with the confidences of one name added up."""
    totals: dict[str, float] = {}
    for entry, name in zip(ranking, renamed):
        totals[name] = totals.get(name, 0.0) + float(entry.get(PREDICTED_CONFIDENCE_KEY, 0.0))
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence} for name, confidence in ordered]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentRules(StatelessComponent, IntentClassifier):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            text = message.get(TEXT) or ""
            ranking = message.get(INTENT_RANKING_KEY) or ([intent] if name else [])
            renamed = [adjusted_intent(r.get(INTENT_NAME_KEY), text) for r in ranking]
            if renamed == [r.get(INTENT_NAME_KEY) for r in ranking]:
                continue
            new_ranking = ranking_after_rules(ranking, renamed)
            top = new_ranking[0]
            message.set(INTENT, dict(top), add_to_output=True)
            message.set(INTENT_RANKING_KEY, new_ranking, add_to_output=True)
            if top[INTENT_NAME_KEY] != name:
                message.set("intent_rule", f"{name}->{top[INTENT_NAME_KEY]}", add_to_output=True)
        return messages
