"""NLU component: tags each message with the written standard (Nynorsk `nn` / Bokmål `nb`).

The entity `language` fills the slot `language`, so replies follow the user's standard.
Runs only at prediction time (not trainable, not in the training graph), so DIET never
learns a whole-message `language` span from the training data.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from actions.nortext import detect_written_standard
from components.stateless import StatelessComponent

ENTITY_NAME = "language"


def language_entity(text: str, extractor: str) -> Optional[Dict[Text, Any]]:
    """The `language` entity for `text`, or None when the text gives no clear sign."""
    standard = detect_written_standard(text)
    if standard is None:
        return None
    return {
        ENTITY_ATTRIBUTE_TYPE: ENTITY_NAME,
        ENTITY_ATTRIBUTE_VALUE: standard,
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: len(text),
        EXTRACTOR: extractor,
    }


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class WrittenStandardDetector(StatelessComponent, EntityExtractorMixin):
    """Adds entity `language` = `nn`/`nb` from `actions.nortext.detect_written_standard`."""

    @property
    def name(self) -> Text:
        return self.__class__.__name__

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):  # "/intent" payloads from buttons carry no language
                continue
            entity = language_entity(text, self.name)
            if entity is not None:
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages
