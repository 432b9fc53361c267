"""App-wide protections: security headers on every response, and malformed input always a 4xx.

Every route that reads a body goes through read_json / read_form (or reads bytes itself), and
the middleware turns what aiohttp raises while receiving a body (a false Content-Encoding, a
broken chunked stream) into a 400 with one log line, never a 500 with a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp.web_response
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

from adapters.appkeys import ASSISTANT, SETTINGS
from bot.store import links

log = logging.getLogger(__name__)

SERVER = "policybot"  # no version banner
HTML_CSP = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
MAX_FORM_FIELDS = 20
HSTS = "max-age=31536000"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def wants_page(request: web.Request) -> bool:
    """A browser's form or page rather than an API call: it says it takes HTML, or it sent a form.

    The JSON API (/api/..., a JSON body, or Accept naming JSON and not HTML) always gets JSON.
    """
    accept = request.headers.get("Accept", "").lower()
    if request.path.startswith("/api/") or request.content_type == "application/json":
        return False
    if "text/html" in accept:
        return True
    return request.content_type in FORM_TYPES and "application/json" not in accept


def _back(request: web.Request) -> str:
    """Where the refused page links back to: the page of this site the form was on, else the start page."""
    settings = request.app[SETTINGS]
    referer = urlsplit(request.headers.get("Referer", ""))
    ours = {urlsplit(settings.public_base_url).netloc.lower(), request.host.lower()}
    if referer.scheme in ("http", "https") and referer.netloc.lower() in ours:
        return referer.path + (f"?{referer.query}" if referer.query else "") or "/"
    return "/" if settings.chat_enabled else links.policy_url(settings.public_base_url, request.app[ASSISTANT].policy.number)


def bad_request(request: web.Request, key: str, status: int = 400, **headers: str) -> web.HTTPException:
    """A 4xx worded by phrases.j2's `key`, to raise from anywhere in a handler: {"error": ...} for
    an API call, a small page with the same status and a link back for a browser's form (wants_page)."""
    cls = {400: web.HTTPBadRequest, 403: web.HTTPForbidden, 415: web.HTTPUnsupportedMediaType, 429: web.HTTPTooManyRequests}[status]
    templates = request.app[ASSISTANT].templates
    message = templates.phrase(key)
    if wants_page(request):
        page = templates.render("refused.html.j2", status=status, message=message, back=_back(request))
        return cls(text=page, content_type="text/html", headers={"Cache-Control": "no-store", **headers})
    return cls(text=json.dumps({"error": message}), content_type="application/json", headers=headers or None)


async def read_json(request: web.Request) -> Any:
    """The body as JSON: only application/json, only UTF-8 (RFC 8259), within Python's limits."""
    if request.content_type != "application/json":
        raise bad_request(request, "err_json_only", 415)
    try:
        return json.loads((await request.read()).decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a 5,000-digit number, nesting too deep
        raise bad_request(request, "err_json_body") from None


async def read_form(request: web.Request) -> dict[str, str]:
    """A urlencoded form (what the pages' forms send), decoded as UTF-8; first value per field."""
    if request.content_type != "application/x-www-form-urlencoded":
        raise bad_request(request, "err_form_only", 415)
    try:
        pairs = parse_qsl((await request.read()).decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FORM_FIELDS)
    except ValueError:  # invalid UTF-8 or percent-escapes, too many fields
        raise bad_request(request, "err_form_unreadable") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


@web.middleware
async def malformed_input(request: web.Request, handler: Handler) -> web.StreamResponse:
    """What aiohttp raises while receiving a body is the client's fault: 400, logged in one line."""
    try:
        return await handler(request)
    except (HttpProcessingError, RequestPayloadError) as exc:  # a false Content-Encoding, a broken chunk
        log.info("refused a malformed request to %s: %s", request.path, type(exc).__name__)
        raise bad_request(request, "err_unreadable") from None


class ClientErrorLogFilter(logging.Filter):
    """aiohttp logs a client's unparsable request (a 0x7f in a header, an 8 KB line) with a traceback;
    it is the client's error, so it becomes one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, (HttpProcessingError, RequestPayloadError)) and 400 <= (getattr(exc, "code", 400) or 400) < 500:
            record.msg = f"{record.msg} (refused: {type(exc).__name__})"
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every response says nosniff and no version; HTML pages also cannot be framed."""
    headers = response.headers
    headers["Server"] = SERVER
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if response.content_type == "text/html":
        csp = headers.get("Content-Security-Policy")
        if not csp:
            headers["Content-Security-Policy"] = HTML_CSP
        elif "frame-ancestors" not in csp:
            headers["Content-Security-Policy"] = f"{csp}; frame-ancestors 'none'"
        headers.setdefault("X-Frame-Options", "DENY")
    if request.app[SETTINGS].https:
        headers.setdefault("Strict-Transport-Security", HSTS)


_LOG_FILTER = ClientErrorLogFilter()


def install(app: web.Application) -> None:
    app.middlewares.append(malformed_input)
    app.on_response_prepare.append(security_headers)
    logging.getLogger("aiohttp.server").addFilter(_LOG_FILTER)  # the same filter once, however many apps
    # aiohttp's own error responses (bad request lines, sent before any app code runs) name its version.
    aiohttp.web_response.SERVER_SOFTWARE = SERVER
