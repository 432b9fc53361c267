"""GET /privacy: what the assistant keeps, for how long, and who can see it.

Linked from the Teams manifest (privacyUrl, termsOfUseUrl) and the chat page. The wording is
bot/templates/privacy.html.j2; the retention period comes from POLICYBOT_RETENTION_DAYS.
"""

from __future__ import annotations

from aiohttp import web

from adapters.appkeys import ASSISTANT, SETTINGS
from bot.composer import policy_ref
from bot.store import links


async def privacy(request: web.Request) -> web.Response:
    assistant, settings = request.app[ASSISTANT], request.app[SETTINGS]
    page = assistant.templates.render(
        "privacy.html.j2",
        retention_days=settings.retention_days,
        policy=policy_ref(assistant.policy),
        policy_url=links.policy_url(settings.public_base_url, assistant.policy.number),
    )
    return web.Response(text=page, content_type="text/html", charset="utf-8", headers={"Cache-Control": "public, max-age=3600"})


def mount(app: web.Application) -> None:
    app.router.add_get("/privacy", privacy)
