"""Two hot spots of the Rasa server that a profile of our load showed, removed without changing behaviour.

py-spy on the Rasa server under 10 concurrent conversations (BENCHMARKS.md, "What costs what"):
- 16 % of the CPU: `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)` after every
  action call, and `jsonschema.validate` first checks the *schema* against its metaschema, every time. Here the
  check runs once per distinct schema; then validation is exactly jsonschema's (same errors, best_match).
- 11 % (measured again once TED was gone): validating the response *itself*: every event is checked against
  the `oneOf` of 23 event schemas, and jsonschema builds an error object for each of the 22 that fail. The
  subschemas differ by `event: {const: <name>}` and `event` is required, so for an event whose name matches
  exactly one subschema the `oneOf` holds if and only if that subschema holds. That one is checked here; any
  response the shortcut does not accept goes through the full validation, which raises the usual error.
- 7 %: `Event.resolve_by_type` walks all subclasses of Event (`all_subclasses`, recursive) for every stored event
  of the conversation, on every message. Here the type name -> class answer is remembered once found.

Session 5 (py-spy on the Rasa server, the calculator question in new conversations; BENCHMARKS.md):
- 6.5 %: DIET joins each message's sparse features with `scipy.sparse.hstack`, whose general block machinery
  (`bmat`) costs ~400 µs for two small COO matrices. For two COO matrices the same result (data, rows, columns in
  the same order, same dtypes, COO) is built here directly; anything else goes to the original.
- 4 %: every tracker copy (`init_copy`, once per replay of the conversation) shallow-copies each domain slot with
  `copy.copy`, which goes through `__reduce_ex__`. `Slot.__copy__` does what that path does for a plain object
  (new instance, same `__dict__` entries), four times faster.

Installed by the channel modules (which the Rasa server imports at start); `install()` is idempotent. Pinned to
jsonschema 4.17 and Rasa 3.6.21: tests/test_rasa_speedups.py compares with the originals.
"""
from __future__ import annotations

import copy
import functools
import json
from typing import Any, Optional, Type

import jsonschema
import numpy as np
from jsonschema import exceptions as jsonschema_exceptions
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.utils.schemas.events import EVENT_SCHEMA
from scipy.sparse import coo_matrix
from scipy.sparse._sputils import get_index_dtype, upcast

_original_validate = jsonschema.validate
_original_resolve = Event.resolve_by_type
_checked_schemas: set[tuple[type, str]] = set()
_event_classes: dict[str, Type[Event]] = {}
_original_response_spec = RemoteAction.action_response_format_spec
_original_combine_sparse = Features._combine_sparse_features
# Built once, so `validate` can recognise it by identity instead of serialising it on every call.
RESPONSE_SPEC = _original_response_spec()


def _event_validators() -> dict[str, Any]:
    """One validator per event name: EVENT_SCHEMA with its `oneOf` replaced by the one subschema of that name."""
    names = [sub.get("properties", {}).get("event", {}).get("const") for sub in EVENT_SCHEMA["oneOf"]]
    base = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
    validators = {}
    for name, sub in zip(names, EVENT_SCHEMA["oneOf"]):
        if isinstance(name, str) and names.count(name) == 1:
            schema = dict(base, allOf=[sub])
            validators[name] = jsonschema.validators.validator_for(schema)(schema)
    return validators


_BY_EVENT_NAME = _event_validators()
_SHELL_SCHEMA = {"type": "object", "properties": {"events": {"type": "array"},
                                                   "responses": RESPONSE_SPEC["properties"]["responses"]}}
_SHELL = jsonschema.validators.validator_for(_SHELL_SCHEMA)(_SHELL_SCHEMA)


def response_is_valid_fast(instance: Any) -> bool:
    """True only when the action server's response is valid under RESPONSE_SPEC (False may still be valid)."""
    if not _SHELL.is_valid(instance):
        return False
    for event in instance.get("events") or []:
        name = event.get("event") if isinstance(event, dict) else None
        validator = _BY_EVENT_NAME.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def response_format_spec() -> dict[str, Any]:
    return RESPONSE_SPEC


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """jsonschema.validate, checking each distinct schema only once (a SchemaError is raised as before)."""
    if schema is RESPONSE_SPEC and cls is None and not args and not kwargs and response_is_valid_fast(instance):
        return
    if cls is None:
        cls = jsonschema.validators.validator_for(schema)
    key = (cls, json.dumps(schema, sort_keys=True, default=repr))
    if key not in _checked_schemas:
        cls.check_schema(schema)
        _checked_schemas.add(key)
    error = jsonschema_exceptions.best_match(cls(schema, *args, **kwargs).iter_errors(instance))
    if error is not None:
        raise error


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Event.resolve_by_type with the found class remembered; unknown names go the original way every time."""
    found = _event_classes.get(type_name)
    if found is None:
        found = _original_resolve(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def hstack_coo(left: coo_matrix, right: coo_matrix) -> coo_matrix:
    """`scipy.sparse.hstack([left, right])` for two COO matrices with the same number (> 0) of rows, as bmat builds it."""
    shape = (left.shape[0], left.shape[1] + right.shape[1])
    index_dtype = get_index_dtype(maxval=max(shape))
    data = np.empty(left.nnz + right.nnz, dtype=upcast(left.dtype, right.dtype))
    row = np.empty(left.nnz + right.nnz, dtype=index_dtype)
    col = np.empty(left.nnz + right.nnz, dtype=index_dtype)
    for block, start, col_offset in ((left, 0, 0), (right, left.nnz, left.shape[1])):
        part = slice(start, start + block.nnz)
        data[part] = block.data
        np.add(block.row, 0, out=row[part], dtype=index_dtype)
        np.add(block.col, col_offset, out=col[part], dtype=index_dtype)
    return coo_matrix((data, (row, col)), shape=shape)


def combine_sparse_features(self: Features, additional_features: Features) -> None:
    left, right = self.features, additional_features.features
    if type(left) is coo_matrix and type(right) is coo_matrix and left.shape[0] == right.shape[0] > 0:
        self.features = hstack_coo(left, right)
        self._cached_fingerprint = None
    else:
        _original_combine_sparse(self, additional_features)


_COPY_HOOKS = ("__slots__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__copy__")


@functools.cache
def _copies_plainly(cls: type) -> bool:
    """No class of the MRO has its own copy hooks or slots (`abc.ABC` declares an empty `__slots__`)."""
    return not any(hook in vars(base) and vars(base)[hook] not in (copy_slot, ())
                   for base in cls.__mro__[:-1] for hook in _COPY_HOOKS)


def copy_slot(self: Slot) -> Slot:
    """`copy.copy(slot)`: for a class without copy hooks (Rasa's slot types), what copy.copy's `__reduce_ex__` path
    produces (a new instance with the same `__dict__` entries), without that path; other classes take that path."""
    cls = self.__class__
    if not _copies_plainly(cls):
        return copy._reconstruct(self, None, *self.__reduce_ex__(4))  # type: ignore[attr-defined]
    new = cls.__new__(cls)
    new.__dict__.update(self.__dict__)
    return new


def install() -> None:
    jsonschema.validate = validate
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    RemoteAction.action_response_format_spec = staticmethod(response_format_spec)  # type: ignore[method-assign]
    Features._combine_sparse_features = combine_sparse_features  # type: ignore[method-assign]
    Slot.__copy__ = copy_slot  # type: ignore[attr-defined]


install()
