"""Rasa's socketio channel with session persistence that works on python-socketio 5.x.

Rasa 3.6's `session_request` handler calls `sio.enter_room(...)` without `await`. In python-socketio 5.x
`AsyncServer.enter_room` is a coroutine, so the client never joins the room named by its session id, and every
bot reply (emitted to that room) is lost. This subclass registers a fixed handler in its place; all else is Rasa's.
Every message also runs through components.reply_guard (a reply deadline and an error reply when an action or
the database fails), as on the REST channel.
Referenced from credentials.yml as `components.socketio_channel.SocketIOInput`.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from components import rasa_speedups  # noqa: F401  (installs itself; imported with the channels)
from components.reply_guard import fail_closed_tracker_store, guard

logger = logging.getLogger(__name__)

MAX_SESSION_ID_LENGTH = 64  # the tracker's sender_id column holds 255; a widget's id is a 32-char hex


def valid_session_id(value: Any) -> Optional[str]:
    """A client-chosen session id we accept as sender id: short, printable, no spaces."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_SESSION_ID_LENGTH:
        return None
    if not all(ch.isalnum() or ch in "-_" for ch in value):
        return None
    return value


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socketio input; `session_request` joins the session's room properly."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(guard(on_new_message))
        sio = self.sio
        assert sio is not None  # set by the parent's blueprint()

        async def session_request(sid: str, data: Optional[dict] = None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = valid_session_id(data.get("session_id")) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            logger.debug("socket %s joined session %s", sid, session_id)

        @socketio_webhook.listener("after_server_start")
        async def fail_closed(app: Any, _: Any) -> None:
            fail_closed_tracker_store(app)

        # Replaces the parent's handler for the same event.
        sio.on("session_request", handler=session_request, namespace=self.namespace)
        return socketio_webhook
