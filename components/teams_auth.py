"""Bot Framework authentication for the Teams channel, both ways, with async HTTP (aiohttp).

Inbound: every activity carries a JWT from the Bot Connector. We check it as Microsoft's checklist asks
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication): RS256
signature by a key (`kid`) from the JWKS named in the OpenID configuration, issuer, audience = our app id,
expiry (5 min clock skew), the key's endorsement of the channel, and the `serviceUrl` claim equal to the
activity's serviceUrl — without that last check a forged activity could make us send our access token to a
server of its choosing. Keys are fetched on first use and refreshed daily, never in the constructor, so the
assistant starts offline.

Outbound: a client-credentials token from the tenant's own endpoint (single-tenant bots cannot use the
multi-tenant botframework.com tenant that Rasa's channel hard-codes), cached until shortly before it expires.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any, Optional

import aiohttp
import jwt
from jwt.algorithms import RSAAlgorithm

logger = logging.getLogger(__name__)

BEARER = re.compile(r"^Bearer\s+(\S+)$", re.IGNORECASE)
ALGORITHMS = ["RS256"]  # never the token's own "alg": that is what alg=none and HS256-with-public-key attacks use
KEYS_MAX_AGE_S = 24 * 3600
UNKNOWN_KID_REFETCH_S = 300  # a new signing key is fetched at most every 5 minutes
CLOCK_SKEW_S = 300
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15)


class AuthError(Exception):
    """The request is not from the Bot Connector: answer 401."""


class KeysUnavailable(Exception):
    """The signing keys could not be fetched: answer 503, so the Bot Connector tries again."""


def _same_url(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.rstrip("/").lower() == b.rstrip("/").lower()


class InboundAuth:
    def __init__(self, app_id: str, openid_url: str, issuer: str) -> None:
        self.app_id = app_id
        self.openid_url = openid_url
        self.issuer = issuer
        self._keys: dict[str, tuple[Any, list[str]]] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    def use_jwks(self, jwks: dict) -> None:
        """Takes a JWKS document (also used by the tests to skip the network)."""
        keys: dict[str, tuple[Any, list[str]]] = {}
        for jwk in jwks.get("keys") or []:
            if jwk.get("kty") != "RSA" or not jwk.get("kid"):
                continue
            keys[jwk["kid"]] = (RSAAlgorithm.from_jwk(json.dumps(jwk)), list(jwk.get("endorsements") or []))
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def _fetch(self) -> None:
        async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
            async with session.get(self.openid_url) as response:
                response.raise_for_status()
                config = await response.json(content_type=None)
            async with session.get(config["jwks_uri"]) as response:
                response.raise_for_status()
                self.use_jwks(await response.json(content_type=None))
        logger.debug("teams: %d signing keys from %s", len(self._keys), self.openid_url)

    async def _key(self, kid: str) -> tuple[Any, list[str]]:
        age = time.monotonic() - self._fetched_at
        stale = not self._keys or age > KEYS_MAX_AGE_S or (kid not in self._keys and age > UNKNOWN_KID_REFETCH_S)
        if stale:
            async with self._lock:
                try:
                    await self._fetch()
                except (aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
                    logger.warning("teams: could not fetch signing keys from %s: %s", self.openid_url, error)
                    if not self._keys:
                        raise KeysUnavailable(str(error)) from error
        if kid not in self._keys:
            raise AuthError(f"unknown signing key {kid!r}")
        return self._keys[kid]

    async def validate(self, authorization: Optional[str], activity: dict) -> dict[str, Any]:
        """The token's claims, or AuthError / KeysUnavailable."""
        match = BEARER.match(authorization or "")
        if not match:
            raise AuthError("no Bearer token")
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise AuthError(f"malformed token: {error}") from error
        if header.get("alg") not in ALGORITHMS:
            raise AuthError(f"algorithm {header.get('alg')!r} not accepted")
        key, endorsements = await self._key(str(header.get("kid")))
        try:
            claims = jwt.decode(
                token, key=key, algorithms=ALGORITHMS, audience=self.app_id, issuer=self.issuer,
                leeway=CLOCK_SKEW_S, options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise AuthError(f"invalid token: {error}") from error
        channel = activity.get("channelId")
        if endorsements and channel not in endorsements:
            raise AuthError(f"key not endorsed for channel {channel!r}")
        if not _same_url(claims.get("serviceUrl"), activity.get("serviceUrl")):
            raise AuthError("serviceUrl claim does not match the activity")
        return claims


class TokenProvider:
    """Our bot's access token for replies (client credentials at the tenant's token endpoint)."""

    def __init__(self, app_id: str, app_password: str, token_url: str, scope: str) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.token_url = token_url
        self.scope = scope
        self._token: Optional[str] = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self, session: aiohttp.ClientSession) -> str:
        async with self._lock:
            if self._token and time.monotonic() < self._expires_at - 300:
                return self._token
            form = {"grant_type": "client_credentials", "client_id": self.app_id,
                    "client_secret": self.app_password, "scope": self.scope}
            async with session.post(self.token_url, data=form) as response:
                body = await response.json(content_type=None)
                if response.status != 200 or "access_token" not in body:
                    # AADSTS errors name the problem (wrong tenant, secret expired); the secret is not logged.
                    raise RuntimeError(f"token endpoint answered {response.status}: {body.get('error_description') or body}")
            self._token = body["access_token"]
            self._expires_at = time.monotonic() + float(body.get("expires_in", 3600))
            return self._token
