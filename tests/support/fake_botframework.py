"""A fake Bot Framework on loopback for the Teams channel tests.

It plays all of Microsoft's parts: the OpenID configuration and JWKS (its own RSA signing key), the tenant's
token endpoint, and the Bot Connector's serviceUrl, which records the bot's replies. It runs its own event loop
in a thread, so both sync tests (against a running assistant) and async tests can use it.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.servers import free_port

ISSUER = "https://api.botframework.com"
TENANT = "11111111-2222-3333-4444-555555555555"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
APP_PASSWORD = "test-secret"
BOT_ID = f"28:{APP_ID}"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeBotFramework:
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    kid: str = "fake-key-1"
    endorsements: tuple[str, ...] = ("msteams",)
    port: int = field(default_factory=free_port)
    activities: list[dict] = field(default_factory=list)
    token_requests: list[dict] = field(default_factory=list)
    issued_token: str = field(default_factory=lambda: "bot-token-" + uuid.uuid4().hex)

    # -- addresses ---------------------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openid_url(self) -> str:
        return f"{self.base}/v1/.well-known/openidconfiguration"

    @property
    def service_url(self) -> str:
        return f"{self.base}/teams/"

    def env(self) -> dict[str, str]:
        return {"MICROSOFT_LOGIN_URL": f"{self.base}/login", "BOTFRAMEWORK_OPENID_URL": self.openid_url,
                "BOTFRAMEWORK_ISSUER": ISSUER}

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "endorsements": list(self.endorsements)})
        return {"keys": [jwk]}

    # -- tokens the Bot Connector would send ------------------------------------------------------------------
    def token(self, *, audience: str = APP_ID, issuer: str = ISSUER, service_url: Optional[str] = None,
              expires_in: int = 3600, key: Optional[rsa.RSAPrivateKey] = None, kid: Optional[str] = None,
              **extra: Any) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "iat": now - 10, "nbf": now - 10, "exp": now + expires_in,
                  "serviceUrl": service_url or self.service_url, **extra}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def message(self, text: str, *, conversation: str = "a:personal-chat-1", user: str = "29:user-1",
                **extra: Any) -> dict:
        return {
            "type": "message", "id": uuid.uuid4().hex[:12], "channelId": "msteams", "serviceUrl": self.service_url,
            "from": {"id": user, "name": "Kari Nordmann", "aadObjectId": f"aad-{user}"},
            "recipient": {"id": BOT_ID, "name": "Forsikringsassistenten"},
            "conversation": {"id": conversation, "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}}, "locale": "nb-NO", "text": text, **extra,
        }

    def replies(self, conversation: str = "a:personal-chat-1", kind: str = "message") -> list[dict]:
        return [a for a in list(self.activities) if a.get("_conversation") == conversation and a.get("type") == kind]

    # -- the server ---------------------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        async def openid(_: web.Request) -> web.Response:
            return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base}/v1/.well-known/keys",
                                      "id_token_signing_alg_values_supported": ["RS256"]})

        async def keys(_: web.Request) -> web.Response:
            return web.json_response(self.jwks())

        async def token(request: web.Request) -> web.Response:
            form = dict(await request.post())
            self.token_requests.append({"tenant": request.match_info["tenant"], **form})
            if form.get("client_id") != APP_ID or form.get("client_secret") != APP_PASSWORD:
                return web.json_response({"error": "invalid_client", "error_description": "AADSTS7000215"}, status=401)
            return web.json_response({"token_type": "Bearer", "expires_in": 3599, "access_token": self.issued_token})

        async def activities(request: web.Request) -> web.Response:
            if request.headers.get("Authorization") != f"Bearer {self.issued_token}":
                return web.json_response({"error": "unauthorized"}, status=401)
            body = await request.json()
            body["_conversation"] = request.match_info["conversation"]
            self.activities.append(body)
            return web.json_response({"id": uuid.uuid4().hex[:12]})

        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", openid)
        app.router.add_get("/v1/.well-known/keys", keys)
        app.router.add_post("/login/{tenant}/oauth2/v2.0/token", token)
        app.router.add_post("/teams/v3/conversations/{conversation}/activities", activities)
        return app

    def start(self) -> "FakeBotFramework":
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(self._app())
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Bot Framework did not start")
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
