"""POST /slack/events: events, slash commands and interactivity, through Bolt's aiohttp adapter.

The signature is checked here first (adapters/slack/verify.py): a request that cannot be
verified gets 401 and reaches no listener and no error handler. A verified body that is not
a Slack payload gets 400. Without SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET the route answers
503 and says so (Socket Mode needs no signing secret: it does not use this route).
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.appkeys import ASSISTANT, SETTINGS, STORE
from adapters.slack.verify import is_verified

log = logging.getLogger(__name__)

BOLT = web.AppKey("slack_bolt_app", object)
KINDS = ("type", "command", "ssl_check")
# Parts that Bolt and its middleware (the Assistant's among them) read as objects or lists.
OBJECTS = ("event", "view", "container", "message", "team", "channel", "user", "assistant_thread")
LISTS = ("actions",)
NOT_CONFIGURED = (
    "Slack is not configured on this server: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
    "(see .env.example and docs/slack.md)."
)


def _bolt_request(request: web.Request, body: bytes):
    """Bolt's request for a verified body; ValueError when it is not a Slack payload."""
    from slack_bolt.request.async_request import AsyncBoltRequest

    try:
        parsed = AsyncBoltRequest(body=body.decode("utf-8"), query=request.query_string, headers=request.headers)
    except (ValueError, RecursionError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # not UTF-8, not JSON, too deep, or JSON of another shape (Bolt reads it assuming an object)
        raise ValueError("not a Slack payload") from exc
    body_ = parsed.body
    # Slack sends events and interactivity with a "type", slash commands with a "command", and its
    # certificate check as "ssl_check"; anything else is not from Slack, whoever signed it.
    if not isinstance(body_, dict) or not any(isinstance(body_.get(k), str) and body_[k] for k in KINDS):
        raise ValueError("not a Slack payload")
    if "command" not in body_ and any(k in body_ and not isinstance(body_[k], dict) for k in OBJECTS):
        raise ValueError("not a Slack payload")
    if "command" in body_ and "event" in body_ or any(k in body_ and not isinstance(body_[k], list) for k in LISTS):
        raise ValueError("not a Slack payload")
    return parsed


async def slack_events(request: web.Request) -> web.StreamResponse:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response

    bolt = request.app.get(BOLT)
    secret = request.app[SETTINGS].slack_signing_secret
    if bolt is None or not secret:
        return web.json_response({"error": NOT_CONFIGURED}, status=503)
    body = await request.read()
    if not is_verified(secret, body, request.headers):
        log.warning("slack: refused a request without a valid signature (%d bytes)", len(body))
        return web.json_response({"error": "invalid request signature"}, status=401)
    try:
        bolt_request = _bolt_request(request, body)
    except ValueError:
        return web.json_response({"error": "The request body is not a Slack payload (JSON or form data)."}, status=400)
    return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))


def mount(app: web.Application) -> None:
    settings = app[SETTINGS]
    if settings.slack_bot_token and (settings.slack_signing_secret or settings.slack_app_token):
        from adapters.slack.app import build_bolt_app

        app[BOLT] = build_bolt_app(settings, app[ASSISTANT], app.get(STORE))
    else:
        log.info("slack: not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET unset); /slack/events answers 503")
    app.router.add_post("/slack/events", slack_events)
