"""The Slack app's setup: its manifest matches what the app handles, and Socket Mode works end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from aiohttp import web

from adapters.server import create_app
from adapters.slack.socket_mode import start_socket_mode
from support_slack import block_text, event_body, fake, mention, slack_settings  # noqa: F401  (fake: fixture)

MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yml"


def test_the_manifest_asks_for_what_the_app_uses():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    # least privilege: no channel history (a channel follow-up comes with a mention), no users:read
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "assistant:write", "chat:write", "commands", "im:history", "usergroups:read",  # least privilege: no im:read/im:write
    }
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened", "app_mention", "assistant_thread_started", "message.im",
    }
    assert manifest["features"]["app_home"]["home_tab_enabled"] and manifest["features"]["assistant_view"]["assistant_description"]
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/policy", "/disclaimer", "/policy-announce"}
    urls = {c["url"] for c in commands.values()}
    urls |= {manifest["settings"]["event_subscriptions"]["request_url"], manifest["settings"]["interactivity"]["request_url"]}
    assert urls == {"https://YOUR-HOST/slack/events"} and manifest["settings"]["interactivity"]["is_enabled"]
    assert all(not c["should_escape"] for c in commands.values())  # the app escapes what it echoes


async def test_socket_mode_answers_an_event_pushed_over_the_websocket(assistant, fake, tmp_path):
    app = create_app(assistant, slack_settings(fake, data_dir=str(tmp_path), slack_app_token="xapp-test"))
    app.on_startup.append(start_socket_mode)
    runner = web.AppRunner(app)
    await runner.setup()  # runs on_startup: connects to the fake's apps.connections.open + WebSocket
    try:
        body = json.loads(event_body(mention("Can I sign up for LinkedIn with my city email?")))
        await fake.socket_outbox.put({"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False, "payload": body})
        [message] = await fake.wait_for(1, "chat.postMessage")
        assert "§3.3.4" in block_text(message)
        assert any(ack.get("envelope_id") == "env-1" for ack in fake.socket_acks)
        assert ("apps.connections.open", {}) in [(m, {}) for m, _ in fake.calls]
    finally:
        await runner.cleanup()


async def test_socket_mode_without_tokens_refuses_to_start(assistant, tmp_path):
    from support_store import settings_for

    app = create_app(assistant, settings_for(tmp_path))
    app.on_startup.append(start_socket_mode)
    runner = web.AppRunner(app)
    with pytest.raises(RuntimeError, match="SLACK_APP_TOKEN"):
        await runner.setup()
    await runner.cleanup()
