"""Microsoft's OpenID signing keys, fetched without blocking the event loop and with a timeout.

botbuilder's own fetcher calls `requests.get` with no timeout on the event loop: one request
with a crafted token, while Microsoft's endpoint hung, stalled every route (even /healthz).
This drop-in replacement (same interface as the SDK's private `_OpenIdMetadata`) uses aiohttp
with a timeout, and after a failed refresh waits before trying again, so a hung endpoint costs
each bad request at most one timeout and then nothing. A token that cannot be checked is refused.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta

import aiohttp

log = logging.getLogger(__name__)

TIMEOUT_S = 5.0
RETRY_AFTER_FAILURE_S = 30.0
# Tests and benchmarks point every metadata URL at a local stand-in (Settings.teams_openid_metadata_url).
URL_OVERRIDE: str | None = None


class KeysUnavailable(Exception):
    """Microsoft's keys could not be fetched: the token cannot be checked, so it is refused."""


class _Key:
    def __init__(self, public_key, endorsements: list[str]) -> None:
        self.public_key = public_key
        self.endorsements = endorsements


class AsyncOpenIdMetadata:
    """The SDK's `_OpenIdMetadata` interface: `await get(key_id)` -> key or None."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.keys: list[dict] = []
        self.last_updated = datetime.min
        self._failed_at = float("-inf")

    async def get(self, key_id: str | None):
        if self.last_updated < datetime.now() - timedelta(days=1):
            await self._refresh()
        key = self._find(key_id)
        if key is None and self.last_updated < datetime.now() - timedelta(hours=1):
            await self._refresh()  # a new key: Microsoft rotated them (at most once an hour)
            key = self._find(key_id)
        return key

    async def _refresh(self) -> None:
        if time.monotonic() - self._failed_at < RETRY_AFTER_FAILURE_S:
            raise KeysUnavailable("Microsoft's signing keys are unavailable (a recent fetch failed)")
        url = URL_OVERRIDE or self.url
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S)) as session:
                async with session.get(url) as resp:
                    resp.raise_for_status()
                    jwks_uri = (await resp.json(content_type=None))["jwks_uri"]
                async with session.get(jwks_uri) as resp:
                    resp.raise_for_status()
                    keys = (await resp.json(content_type=None))["keys"]
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as exc:
            self._failed_at = time.monotonic()
            log.error("teams: could not fetch Microsoft's signing keys from %s: %s", url, type(exc).__name__)
            raise KeysUnavailable(str(exc)) from None
        self.keys = [k for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []
        self.last_updated = datetime.now()

    def _find(self, key_id: str | None) -> _Key | None:
        from jwt.algorithms import RSAAlgorithm

        for key in self.keys:
            if key_id and key.get("kid") == key_id:
                return _Key(RSAAlgorithm.from_jwk(json.dumps(key)), list(key.get("endorsements") or []))
        return None


def install(url_override: str | None = None) -> None:
    """Make botbuilder's token checks use this fetcher (before any token is checked)."""
    from botframework.connector.auth import jwt_token_extractor

    global URL_OVERRIDE
    URL_OVERRIDE = url_override
    jwt_token_extractor._OpenIdMetadata = AsyncOpenIdMetadata  # the SDK looks the class up by this name
    jwt_token_extractor.JwtTokenExtractor.metadataCache.clear()
