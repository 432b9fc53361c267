"""Slack: nothing acts on a request whose signature cannot be verified (issue 10, case 1).

Real HTTP into the real app, real signatures (slack_sdk's algorithm), a local Slack stand-in
that records every call: a refused request must leave it silent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from adapters.server import create_app
from support_slack import (
    SECRET,
    command_body,
    event_body,
    fake,  # noqa: F401  (fixture)
    mention,
    signed_headers,
    slack_settings,
)

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
async def client(aiohttp_client, assistant, fake, tmp_path):
    return await aiohttp_client(create_app(assistant, slack_settings(fake, data_dir=str(tmp_path))))


def _failing_mention(fake) -> str:
    """An event that names a channel and thread, as an attacker would to get the bot to post there."""
    return event_body(mention("Can I post about my pay?", channel="C0VICTIM", ts="1700000009.000900"))


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "1.7e9", "9" * 5000, "", " 1700000000", "-1", "0x10", "１７００"],
    ids=["letters", "float", "5000-digits", "empty", "space", "negative", "hex", "fullwidth"],
)
@pytest.mark.parametrize("kind", ["command", "event"])
async def test_an_unparsable_timestamp_is_401_and_nothing_is_sent(client, fake, caplog, timestamp, kind):
    caplog.set_level(logging.DEBUG)
    if kind == "command":
        body, content_type = command_body("/policy", "pay?", fake), FORM
    else:
        body, content_type = _failing_mention(fake), "application/json"
    headers = signed_headers(body, content_type=content_type)
    headers["X-Slack-Request-Timestamp"] = timestamp
    resp = await client.post("/slack/events", data=body, headers=headers)
    assert resp.status == 401
    await fake.settle(0.2)
    assert fake.calls == []  # no apology to the caller's response_url, no chat.postMessage
    assert "a listener failed" not in caplog.text and "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "mutate",
    [
        lambda h: h.pop("X-Slack-Signature"),
        lambda h: h.pop("X-Slack-Request-Timestamp"),
        lambda h: h.__setitem__("X-Slack-Signature", "v0=" + "0" * 64),
        lambda h: h.__setitem__("X-Slack-Signature", "v1=abc"),
        lambda h: h.__setitem__("X-Slack-Request-Timestamp", str(int(time.time()) - 3600)),  # replayed an hour later
    ],
    ids=["no-signature", "no-timestamp", "wrong-signature", "malformed-signature", "stale"],
)
async def test_unverifiable_commands_are_refused(client, fake, mutate):
    body = command_body("/policy", "pay?", fake)
    headers = signed_headers(body, content_type=FORM)
    mutate(headers)
    assert (await client.post("/slack/events", data=body, headers=headers)).status == 401
    await fake.settle(0.2)
    assert fake.calls == []


async def test_a_body_signed_with_another_secret_is_refused(client, fake):
    body = _failing_mention(fake)
    headers = signed_headers(body, secret="not-the-signing-secret", content_type="application/json")
    assert (await client.post("/slack/events", data=body, headers=headers)).status == 401
    await fake.settle(0.2)
    assert fake.calls == []


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("[1,2,3]", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"type": "event_callback"}', "application/json; charset=x-unknown"),
        ("payload=%ZZ", FORM),
        (b"\xff\xfe\x00garbage", "application/json"),
    ],
    ids=["list", "deep", "unknown-charset", "bad-escape", "not-utf8"],
)
async def test_unsigned_junk_is_401_not_500(client, fake, body, content_type):
    resp = await client.post("/slack/events", data=body, headers={"Content-Type": content_type})
    assert resp.status == 401
    assert fake.calls == []


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("[1,2,3]", "application/json"),
        ("[" * 5000 + "]" * 5000, "application/json"),
        ("1" * 5000, "application/json"),
        ("payload=%7B%22type%22", FORM),
        ("payload=" + "%5B" * 5000, FORM),
        ("", "application/json"),
    ],
    ids=["list", "deep", "5000-digits", "broken-payload", "deep-payload", "empty"],
)
async def test_signed_bodies_that_are_not_slack_payloads_are_400(client, fake, body, content_type):
    resp = await client.post("/slack/events", data=body, headers=signed_headers(body, content_type=content_type))
    assert resp.status == 400
    assert fake.calls == []


async def test_signed_invalid_utf8_is_refused(client, fake):
    """Slack signs UTF-8 text; an HMAC over other bytes (computed by hand here) is not Slack's."""
    body = b'{"type": "event_callback", "x": "\xff"}'
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": "application/json"}
    resp = await client.post("/slack/events", data=body, headers=headers)
    assert resp.status in (400, 401)
    assert fake.calls == []


async def test_rejected_requests_are_logged_in_one_line_without_their_body(client, fake, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "SECRET-LOOKING-BODY-"
    body = urlencode({"command": "/policy", "text": marker * 12_000, "response_url": fake.response_url()})
    for _ in range(5):
        resp = await client.post("/slack/events", data=body, headers={"Content-Type": FORM, "X-Slack-Request-Timestamp": "abc"})
        assert resp.status == 401
    assert marker not in caplog.text
    assert len(caplog.text) < 5 * 500  # a line per refusal, not 250 KB


async def test_a_signed_request_still_works(client, fake):
    body = command_body("/policy", "Can I sign up for LinkedIn with my city email?", fake)
    resp = await client.post("/slack/events", data=body, headers=signed_headers(body, content_type=FORM))
    assert resp.status == 200
    [reply] = await fake.wait_for(1, "response_url")
    assert "3.3.4" in json.dumps(reply)


async def test_without_a_signing_secret_the_http_route_is_off_even_with_socket_mode_tokens(aiohttp_client, assistant, fake, tmp_path):
    settings = replace(slack_settings(fake, data_dir=str(tmp_path), slack_app_token="xapp-test"), slack_signing_secret=None)
    client = await aiohttp_client(create_app(assistant, settings))
    body = command_body("/policy", "pay?", fake)
    resp = await client.post("/slack/events", data=body, headers=signed_headers(body, content_type=FORM))
    assert resp.status == 503 and "SLACK_SIGNING_SECRET" in (await resp.json())["error"]
    await fake.settle(0.2)
    assert fake.sent() == []


@pytest.mark.parametrize(
    "token, secret, app_token, status",
    [("xoxb-test", SECRET, None, 200), ("xoxb-test", None, "xapp-test", 503), (None, SECRET, None, 503), ("xoxb-test", None, None, 503)],
)
async def test_the_events_route_is_on_exactly_when_settings_say_slack_is_enabled(aiohttp_client, assistant, fake, tmp_path, token, secret, app_token, status):
    """Settings.slack_enabled (the bot token and the signing secret) is what opens POST /slack/events."""
    settings = replace(
        slack_settings(fake, data_dir=str(tmp_path)), slack_bot_token=token, slack_signing_secret=secret, slack_app_token=app_token
    )
    assert settings.slack_enabled is (status == 200)
    client = await aiohttp_client(create_app(assistant, settings))
    body = command_body("/policy", "Can I post about my pay?", fake)
    resp = await client.post("/slack/events", data=body, headers=signed_headers(body, content_type=FORM))
    assert resp.status == status
    if status == 503:
        assert "SLACK_SIGNING_SECRET" in (await resp.json())["error"]


async def test_socket_mode_runs_without_a_signing_secret(assistant, fake, tmp_path):
    from aiohttp import web

    from adapters.slack.socket_mode import start_socket_mode
    from support_slack import block_text

    settings = replace(slack_settings(fake, data_dir=str(tmp_path), slack_app_token="xapp-test"), slack_signing_secret=None)
    app = create_app(assistant, settings)
    app.on_startup.append(start_socket_mode)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        body = json.loads(event_body(mention("Can I sign up for LinkedIn with my city email?")))
        await fake.socket_outbox.put({"envelope_id": "env-9", "type": "events_api", "accepts_response_payload": False, "payload": body})
        [message] = await fake.wait_for(1, "chat.postMessage")
        assert "§3.3.4" in block_text(message)
    finally:
        await runner.cleanup()
