"""The public web surfaces' guard: same-origin posts, a CSRF token on forms, a per-client rate limit.

The chat page and /api/ask need no login (they are meant for a loopback address, an intranet
or a single sign-on proxy; see docs/security.md), so what they accept is narrowed instead:
  - state-changing requests only from this site (Origin / Sec-Fetch-Site), so another web
    page cannot make an employee's browser ask (or fill HR's report) on its behalf;
  - the page's forms carry a token matching a SameSite cookie (double-submit), for browsers
    that send no Origin; a form that cannot carry one (the answer page's "Ask again": the page
    is cached and shared) is taken only when the browser says it comes from this site;
  - each client may ask RATE per minute; beyond it, 429 with Retry-After.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import wraps
from urllib.parse import urlsplit

from aiohttp import web

from adapters.appkeys import SETTINGS
from adapters.security import bad_request
from bot.settings import Settings

CSRF_COOKIE = "policybot_csrf"
CSRF_FIELD = "csrf"
MAX_CLIENTS = 50_000  # remembered buckets; the oldest are forgotten first

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_same_origin(request: web.Request) -> bool:
    """False for a request a browser says came from another site; True otherwise (curl sends neither header)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {_origin_of(request.app[SETTINGS].public_base_url), f"{request.scheme}://{request.host}".lower()}
    return origin.lower() in allowed


def says_same_origin(request: web.Request) -> bool:
    """The browser says the request comes from this site (Sec-Fetch-Site or Origin), as every current
    browser does when a page's form posts; is_same_origin also lets through a request that says nothing."""
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    return request.headers.get("Origin") is not None and is_same_origin(request)


def client_key(request: web.Request, settings: Settings) -> str:
    """Who is asking, for the rate limit: the peer, or (behind a trusted proxy) the address it saw."""
    if settings.trust_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]  # the one our proxy added; earlier entries are the client's to invent
    return request.remote or "unknown"


class RateLimiter:
    """A token bucket per client: `per_minute` requests a minute, in bursts of up to that many."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def retry_after(self, key: str) -> int:
        """0 when the request may go ahead (and is counted); else seconds until it may."""
        if self.capacity <= 0:
            return 0
        now = self.clock()
        tokens, then = self.buckets.pop(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.rate)
        if tokens >= 1:
            self.buckets[key] = (tokens - 1, now)
            wait = 0
        else:
            self.buckets[key] = (tokens, now)
            wait = max(1, math.ceil((1 - tokens) / self.rate))
        while len(self.buckets) > MAX_CLIENTS:
            self.buckets.popitem(last=False)
        return wait


LIMITER = web.AppKey("rate_limiter", RateLimiter)


def guarded(handler: Handler, *, tokenless_form: bool = False) -> Handler:
    """A state-changing public route: same origin only, then the client's rate limit.

    `tokenless_form`: a browser form without a CSRF token (it is on a cached page), so the
    browser must also say where it posts from (says_same_origin) instead of showing a token.
    """

    @wraps(handler)
    async def guard(request: web.Request) -> web.StreamResponse:
        if not is_same_origin(request) or (tokenless_form and not says_same_origin(request)):
            raise bad_request(request, "err_cross_site", 403)
        wait = request.app[LIMITER].retry_after(client_key(request, request.app[SETTINGS]))
        if wait:
            raise bad_request(request, "err_too_many", 429, **{"Retry-After": str(wait)})
        return await handler(request)

    return guard


def csrf_token(request: web.Request) -> str:
    """The browser's token (from its cookie), or a new one; set_csrf_cookie stores a new one."""
    token = request.cookies.get(CSRF_COOKIE, "")
    return token if 20 <= len(token) <= 64 and token.isascii() else secrets.token_urlsafe(24)


def set_csrf_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    if request.cookies.get(CSRF_COOKIE) != token:
        settings = request.app[SETTINGS]
        # Secure when the browser is on https: directly, or through the trusted proxy of an https site.
        secure = request.secure or (settings.https and settings.trust_proxy)
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="Strict", path="/", secure=secure)


def check_csrf(request: web.Request, form: dict[str, str]) -> None:
    cookie, sent = request.cookies.get(CSRF_COOKIE, ""), form.get(CSRF_FIELD, "")
    if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise bad_request(request, "err_form_expired", 403)


def install(app: web.Application) -> None:
    """One limiter per app, shared by every guarded route (installing twice keeps the first)."""
    if LIMITER not in app:
        app[LIMITER] = RateLimiter(app[SETTINGS].rate_limit_per_minute)
