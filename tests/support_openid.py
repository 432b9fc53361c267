"""A local stand-in for Microsoft's OpenID metadata and signing keys, and Bot Framework tokens signed with them.

The bot's token checks run unchanged (botbuilder's JwtTokenExtractor and channel validation);
only the metadata URL points here (Settings.teams_openid_metadata_url).
"""

from __future__ import annotations

import asyncio
import json
import time

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from support_http import LocalPlatform

APP_ID = "11111111-2222-4333-8444-555555555555"
ISSUER = "https://api.botframework.com"
KID = "policybot-test-key"


class FakeMicrosoftKeys(LocalPlatform):
    """Serves /.well-known/openidconfiguration and /keys; `hang` makes both stall (a hung endpoint)."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.hang = False
        self.requests = 0

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._keys)

    @property
    def metadata_url(self) -> str:
        return self.url_for("/.well-known/openidconfiguration")

    async def _stall(self) -> None:
        self.requests += 1
        if self.hang:
            await asyncio.sleep(60)

    async def _metadata(self, request: web.Request) -> web.Response:
        await self._stall()
        return web.json_response({"issuer": ISSUER, "jwks_uri": self.url_for("/keys"), "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        await self._stall()
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=KID, use="sig", endorsements=["msteams"])
        return web.json_response({"keys": [jwk]})

    def token(self, *, service_url: str, audience: str = APP_ID, expires_in: int = 600, kid: str = KID, **claims) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": audience, "nbf": now - 60, "exp": now + expires_in, "serviceurl": service_url, **claims}
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": kid})
