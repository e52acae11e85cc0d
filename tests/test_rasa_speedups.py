"""components.rasa_speedups behaves like the jsonschema and Rasa functions it replaces."""
from __future__ import annotations

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from components import rasa_speedups

SCHEMA = rasa_speedups._original_response_spec()


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


def test_the_response_spec_is_the_same_object_with_the_same_content() -> None:
    assert RemoteAction.action_response_format_spec() is rasa_speedups.RESPONSE_SPEC
    assert rasa_speedups.RESPONSE_SPEC == SCHEMA


EVENT = st.fixed_dictionaries(
    {"event": st.sampled_from(["slot", "bot", "action", "user", "active_loop", "followup", "no-such", 3])},
    optional={"name": st.one_of(st.text(max_size=5), st.integers(), st.none()),
              "value": st.one_of(st.integers(), st.text(max_size=5), st.none()),
              "text": st.one_of(st.text(max_size=5), st.none()),
              "timestamp": st.one_of(st.floats(allow_nan=False), st.none(), st.text(max_size=2)),
              "metadata": st.one_of(st.none(), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                                    st.integers()),
              "entities": st.one_of(st.lists(st.fixed_dictionaries({"entity": st.text(max_size=3)},
                                                                   optional={"value": st.integers()}), max_size=2),
                                    st.text(max_size=2)),
              "policy": st.one_of(st.none(), st.text(max_size=3), st.integers()),
              "confidence": st.one_of(st.none(), st.floats(allow_nan=False), st.text(max_size=2))})
RESPONSE = st.fixed_dictionaries({}, optional={
    "events": st.one_of(st.lists(st.one_of(EVENT, st.integers()), max_size=4), st.text(max_size=3)),
    "responses": st.one_of(st.lists(st.one_of(st.fixed_dictionaries({"text": st.text(max_size=3)}),
                                              st.integers()), max_size=2), st.none()),
})


@settings(max_examples=400, deadline=None)
@given(RESPONSE)
def test_the_shortcut_accepts_exactly_what_jsonschema_accepts(response: dict) -> None:
    try:
        rasa_speedups._original_validate(response, SCHEMA)
        valid = True
    except jsonschema.ValidationError:
        valid = False
    if rasa_speedups.response_is_valid_fast(response):
        assert valid
    if valid:
        rasa_speedups.validate(response, rasa_speedups.RESPONSE_SPEC)
    else:
        with pytest.raises(jsonschema.ValidationError):
            rasa_speedups.validate(response, rasa_speedups.RESPONSE_SPEC)


def test_the_shortcut_takes_the_usual_responses() -> None:
    response = {"events": [{"event": "slot", "name": "scheme", "value": "gruppeliv", "timestamp": None},
                           {"event": "active_loop", "name": None}, {"event": "followup", "name": "x"}],
                "responses": [{"text": "Svar", "buttons": []}]}
    assert rasa_speedups.response_is_valid_fast(response)


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
