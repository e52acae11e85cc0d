"""NLU component: applies the written labelling rules for amount and tax questions after DIET (actions/intent_rules.py).

Sits between DIETClassifier and FallbackClassifier, so the fallback still sees the classifier's confidence.
The switched intent keeps DIET's confidence and takes first place in the ranking; `intent_rule` in the parse
data says that the rule, not the classifier, chose it.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.intent_rules import adjusted_intent
from components.stateless import StatelessComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentRules(StatelessComponent, IntentClassifier):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            new_name = adjusted_intent(name, message.get(TEXT) or "")
            if new_name == name:
                continue
            confidence = intent.get(PREDICTED_CONFIDENCE_KEY, 0.0)
            ranking = message.get(INTENT_RANKING_KEY) or []
            # The two intents swap confidences, so the FallbackClassifier's ambiguity check sees the same margin.
            new_old_confidence = next((r.get(PREDICTED_CONFIDENCE_KEY, 0.0) for r in ranking
                                       if r.get(INTENT_NAME_KEY) == new_name), 0.0)
            rest = [r for r in ranking if r.get(INTENT_NAME_KEY) not in (name, new_name)]
            message.set(INTENT, {INTENT_NAME_KEY: new_name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
            swapped = [{INTENT_NAME_KEY: new_name, PREDICTED_CONFIDENCE_KEY: confidence},
                       {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: new_old_confidence}] + rest
            swapped.sort(key=lambda r: r.get(PREDICTED_CONFIDENCE_KEY, 0.0), reverse=True)
            message.set(INTENT_RANKING_KEY, swapped, add_to_output=True)
            message.set("intent_rule", f"{name}->{new_name}", add_to_output=True)
        return messages
