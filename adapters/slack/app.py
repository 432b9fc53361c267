"""Build the Bolt app: credentials from Settings, listeners, and the once-only delivery check."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.hr import HrDirectory
from adapters.slack.listeners import SlackListeners
from adapters.slack.messages import SlackMessages
from bot.assistant import Assistant
from bot.handoff import HrContact
from bot.settings import Settings

log = logging.getLogger(__name__)


def build_bolt_app(settings: Settings, assistant: Assistant, store=None) -> AsyncApp:
    client_options = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    client = AsyncWebClient(token=settings.slack_bot_token, timeout=15, **client_options)
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret or "",
        # Socket Mode alone needs no signing secret; HTTP requests are verified by routes.py first.
        request_verification_enabled=bool(settings.slack_signing_secret),
        process_before_response=False,  # ack at once; the work runs after the response
        logger=logging.getLogger("slack_bolt"),
    )
    listeners = SlackListeners(
        assistant, SlackMessages(assistant, settings.public_base_url), HrDirectory(settings), store, HrContact.from_settings(settings)
    )
    listeners.register(app)
    return app
