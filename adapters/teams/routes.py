"""POST /api/messages: Microsoft Teams through the Bot Framework (botbuilder's CloudAdapter).

Off unless configured: without MicrosoftAppId the route answers 503 (like Slack without its
credentials) and the Teams SDK is not even imported. With MicrosoftAppId every activity must
carry a valid Bot Framework token (401 otherwise: missing, forged, expired, wrong audience, or
uncheckable because Microsoft's keys cannot be fetched; see openid.py). For local testing with
the Bot Framework Emulator, POLICYBOT_TEAMS_EMULATOR=1 accepts unauthenticated activities whose
serviceUrl is on this machine (loopback) only, and then nobody counts as HR.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from aiohttp import web

from adapters.appkeys import ASSISTANT, SETTINGS, STORE
from bot.settings import Settings

log = logging.getLogger(__name__)

ADAPTER = web.AppKey("teams_adapter", object)
BOT = web.AppKey("teams_bot", object)
NOT_CONFIGURED = (
    "Microsoft Teams is not configured on this server: set MicrosoftAppId and MicrosoftAppPassword "
    "(see .env.example and docs/teams.md), or POLICYBOT_TEAMS_EMULATOR=1 for the Bot Framework Emulator on this machine."
)


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

    from adapters.teams import openid

    openid.install(settings.teams_openid_metadata_url)
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(BotFrameworkConfig.from_settings(settings)))

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        log.error("teams: a turn failed: %s", error, exc_info=error)
        try:
            await turn_context.send_activity(assistant.reply("failed"))
        except Exception as exc:  # the apology itself failed: the log has the cause
            log.error("teams: could not tell the user about the failure: %s", exc)

    adapter.on_turn_error = on_turn_error
    return adapter


def is_loopback_url(url: object) -> bool:
    """True for http(s)://127.0.0.1, [::1] or localhost (where the Bot Framework Emulator listens)."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https"):
            return False
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(message: str, status: int) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _activity(request: web.Request):
    """The posted activity, or the 4xx that says why it is not one."""
    from botbuilder.schema import Activity

    if request.content_type != "application/json":
        return _refuse("Send a Bot Framework activity as application/json.", 415)
    try:
        body = json.loads((await request.read()).decode("utf-8"))
    except (ValueError, RecursionError):
        return _refuse("The request body is not JSON.", 400)
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return _refuse("The request body is not a Bot Framework activity (it needs a type).", 400)
    # What the Bot Framework puts in every activity (and the bot reads): who, where, to whom.
    if not all(isinstance(body.get(k), dict) and isinstance(body[k].get("id"), str) and body[k]["id"] for k in ("conversation", "from", "recipient")):
        return _refuse("The request body is not a Bot Framework activity (it needs conversation, from and recipient ids).", 400)
    try:
        return Activity().deserialize(body)
    except Exception:  # msrest's DeserializationError and friends: fields of the wrong shape
        return _refuse("The request body is not a Bot Framework activity.", 400)


def _from_this_machine(request: web.Request) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


async def messages(request: web.Request) -> web.StreamResponse:
    adapter, bot = request.app.get(ADAPTER), request.app.get(BOT)
    if adapter is None or bot is None:
        return _refuse(NOT_CONFIGURED, 503)
    activity = await _activity(request)
    if isinstance(activity, web.Response):
        return activity
    authenticated = bool(request.app[SETTINGS].microsoft_app_id)
    if not authenticated and not _from_this_machine(request):
        # The Emulator runs beside the bot: an unauthenticated activity from elsewhere could make the
        # server post to its own loopback ports (a loopback serviceUrl is the caller's choice).
        log.warning("teams: emulator mode refused an activity from another machine")
        return _refuse("Emulator mode only answers a Bot Framework Emulator on this machine.", 403)
    if not authenticated and not is_loopback_url(activity.service_url):
        log.warning("teams: emulator mode refused an activity whose serviceUrl is not on this machine")
        return _refuse("Emulator mode only answers a Bot Framework Emulator on this machine (a loopback serviceUrl).", 403)
    try:
        invoke = await adapter.process_activity(request.headers.get("Authorization", ""), activity, bot.on_turn)
    except Exception as exc:  # turn errors are handled by on_turn_error: what escapes is the token check
        log.warning("teams: refused an activity (%s)", type(exc).__name__)
        if authenticated:
            return _refuse("Unauthorized", 401)
        return _refuse("The activity could not be processed.", 400)
    if invoke:
        from botbuilder.core import serializer_helper

        if invoke.status == 501:  # an invoke this bot does not implement: the caller's request, not our fault
            return _refuse("This bot does not handle that invoke.", 400)
        return web.json_response(data=serializer_helper(invoke.body), status=invoke.status)
    return web.Response(status=201)


def mount(app: web.Application) -> None:
    settings = app[SETTINGS]
    if settings.microsoft_app_id or settings.teams_emulator:
        from adapters.teams.bot import PolicyBot

        app[ADAPTER] = build_adapter(settings, app[ASSISTANT])
        # HR identity only from authenticated activities: in emulator mode anyone can claim an id.
        bot_settings = settings if settings.microsoft_app_id else replace(settings, hr_teams_users=())
        app[BOT] = PolicyBot(app[ASSISTANT], bot_settings, app.get(STORE))
        if not settings.microsoft_app_id:
            log.warning("teams: POLICYBOT_TEAMS_EMULATOR=1: /api/messages accepts unauthenticated activities from a loopback serviceUrl")
    else:
        log.info("teams: not configured (MicrosoftAppId unset); /api/messages answers 503")
    app.router.add_post("/api/messages", messages)
