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
from adapters.slack.verify import is_slack_shaped, is_verified

log = logging.getLogger(__name__)

BOLT = web.AppKey("slack_bolt_app", object)
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
    if not is_slack_shaped(parsed.body):  # Slack's payloads always are, whoever signed this one
        raise ValueError("not a Slack payload")
    return parsed


async def slack_events(request: web.Request) -> web.StreamResponse:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response

    bolt = request.app.get(BOLT)
    settings = request.app[SETTINGS]
    if bolt is None or not settings.slack_enabled:  # Socket Mode alone (no signing secret) keeps this route off
        return web.json_response({"error": NOT_CONFIGURED}, status=503)
    body = await request.read()
    if not is_verified(settings.slack_signing_secret, body, request.headers):
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
    if not settings.slack_enabled:
        log.info("slack: /slack/events answers 503 (it needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET)")
    app.router.add_post("/slack/events", slack_events)
