"""components.rasa_speedups behaves like the jsonschema and Rasa functions it replaces."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from components import rasa_speedups

SCHEMA = RemoteAction.action_response_format_spec()


def test_installed() -> None:
    assert jsonschema.validate is rasa_speedups.validate
    assert Event.resolve_by_type is rasa_speedups.resolve_by_type


@pytest.mark.parametrize("response", [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hei"}]},
])
def test_valid_action_responses_pass_both(response: dict) -> None:
    rasa_speedups._original_validate(response, SCHEMA)
    rasa_speedups.validate(response, SCHEMA)


@pytest.mark.parametrize("response", [{"events": "nope"}, {"events": [{"no_event_key": 1}]}, {"responses": [1]}])
def test_invalid_action_responses_fail_alike(response: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as original:
        rasa_speedups._original_validate(response, SCHEMA)
    with pytest.raises(jsonschema.ValidationError) as ours:
        rasa_speedups.validate(response, SCHEMA)
    assert ours.value.message == original.value.message


def test_an_invalid_schema_is_still_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(jsonschema.SchemaError):
            rasa_speedups.validate({}, {"type": 12})


def test_event_types_resolve_as_before() -> None:
    for name, cls in (("user", UserUttered), ("slot", SlotSet), ("action", ActionExecuted)):
        assert rasa_speedups.resolve_by_type(name) is cls
        assert rasa_speedups.resolve_by_type(name) is rasa_speedups._original_resolve(name)
    assert rasa_speedups.resolve_by_type("topic") is None
    assert rasa_speedups.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        rasa_speedups.resolve_by_type("no-such-event")
