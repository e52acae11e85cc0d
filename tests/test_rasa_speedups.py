"""components.rasa_speedups behaves like the jsonschema and Rasa functions it replaces."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.slots import AnySlot, Slot, TextSlot
from rasa.shared.nlu.training_data.features import Features

from components import rasa_speedups

SCHEMA = rasa_speedups._original_response_spec()
REPO = Path(__file__).resolve().parents[1]


def test_installed() -> None:
    assert jsonschema.validate is rasa_speedups.validate
    assert Event.resolve_by_type is rasa_speedups.resolve_by_type
    assert Features._combine_sparse_features is rasa_speedups.combine_sparse_features
    assert Slot.__copy__ is rasa_speedups.copy_slot


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


# --- sparse features: two COO matrices joined without scipy's bmat --------------------------------------------

SPARSE_DTYPES = st.sampled_from([np.float32, np.float64, np.int64, np.bool_])


@st.composite
def coo_pairs(draw: st.DrawFn) -> tuple[scipy.sparse.coo_matrix, scipy.sparse.coo_matrix]:
    rows = draw(st.integers(1, 6))

    def one() -> scipy.sparse.coo_matrix:
        cols = draw(st.integers(1, 40))
        cells = draw(st.lists(st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1),
                                        st.integers(-3, 3)), max_size=12))  # duplicates kept, as COO allows
        data = np.array([v for *_, v in cells], dtype=draw(SPARSE_DTYPES))
        return scipy.sparse.coo_matrix((data, ([r for r, *_ in cells], [c for _, c, _ in cells])),
                                       shape=(rows, cols))

    return one(), one()


@settings(max_examples=300, deadline=None)
@given(coo_pairs())
def test_joined_sparse_features_are_scipys_hstack(pair: tuple) -> None:
    left, right = pair
    expected = scipy.sparse.hstack([left, right])
    ours = rasa_speedups.hstack_coo(left, right)
    assert type(ours) is type(expected) and ours.shape == expected.shape and ours.dtype == expected.dtype
    for name in ("data", "row", "col"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(expected, name))
        assert getattr(ours, name).dtype == getattr(expected, name).dtype


def test_features_combine_through_the_shortcut_and_otherwise_as_before() -> None:
    def features(matrix: Any) -> Features:
        return Features(matrix, "sentence", "text", "origin")

    left = scipy.sparse.coo_matrix(np.array([[1.0, 0.0]]))
    combined = features(left)
    combined.combine_with_features(features(scipy.sparse.coo_matrix(np.array([[0, 2, 3]]))))
    assert combined.features.toarray().tolist() == [[1.0, 0.0, 0.0, 2.0, 3.0]]
    csr = features(scipy.sparse.csr_matrix(np.array([[1.0]])))  # not COO: scipy's own path, CSR result
    csr.combine_with_features(features(scipy.sparse.csr_matrix(np.array([[2.0]]))))
    assert csr.features.format == "csr" and csr.features.toarray().tolist() == [[1.0, 2.0]]
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        features(left).combine_with_features(features(scipy.sparse.coo_matrix(np.ones((2, 1)))))


# --- slots: copy.copy without __reduce_ex__ ---------------------------------------------------------------------


def test_slot_copies_are_what_copy_copy_made_before() -> None:
    domain = Domain.load(str(REPO / "domain.yml"))
    assert domain.slots, "the domain has slots"
    for slot in domain.slots:
        slot.value = "x" if isinstance(slot, (TextSlot, AnySlot)) else slot.value
        ours = copy.copy(slot)
        before = copy._reconstruct(slot, None, *slot.__reduce_ex__(4))  # what copy.copy did without __copy__
        assert ours is not slot and type(ours) is type(before) and vars(ours) == vars(before)
        assert all(vars(ours)[key] is vars(slot)[key] for key in vars(slot))  # shallow, as before


def test_a_slot_class_with_its_own_state_hooks_keeps_copy_copy() -> None:
    class StatefulSlot(TextSlot):
        def __getstate__(self) -> dict:
            return {**self.__dict__, "restored": True}

        def __setstate__(self, state: dict) -> None:
            self.__dict__.update(state)

    ours = copy.copy(StatefulSlot("s", mappings=[]))
    assert vars(ours)["restored"] is True
