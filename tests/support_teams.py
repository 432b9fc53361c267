"""A local stand-in for the Bot Framework connector, and activities shaped as Teams sends them.

Activities carry serviceUrl = the stand-in, so the bot's replies (typing, cards, text) arrive
there over real HTTP and the tests read exactly what Teams would have received.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from itertools import count

import pytest
from aiohttp import web

from support_http import LocalPlatform

BOT_ID = "28:bot-policy-assistant"
BOT_NAME = "Policy Assistant"
TENANT = "c0ffee00-0000-4000-8000-000000000001"


class FakeConnector(LocalPlatform):
    """Answers like the Bot Connector service and records every activity the bot sends."""

    def __init__(self) -> None:
        self.received: list[dict] = []  # each with "_path"
        self.created: list[dict] = []  # conversations the bot opened
        self._ids = count(1)
        self.refused: set[str] = set()  # conversations the bot is not in: sending there gets a 403

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._send)

    @property
    def url(self) -> str:
        return self.url_for("/")

    async def _create(self, request: web.Request) -> web.Response:
        """A new conversation (a 1:1 chat the bot opens); recorded with "_path" /v3/conversations."""
        body = await request.json()
        body["_path"] = request.path
        self.created.append(body)
        return web.json_response({"id": f"a:private-{len(self.created)}", "activityId": "1", "serviceUrl": self.url})

    async def _send(self, request: web.Request) -> web.Response:
        if request.match_info["conversation"] in self.refused:
            return web.json_response({"error": {"code": "BotNotInConversationRoster", "message": "The bot is not part of the conversation roster."}}, status=403)
        body = await request.json()
        body["_path"] = request.path
        body["_auth"] = request.headers.get("Authorization")
        self.received.append(body)
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    def messages(self) -> list[dict]:
        return [a for a in self.received if a.get("type") == "message"]

    async def wait_for(self, n: int, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.messages()) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return self.messages()


def activity(
    text: str | None,
    *,
    service_url: str,
    conversation_type: str = "personal",
    aad: str = "00000000-0000-4000-8000-0000000000a1",
    mention: bool = False,
    **extra,
) -> dict:
    """A message activity as Teams posts it to the bot."""
    conversation = {"id": f"a:conv-{conversation_type}", "conversationType": conversation_type, "tenantId": TENANT}
    if conversation_type == "channel":
        conversation["id"] = "19:general@thread.tacv2;messageid=1700000000000"
        conversation["isGroup"] = True
    body = {
        "type": "message",
        "id": extra.pop("id", f"{uuid.uuid4().int % 10**13}"),
        "timestamp": "2026-11-25T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:employee", "name": "Pat Employee", "aadObjectId": aad},
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "textFormat": "plain",
        "locale": "en-US",
        "channelData": {"tenant": {"id": TENANT}},
        "entities": [{"type": "clientInfo", "locale": "en-US", "country": "US", "platform": "Web"}],
    }
    if text is not None:
        body["text"] = f"<at>{BOT_NAME}</at> {text}" if mention else text
    if mention:
        body["entities"].append(
            {"type": "mention", "mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": f"<at>{BOT_NAME}</at>"}
        )
    body.update(extra)
    return body


def card_of(message: dict) -> dict:
    [attachment] = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def card_text(card: dict) -> str:
    """Every piece of text a person can see in a card (TextBlocks, TextRuns, nested containers)."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in {"TextBlock", "TextRun"}:
                parts.append(node.get("text", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card.get("body", []))
    return "\n".join(parts)


@pytest.fixture
async def connector():
    """A running Bot Connector stand-in (import it into a test module to use it)."""
    connector = FakeConnector()
    await connector.start()
    yield connector
    await connector.close()


async def post_activity(client, body: dict, **headers):
    """POST an activity to /api/messages as the Bot Framework would."""
    return await client.post("/api/messages", data=json.dumps(body), headers={"Content-Type": "application/json", **headers})
