"""Microsoft Teams channel: Rasa's botframework channel with its gaps closed (docs/teams.md).

- replies get their token from the tenant's endpoint (single-tenant Azure Bots), over aiohttp (no blocking);
- inbound tokens are checked in full, keys fetched lazily (components/teams_auth.py);
- buttons become a hero card with messageBack/imBack actions, which Teams shows;
- the bot's @mention is removed before NLU; a welcome (the domain's greeting) when the bot is added;
- Teams' like/sad reactions are recorded like the widget's thumbs.

credentials.yml (scripts/env.sh writes it when MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_TENANT_ID
are set):

    components.teams_channel.TeamsInput:
      app_id: ${MICROSOFT_APP_ID}
      app_password: ${MICROSOFT_APP_PASSWORD}
      tenant_id: ${MICROSOFT_TENANT_ID}

Webhook (the Azure Bot's messaging endpoint): POST /webhooks/teams/webhook. The Microsoft URLs come from the
environment (MICROSOFT_LOGIN_URL, MICROSOFT_TOKEN_SCOPE, BOTFRAMEWORK_OPENID_URL, BOTFRAMEWORK_ISSUER), so tests
point them at a fake.
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import quote

import aiohttp
from rasa.core.channels.botframework import BotFramework, BotFrameworkInput
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from components import teams_activity as act
from components.reply_guard import guard
from components.teams_auth import HTTP_TIMEOUT, AuthError, InboundAuth, KeysUnavailable, TokenProvider

logger = logging.getLogger(__name__)

DEFAULTS = {
    "login_url": ("MICROSOFT_LOGIN_URL", "https://login.microsoftonline.com"),
    "token_scope": ("MICROSOFT_TOKEN_SCOPE", "https://api.botframework.com/.default"),
    "openid_url": ("BOTFRAMEWORK_OPENID_URL", "https://login.botframework.com/v1/.well-known/openidconfiguration"),
    "issuer": ("BOTFRAMEWORK_ISSUER", "https://api.botframework.com"),
}


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str
    app_password: str
    tenant_id: str
    login_url: str
    token_scope: str
    openid_url: str
    issuer: str

    @property
    def token_url(self) -> str:
        return f"{self.login_url.rstrip('/')}/{self.tenant_id}/oauth2/v2.0/token"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any], environ: Optional[dict[str, str]] = None) -> "TeamsSettings":
        environ = dict(os.environ if environ is None else environ)
        missing = [key for key in ("app_id", "app_password", "tenant_id") if not credentials.get(key)]
        if missing:
            raise ValueError(f"Teams channel: credentials lack {', '.join(missing)} (see docs/teams.md)")
        urls = {key: str(credentials.get(key) or environ.get(env) or default) for key, (env, default) in DEFAULTS.items()}
        return cls(app_id=str(credentials["app_id"]), app_password=str(credentials["app_password"]),
                   tenant_id=str(credentials["tenant_id"]), **urls)


class TeamsOutput(BotFramework):
    """Replies into one Teams conversation."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    def __init__(self, tokens: TokenProvider, activity: dict) -> None:
        super().__init__(tokens.app_id, tokens.app_password, activity["conversation"], activity["recipient"],
                         activity["serviceUrl"])
        self.tokens = tokens
        self.user = activity.get("from") or {}
        self.reply_to_id = activity.get("id")

    def prepare_message(self, recipient_id: str, message_data: dict[str, Any]) -> dict[str, Any]:
        # Rasa's recipient is our hashed sender id; Teams wants the user's channel account.
        message = super().prepare_message(recipient_id, message_data)
        message["recipient"] = self.user
        message["conversation"] = {"id": self.conversation["id"]}
        if self.reply_to_id:
            message["replyToId"] = self.reply_to_id
        return message

    async def send(self, message_data: dict[str, Any]) -> None:
        url = f"{self.global_uri}conversations/{quote(str(self.conversation['id']), safe='')}/activities"
        try:
            async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
                token = await self.tokens.token(session)
                headers = {"Authorization": f"Bearer {token}"}
                async with session.post(url, json=message_data, headers=headers) as reply:
                    if reply.status >= 300:
                        logger.error("teams: sending failed (%s): %s", reply.status, (await reply.text())[:500])
        except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError) as error:
            logger.error("teams: sending failed: %s", error)

    async def send_typing(self) -> None:
        await self.send(self.prepare_message("", {"type": "typing"}))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        # One message per reply (Rasa's splits on blank lines), in Teams markdown.
        await self.send(self.prepare_message(recipient_id, {"text": act.teams_markdown(text), "textFormat": "markdown"}))

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        await self.send(self.prepare_message(recipient_id, {"attachments": [act.hero_card(text, buttons)]}))


class TeamsInput(BotFrameworkInput):
    """Receives Teams activities on /webhooks/teams/webhook."""

    @classmethod
    def name(cls) -> str:
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "TeamsInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(TeamsSettings.from_credentials(credentials))

    def __init__(self, settings: TeamsSettings) -> None:  # no super().__init__: it fetches keys synchronously
        self.settings = settings
        self.app_id = settings.app_id
        self.app_password = settings.app_password
        self.auth = InboundAuth(settings.app_id, settings.openid_url, settings.issuer)
        self.tokens = TokenProvider(settings.app_id, settings.app_password, settings.token_url, settings.token_scope)
        self._tasks: set[asyncio.Task] = set()

    def output_for(self, activity: dict) -> TeamsOutput:
        return TeamsOutput(self.tokens, activity)

    async def handle_activity(self, activity: dict, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Turns one authenticated activity into at most one message for Rasa."""
        kind = activity.get("type")
        if kind == "message":
            text = act.message_text(activity)
            if not text:
                return
            out = self.output_for(activity)
            await out.send_typing()
        elif kind == "conversationUpdate" and act.bot_was_added(activity):
            text, out = act.welcome_payload(activity), self.output_for(activity)
        elif kind == "messageReaction" and act.reaction_payload(activity):
            text, out = act.reaction_payload(activity) or "", self.output_for(activity)
        else:
            return
        await on_new_message(UserMessage(text=text, output_channel=out, sender_id=act.sender_id(activity),
                                         input_channel=self.name(), metadata=act.metadata(activity)))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        teams_webhook = Blueprint("teams_webhook", __name__)

        @teams_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @teams_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            try:
                activity = request.json
            except Exception:  # sanic raises InvalidUsage on a body that is not JSON
                activity = None
            if not isinstance(activity, dict):
                return response.text("Expected a Bot Framework activity.", status=HTTPStatus.BAD_REQUEST)
            try:
                await self.auth.validate(request.headers.get("Authorization"), activity)
            except AuthError as error:
                logger.warning("teams: rejected an activity: %s", error)
                return response.text("Unauthorized.", status=HTTPStatus.UNAUTHORIZED)
            except KeysUnavailable:
                return response.text("Signing keys unavailable.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            if not all(activity.get(field) for field in ("serviceUrl", "conversation", "recipient")):
                return response.text("Incomplete activity.", status=HTTPStatus.BAD_REQUEST)
            # Answer at once: the Bot Connector gives up after 15 s and then sends the activity again.
            # guard: a failed action or store, or a turn past the deadline, still gets "prøv igjen" (docs/robustness.md).
            task = asyncio.create_task(self._handle_safely(activity, guard(on_new_message)))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return response.empty(status=HTTPStatus.ACCEPTED)

        return teams_webhook

    async def _handle_safely(self, activity: dict, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        try:
            await self.handle_activity(activity, on_new_message)
        except Exception:
            logger.exception("teams: could not handle a %s activity", activity.get("type"))
