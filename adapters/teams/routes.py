"""POST /api/messages: Microsoft Teams through the Bot Framework (botbuilder's CloudAdapter).

With MicrosoftAppId set, the SDK checks every request's Bot Framework JWT (401 without a
valid one) and signs its replies. Without it, the route takes unauthenticated traffic from
the Bot Framework Emulator for local testing, and says so in the log at start-up.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from aiohttp import web

from adapters.appkeys import ASSISTANT, SETTINGS, STORE
from bot.settings import Settings

log = logging.getLogger(__name__)

ADAPTER = web.AppKey("teams_adapter", object)
BOT = web.AppKey("teams_bot", object)


@dataclass(frozen=True)
class BotFrameworkConfig:
    """What ConfigurationBotFrameworkAuthentication reads (attribute names are the SDK's)."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> BotFrameworkConfig:
        return cls(
            settings.microsoft_app_id or "",
            settings.microsoft_app_password or "",
            settings.microsoft_app_type or "MultiTenant",
            settings.microsoft_app_tenant_id or "",
        )

    def __repr__(self) -> str:  # never print the password
        return f"BotFrameworkConfig(APP_ID={self.APP_ID!r}, APP_TYPE={self.APP_TYPE!r})"


def build_adapter(settings: Settings, assistant):
    from botbuilder.core import TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(BotFrameworkConfig.from_settings(settings)))

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        log.error("teams: a turn failed: %s", error, exc_info=error)
        try:
            await turn_context.send_activity(assistant.reply("failed"))
        except Exception as exc:  # the apology itself failed: the log has the cause
            log.error("teams: could not tell the user about the failure: %s", exc)

    adapter.on_turn_error = on_turn_error
    return adapter


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


async def messages(request: web.Request) -> web.StreamResponse:
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.json_response({"error": "Send a Bot Framework activity as application/json."}, status=415)
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _bad_request("The request body is not JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return _bad_request("The request body is not a Bot Framework activity (it needs a type).")
    import jwt

    try:
        response = await request.app[ADAPTER].process(request, request.app[BOT])
    except web.HTTPException as exc:  # 401 for a missing or rejected token, from the SDK
        return web.json_response({"error": exc.reason}, status=exc.status)
    except jwt.PyJWTError:  # a token that is not even a JWT
        return web.json_response({"error": "Unauthorized"}, status=401)
    return response or web.Response(status=200)


def mount(app: web.Application) -> None:
    from adapters.teams.bot import PolicyBot

    settings = app[SETTINGS]
    app[ADAPTER] = build_adapter(settings, app[ASSISTANT])
    app[BOT] = PolicyBot(app[ASSISTANT], settings, app.get(STORE))
    if not settings.microsoft_app_id:
        log.info("teams: MicrosoftAppId is not set; /api/messages accepts unauthenticated Bot Framework Emulator traffic")
    app.router.add_post("/api/messages", messages)
