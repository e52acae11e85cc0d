"""Every user message gets an answer within a deadline, even when the action server or the database fails.

Rasa 3.6 leaves the user without a reply in three cases, all read in the installed code:
- `RemoteAction.run` calls the action server with `timeout=DEFAULT_REQUEST_TIMEOUT` (300 s, hard-coded; the
  endpoints file cannot change it), so a slow action server blocks the conversation for five minutes.
- When an action fails (server down, timeout, 500), `MessageProcessor._run_action` logs the exception and carries
  on with no events: usually nothing at all is said to the user.
- When the tracker store fails (database down), Rasa's FailSafeTrackerStore logs it and carries on with an *empty*
  tracker kept in memory: the user is answered as if the conversation had just begun (a half-filled calculator
  form is forgotten, "50" is read without its question) and the turn is never stored.

`guard(on_new_message)` wraps the callback a channel hands messages to: it runs it under an overall deadline
(REPLY_DEADLINE_SECONDS, default 8), notices failed actions through the processor's own log record, and then sends
`utter_default`'s text (Bokmål or Nynorsk) through the message's output channel. The stack trace stays in the
server log. `install_action_timeout()` lowers the action server timeout (ACTION_TIMEOUT_SECONDS, default 5), and
`fail_closed_tracker_store(app)` makes a tracker store error end the turn (and so reach `guard`) instead of
falling back to memory. The channels call both.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import os
from typing import Any, Awaitable, Callable, Optional

import rasa.core.actions.action as rasa_action
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.exceptions import RasaException

from actions.nortext import detect_written_standard

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# The same words as utter_default in domain.yml (tests/test_reply_guard.py keeps them equal). Kept here because
# the domain's response needs the tracker, and the tracker may be the thing that failed.
ERROR_TEXT = {
    "nb": "Beklager, nå gikk noe galt hos meg. Prøv igjen om litt, eller kontakt personalavdelingen.",
    "nn": "Orsak, no gjekk noko gale hos meg. Prøv igjen om litt, eller kontakt personalavdelinga.",
}

# The processor's log line when an action raised; its text is stable in the pinned Rasa 3.6.21.
_ACTION_FAILED_PREFIX = "Encountered an exception while running action"
_failures: contextvars.ContextVar[Optional[list[str]]] = contextvars.ContextVar("reply_guard_failures", default=None)


def _env_seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def reply_deadline() -> float:
    return _env_seconds("REPLY_DEADLINE_SECONDS", 8.0)


def action_timeout() -> float:
    return _env_seconds("ACTION_TIMEOUT_SECONDS", 5.0)


def install_action_timeout() -> None:
    """RemoteAction reads this module global at call time; 300 s is far beyond what a chat user waits."""
    rasa_action.DEFAULT_REQUEST_TIMEOUT = action_timeout()


class TrackerStoreUnavailable(RasaException):
    """The conversation could not be read or stored; the turn is not run on an empty tracker."""


def _fail_closed(error: Exception) -> None:
    raise TrackerStoreUnavailable(f"tracker store failed: {error}") from error


def fail_closed_tracker_store(app: Any) -> None:
    """Sets the callback FailSafeTrackerStore calls on an error (its constructor's `on_tracker_store_error`,
    which the agent leaves unset) to raise. Called after the server started, when the agent exists."""
    agent = getattr(app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _fail_closed


class _ActionFailureFilter(logging.Filter):
    """Notes, for the message being handled, that an action failed. Never hides the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _failures.get()
        if failures is not None and str(record.msg).startswith(_ACTION_FAILED_PREFIX):
            failures.append(record.getMessage())
        return True


_processor_logger = logging.getLogger("rasa.core.processor")
if not any(isinstance(f, _ActionFailureFilter) for f in _processor_logger.filters):
    _processor_logger.addFilter(_ActionFailureFilter())


async def stored_language(sender_id: str) -> Optional[str]:
    """The conversation's `language` slot, if the tracker store answers; None otherwise."""
    try:
        from sanic import Sanic

        agent = Sanic.get_app().ctx.agent
        tracker = await asyncio.wait_for(agent.tracker_store.retrieve(sender_id), timeout=1.0)
        value = tracker.get_slot("language") if tracker else None
        return value if value in ERROR_TEXT else None
    except Exception:  # the store may be what failed; the reply must still go out
        return None


async def error_text(sender_id: str, text: Optional[str], lookup_slot: bool = True) -> str:
    """utter_default in the user's written standard: this message's, else the conversation's, else Bokmål."""
    language = detect_written_standard(text or "")
    if language is None and lookup_slot:
        language = await stored_language(sender_id)
    return ERROR_TEXT.get(language or "nb", ERROR_TEXT["nb"])


def _log_late_outcome(task: "asyncio.Future[Any]") -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        logger.error("A message that passed its reply deadline failed later: %r", error)


def guard(on_new_message: OnNewMessage) -> OnNewMessage:
    """on_new_message with a deadline and an error reply when an action, the store or the deadline fails."""

    async def guarded(message: UserMessage) -> None:
        failures: list[str] = []
        token = _failures.set(failures)
        try:
            # The task copies this context, so the log filter sees `failures` while Rasa handles the message.
            task = asyncio.ensure_future(on_new_message(message))
        finally:
            _failures.reset(token)
        store_failed = False
        try:
            # shield: past the deadline Rasa still finishes the turn in the background (the tracker is saved and
            # the conversation lock released properly) while the user already has an answer.
            await asyncio.wait_for(asyncio.shield(task), timeout=reply_deadline())
            problem = f"action failed: {failures[0]}" if failures else None
        except asyncio.TimeoutError:
            task.add_done_callback(_log_late_outcome)
            problem = f"no answer within {reply_deadline():.0f} s"
        except Exception:
            logger.exception("Handling a message failed (tracker store, lock store or model)")
            problem, store_failed = "handling failed", True
        if problem is None:
            return
        logger.warning("Sent the error reply to a user: %s", problem)
        text = await error_text(message.sender_id, message.text, lookup_slot=not store_failed)
        await message.output_channel.send_text_message(message.sender_id, text)

    return guarded


install_action_timeout()  # the Rasa server imports the channel modules, and so this one, at start
