"""A local stand-in for Slack: its Web API and response_url, on 127.0.0.1, recording every call.

Tests point the Bolt app's WebClient at it (SLACK_API_URL / Settings.slack_api_url) and sign
their requests with the real algorithm, so the app under test is exactly what runs in production.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from itertools import count
from urllib.parse import urlencode

import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bot.settings import Settings
from support_http import LocalPlatform

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # a test signing secret, not a real one
TOKEN = "xoxb-test-token"
BOT_USER = "UBOTPOLICY"
BASE_URL = "https://policy.monroe.test"


class FakeSlack(LocalPlatform):
    """Answers like Slack's Web API and records (method, payload) for each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.usergroups: dict[str, list[str]] = {}
        self.channel_errors: dict[str, str] = {}  # channel -> the error chat.postMessage answers with
        self.method_errors: dict[str, str] = {}  # method -> the error it answers with
        self._ts = count(1)
        self.socket_outbox: asyncio.Queue[dict] = asyncio.Queue()  # envelopes to push over Socket Mode
        self.socket_acks: list[dict] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self._api)  # some methods are GETs (usergroups.users.list)
        app.router.add_post("/respond/{hook}", self._respond)
        app.router.add_get("/link", self._socket)

    @property
    def api_url(self) -> str:
        return self.url_for("/api/")

    def response_url(self, hook: str = "h1") -> str:
        return self.url_for(f"/respond/{hook}")

    async def _payload(self, request: web.Request) -> dict:
        if request.method == "GET":
            return dict(request.query)
        if request.content_type == "application/json":
            return await request.json()
        return {**request.query, **await request.post()}  # some methods send their arguments in the query

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        payload = await self._payload(request)
        self.calls.append((method, payload))
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": BOT_USER, "bot_id": "BPOLICY", "team_id": "T0CITY", "user": "policybot"})
        if method == "apps.connections.open":  # Socket Mode: where to open the WebSocket
            return web.json_response({"ok": True, "url": str(self.server.make_url("/link")).replace("http", "ws", 1)})
        if method == "usergroups.users.list":
            return web.json_response({"ok": True, "users": self.usergroups.get(payload.get("usergroup"), [])})
        if method in self.method_errors:
            return web.json_response({"ok": False, "error": self.method_errors[method]})
        if method == "chat.postMessage" and payload.get("channel") in self.channel_errors:
            return web.json_response({"ok": False, "error": self.channel_errors[payload["channel"]]})
        if method in {"chat.postMessage", "chat.postEphemeral", "chat.update"}:
            return web.json_response({"ok": True, "channel": payload.get("channel"), "ts": f"1700000000.{next(self._ts):06d}"})
        return web.json_response({"ok": True})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, push queued envelopes, record the app's acknowledgements."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0POLICY"}})

        async def push() -> None:
            while True:
                await ws.send_json(await self.socket_outbox.get())

        pusher = asyncio.ensure_future(push())
        try:
            async for msg in ws:
                if msg.type == web.WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(msg.data))
        finally:
            pusher.cancel()
        return ws

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(("response_url", await request.json()))
        return web.Response(text="ok")

    # --- reading what arrived -----------------------------------------------------------

    def sent(self, method: str | None = None) -> list[dict]:
        """Messages the app sent (auth.test and group look-ups left out unless asked for)."""
        skip = {"auth.test", "usergroups.users.list"}
        return [p for m, p in self.calls if (m == method if method else m not in skip)]

    async def wait_for(self, n: int, method: str | None = None, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.sent(method)) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return self.sent(method)

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until nothing new has arrived for `quiet` seconds (to prove nothing more comes)."""
        seen = -1
        while seen != len(self.calls):
            seen = len(self.calls)
            await asyncio.sleep(quiet)


@pytest.fixture
async def fake():
    """The Slack stand-in, started for one test."""
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.close()


def slack_settings(fake: FakeSlack, **overrides) -> Settings:
    return replace(
        Settings.from_env(),
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        public_base_url=BASE_URL,
        **overrides,
    )


def signed_headers(body: str, *, secret: str = SECRET, timestamp: int | None = None, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
        "Content-Type": content_type,
    }


_event_ids = count(1)


def event_body(event: dict, *, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "token": "unused",
            "team_id": "T0CITY",
            "api_app_id": "A0POLICY",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0CITY", "user_id": BOT_USER, "is_bot": True}],
            "event": event,
        }
    )


def mention(text: str, *, user: str = "U0ASKER", channel: str = "C0GENERAL", ts: str = "1700000001.000100", thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts, "channel": channel, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(text: str, *, user: str = "U0ASKER", channel: str = "D0DIRECT", **extra) -> dict:
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": "1700000002.000200", "channel": channel, **extra}


def command_body(command: str, text: str, fake: FakeSlack, *, user: str = "U0ASKER", channel: str = "C0GENERAL") -> str:
    return urlencode(
        {
            "token": "unused", "team_id": "T0CITY", "channel_id": channel, "user_id": user, "command": command,
            "text": text, "response_url": fake.response_url(), "trigger_id": "1.2.3", "api_app_id": "A0POLICY",
        }
    )


def action_body(action_id: str, value: str, fake: FakeSlack, *, user: str = "U0ASKER", channel: str = "C0GENERAL") -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0CITY"},
        "user": {"id": user},
        "api_app_id": "A0POLICY",
        "channel": {"id": channel},
        "container": {"type": "message", "is_ephemeral": True},
        "trigger_id": "1.2.3",
        "response_url": fake.response_url(),
        "actions": [{"type": "button", "action_id": action_id, "block_id": "answer_actions", "value": value, "action_ts": "1700000003.1"}],
    }
    return urlencode({"payload": json.dumps(payload)})


async def post_event(client, event: dict, *, event_id: str | None = None, headers: dict | None = None):
    body = event_body(event, event_id=event_id)
    return await client.post("/slack/events", data=body, headers={**signed_headers(body, content_type="application/json"), **(headers or {})})


async def post_command(client, fake: FakeSlack, command: str, text: str, **who):
    body = command_body(command, text, fake, **who)
    return await client.post("/slack/events", data=body, headers=signed_headers(body, content_type="application/x-www-form-urlencoded"))


async def post_action(client, fake: FakeSlack, action_id: str, value: str, **who):
    body = action_body(action_id, value, fake, **who)
    return await client.post("/slack/events", data=body, headers=signed_headers(body, content_type="application/x-www-form-urlencoded"))


def block_text(message: dict) -> str:
    """All the text a person sees in a message's blocks, joined."""
    parts = []
    for block in blocks_of(message):
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements") or []:
            if isinstance(element.get("text"), dict):
                parts.append(element["text"]["text"])
            elif isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def blocks_of(message: dict) -> list[dict]:
    blocks = message.get("blocks")
    return json.loads(blocks) if isinstance(blocks, str) else (blocks or [])


def buttons(message: dict) -> dict[str, dict]:
    return {e["action_id"]: e for b in blocks_of(message) if b["type"] == "actions" for e in b["elements"]}
