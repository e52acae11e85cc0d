"""NLU component: sets each token's `lemma` to a normalised Norwegian form.

CountVectorsFeaturizer counts `token.lemma` when `use_lemma: true`, so Nynorsk and Bokmål
spellings, inflections and small typos of one word share one feature. Place it right after
the tokenizer. The token `text` is left alone (entity spans and char n-grams still see it).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import rasa.shared.utils.io

from actions.norwegian_stem import TypoRepairer, filler_positions, leading_greeting_length, nn_to_nb, normalise_word
from actions.nortext import normalise

VOCAB_FILE = "vocabulary.json"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class NorwegianNormaliser(GraphComponent):
    """Lemma = lower-case -> æ/ø/å restored -> Nynorsk->Bokmål -> (typo repair) -> Snowball stem; a greeting that
    opens a longer message, and "(jeg) lurer på" before a question word, are dropped from the tokens."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "map_nynorsk": True,
            "stem": True,
            "typo_repair": False,
            # æ/ø/å put back in words typed without them, when the training vocabulary knows the result
            "restore_letters": True,
            # a greeting that opens a question is not part of it: "hei, hvem er dekket …" is classified on the question
            "drop_leading_greeting": True,
            # "(jeg) lurer på" before a question word says nothing about the question (actions/norwegian_stem.py)
            "drop_filler": True,
            "typo_cutoff": 88.0,  # rapidfuzz ratio, 0-100
            "typo_min_length": 6,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[List[str]] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._set_vocabulary(vocabulary or [])

    def _set_vocabulary(self, vocabulary: List[str]) -> None:
        self.vocabulary = vocabulary
        self._known: Optional[set[str]] = set(vocabulary) if self._config["restore_letters"] and vocabulary else None
        self._repairer: Optional[TypoRepairer] = None
        if self._config["typo_repair"] and vocabulary:
            self._repairer = TypoRepairer(
                vocabulary, self._config["typo_cutoff"], self._config["typo_min_length"]
            )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NorwegianNormaliser":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "NorwegianNormaliser":
        vocabulary: List[str] = []
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = rasa.shared.utils.io.read_json_file(directory / VOCAB_FILE)
        except (ValueError, FileNotFoundError):
            pass  # nothing persisted: normalise without typo repair
        return cls(config, model_storage, resource, vocabulary)

    def train(self, training_data: TrainingData) -> Resource:
        """Remembers the (Nynorsk-mapped) words of the training examples for typo repair."""
        vocabulary: set[str] = set()
        for example in training_data.training_examples:
            for token in example.get(TOKENS_NAMES[TEXT], []) or []:
                vocabulary.add(nn_to_nb(normalise(token.text)))
        self._set_vocabulary(sorted(vocabulary))
        with self._model_storage.write_to(self._resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(directory / VOCAB_FILE, self.vocabulary)
        return self._resource

    def _normalise_message(self, message: Message) -> None:
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not tokens:
            return
        if self._config["drop_leading_greeting"]:
            tokens = tokens[leading_greeting_length([token.text for token in tokens]):]
        if self._config["drop_filler"]:
            filler = filler_positions([token.text for token in tokens])  # never every token: words follow it
            tokens = [token for i, token in enumerate(tokens) if i not in filler]
        for token in tokens:
            token.lemma = normalise_word(
                token.text,
                map_nynorsk=self._config["map_nynorsk"],
                use_stem=self._config["stem"],
                repairer=self._repairer,
                known=self._known,
            )
        # Set the tokens again: Message caches its fingerprint, and the training cache must see the
        # new lemmas, or a changed normaliser would reuse featurizers/DIET trained on the old ones.
        message.set(TOKENS_NAMES[TEXT], tokens)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training words are the vocabulary itself, so repair never changes them.
        for example in training_data.training_examples:
            self._normalise_message(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalise_message(message)
        return messages
