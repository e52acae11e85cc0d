"""Rasa's REST channel with a checked request body and a guaranteed answer.

Same URL as Rasa's (`name()` stays "rest": `/webhooks/rest/webhook`), so clients need no change. Referenced from
credentials.yml as `components.rest_channel.RestInput`.

Rasa's RestInput reads `request.json` unchecked: a non-JSON body or a JSON list makes it raise (500 with Sanic's
error page), a missing sender puts the message into the shared conversation "default", and a failing tracker
store gives `[]`. Here:

- 400 with a Norwegian JSON error `{"error": code, "message": text}` for: a body that is not UTF-8 JSON, not an
  object, `sender` missing / not a string / empty / longer than 200 characters / containing control characters,
  `message` missing or not a string, `metadata` not an object, `input_channel` not a string.
- 413 when the message is longer than MAX_MESSAGE_CHARS (2 000): refused, not cut, because a cut question gets a
  misleading answer, and classifying 20 000 characters costs the server ~100x a normal message.
- An empty or whitespace-only message is answered here ("skriv spørsmålet ditt") without reaching Rasa.
- Control characters (except newline and tab) are removed and lone surrogates replaced before Rasa sees the text
  (PostgreSQL rejects NUL, and UTF-8 cannot encode a lone surrogate).
- Every message runs through components.reply_guard: a deadline and an error reply when an action or the database
  fails, never a stack trace.
"""
from __future__ import annotations

import inspect
import json
import re
from typing import Any, Union

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
import rasa.utils.endpoints
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from components import rasa_speedups  # noqa: F401  (installs itself; imported with the channels)
from components.reply_guard import OnNewMessage, fail_closed_tracker_store, guard, stored_language

MAX_SENDER_CHARS = 200
MAX_MESSAGE_CHARS = 2000
MAX_INPUT_CHANNEL_CHARS = 64

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and newline, which a message may hold
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

ERRORS = {
    "invalid_json": "Forespørselen må være et JSON-objekt i UTF-8, for eksempel {\"sender\": \"id\", \"message\": \"hei\"}.",
    "invalid_sender": f"Feltet «sender» må være en tekst på 1–{MAX_SENDER_CHARS} tegn uten kontrolltegn.",
    "invalid_message": "Feltet «message» må være en tekst.",
    "invalid_metadata": "Feltet «metadata» må være et JSON-objekt.",
    "invalid_input_channel": "Feltet «input_channel» må være en kort tekst.",
    "message_too_long": f"Meldingen er for lang. Skriv et kortere spørsmål (høyst {MAX_MESSAGE_CHARS} tegn).",
}

EMPTY_MESSAGE_REPLY = {
    "nb": "Jeg fikk en tom melding. Skriv spørsmålet ditt om personalforsikringene, så svarer jeg.",
    "nn": "Eg fekk ei tom melding. Skriv spørsmålet ditt om personalforsikringane, så svarar eg.",
}


class BadRequest(Exception):
    def __init__(self, code: str, status: int = 400) -> None:
        super().__init__(code)
        self.code, self.status = code, status


def clean_text(text: str) -> str:
    """Text Rasa and every tracker store can handle: no control characters, no lone surrogates."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def parse_body(raw: bytes) -> dict[str, Any]:
    """The validated fields of a webhook body; raises BadRequest with the reason."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("invalid_json")
    if not isinstance(body, dict):
        raise BadRequest("invalid_json")

    sender = body.get("sender")
    if (not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS
            or _ANY_CONTROL.search(sender) or _SURROGATE.search(sender)):
        raise BadRequest("invalid_sender")
    message = body.get("message")
    if not isinstance(message, str):
        raise BadRequest("invalid_message")
    if len(message) > MAX_MESSAGE_CHARS:
        raise BadRequest("message_too_long", status=413)
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("invalid_metadata")
    input_channel = body.get("input_channel")
    if input_channel is not None and (not isinstance(input_channel, str) or not input_channel
                                      or len(input_channel) > MAX_INPUT_CHANNEL_CHARS):
        raise BadRequest("invalid_input_channel")
    return {"sender": sender, "message": clean_text(message), "metadata": metadata,
            "input_channel": input_channel}


def error_response(error: BadRequest) -> HTTPResponse:
    return response.json({"error": error.code, "message": ERRORS[error.code]}, status=error.status)


class RestInput(RasaRestInput):
    """`/webhooks/rest/webhook` with validation, an answer for empty messages and the reply guard."""

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        guarded = guard(on_new_message)
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.listener("after_server_start")
        async def fail_closed(app: Any, _: Any) -> None:
            fail_closed_tracker_store(app)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            try:
                fields = parse_body(request.body or b"")
            except BadRequest as error:
                return error_response(error)
            sender, text = fields["sender"], fields["message"]
            channel = fields["input_channel"] or self.name()

            if not text.strip():
                # Nothing to detect the standard from: the conversation's, else Bokmål.
                language = await stored_language(sender) or "nb"
                return response.json([{"recipient_id": sender, "text": EMPTY_MESSAGE_REPLY[language]}])

            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(guarded, text, sender, channel, fields["metadata"]),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            await guarded(UserMessage(text, collector, sender, input_channel=channel, metadata=fields["metadata"]))
            return response.json(collector.messages)

        return webhook
