"""Masks identifiers in every log record of the process, so neither server's log file can hold one.

The action server imports every module of actions/ at start, which installs this there; the Rasa server installs it
through components/privacy_tracker_store.py. Our own actions do not log user text at all; this also covers
Rasa's and libraries' messages (e.g. Rasa's DEBUG lines quote the user's message) and exception texts.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from actions.privacy import mask_text

_INSTALLED_ATTRIBUTE = "_masks_identifiers"


def _masking(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logging's problem to report, not ours
            return record
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks carry exception messages, which may quote user text; format once here, masked.
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        return record

    setattr(make_record, _INSTALLED_ATTRIBUTE, True)
    return make_record


def install() -> None:
    """Idempotent: wraps the current log-record factory once."""
    current = logging.getLogRecordFactory()
    if not getattr(current, _INSTALLED_ATTRIBUTE, False):
        logging.setLogRecordFactory(_masking(current))


install()
