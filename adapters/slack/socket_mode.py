"""`policybot serve --socket-mode`: the same Bolt app, connected out to Slack over a WebSocket.

For a city that cannot give Slack a public URL. The web page and answer links are served as usual.
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.appkeys import SETTINGS

log = logging.getLogger(__name__)


async def start_socket_mode(app: web.Application) -> None:
    """An on_startup hook: connect when the service starts, disconnect when it stops."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from adapters.slack.routes import BOLT

    settings = app[SETTINGS]
    bolt = app.get(BOLT)
    if bolt is None or not settings.slack_app_token:
        raise RuntimeError("Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
    handler = AsyncSocketModeHandler(bolt, settings.slack_app_token)
    await handler.connect_async()
    log.info("slack: connected over Socket Mode")

    async def disconnect(_app: web.Application) -> None:
        await handler.close_async()

    app.on_cleanup.append(disconnect)
