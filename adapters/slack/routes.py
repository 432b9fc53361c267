"""POST /slack/events: events, slash commands and interactivity, through Bolt's aiohttp adapter.

Bolt checks the signature and the timestamp (401 when either is wrong) before any listener
runs. Without SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET the route answers 503 and says so;
the rest of the service works as usual.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.appkeys import ASSISTANT, SETTINGS, STORE

log = logging.getLogger(__name__)

BOLT = web.AppKey("slack_bolt_app", object)
NOT_CONFIGURED = (
    "Slack is not configured on this server: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
    "(see .env.example and docs/slack.md)."
)


async def slack_events(request: web.Request) -> web.StreamResponse:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

    bolt = request.app.get(BOLT)
    if bolt is None:
        return web.json_response({"error": NOT_CONFIGURED}, status=503)
    try:
        bolt_request = await to_bolt_request(request)  # parses the body (Bolt checks the signature next)
    except ValueError:  # not UTF-8, not JSON, a broken interactivity payload
        return web.json_response({"error": "The request body is not a Slack payload (JSON or form data)."}, status=400)
    return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))


def mount(app: web.Application) -> None:
    settings = app[SETTINGS]
    if settings.slack_enabled:
        from adapters.slack.app import build_bolt_app

        app[BOLT] = build_bolt_app(settings, app[ASSISTANT], app.get(STORE))
    else:
        log.info("slack: not configured (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET unset); /slack/events answers 503")
    app.router.add_post("/slack/events", slack_events)
