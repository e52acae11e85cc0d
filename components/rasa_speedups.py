"""Two hot spots of the Rasa server that a profile of our load showed, removed without changing behaviour.

py-spy on the Rasa server under 10 concurrent conversations (BENCHMARKS.md, "What costs what"):
- 16 % of the CPU: `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)` after every
  action call, and `jsonschema.validate` first checks the *schema* against its metaschema, every time. Here the
  check runs once per distinct schema; then validation is exactly jsonschema's (same errors, best_match).
- 7 %: `Event.resolve_by_type` walks all subclasses of Event (`all_subclasses`, recursive) for every stored event
  of the conversation, on every message. Here the type name -> class answer is remembered once found.

Installed by the channel modules (which the Rasa server imports at start); `install()` is idempotent. Pinned to
jsonschema 4.17 and Rasa 3.6.21: tests/test_rasa_speedups.py compares with the originals.
"""
from __future__ import annotations

import json
from typing import Any, Optional, Type

import jsonschema
from jsonschema import exceptions as jsonschema_exceptions
from rasa.shared.core.events import Event

_original_validate = jsonschema.validate
_original_resolve = Event.resolve_by_type
_checked_schemas: set[tuple[type, str]] = set()
_event_classes: dict[str, Type[Event]] = {}


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """jsonschema.validate, checking each distinct schema only once (a SchemaError is raised as before)."""
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


def install() -> None:
    jsonschema.validate = validate
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]


install()
