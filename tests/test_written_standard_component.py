"""WrittenStandardDetector adds the `language` entity that fills slot `language`."""
from rasa.shared.nlu.training_data.message import Message

from components.written_standard import WrittenStandardDetector, language_entity


def test_entity_spans_the_whole_message() -> None:
    text = "kva får eg frå gruppelivet?"
    entity = language_entity(text, "WrittenStandardDetector")
    assert entity == {
        "entity": "language", "value": "nn", "start": 0, "end": len(text), "extractor": "WrittenStandardDetector",
    }


def test_process_appends_to_existing_entities_and_skips_neutral_and_payloads() -> None:
    detector = WrittenStandardDetector()
    scheme = {"entity": "scheme", "value": "gruppeliv", "start": 9, "end": 20}
    messages = [
        Message(data={"text": "hvem får gruppelivet hvis jeg dør?", "entities": [scheme]}),
        Message(data={"text": "50 år"}),
        Message(data={"text": '/inform{"scheme": "gruppeliv"}'}),
    ]
    detector.process(messages)
    assert [e["entity"] for e in messages[0].get("entities")] == ["scheme", "language"]
    assert messages[0].get("entities")[1]["value"] == "nb"
    assert not messages[1].get("entities")
    assert not messages[2].get("entities")
