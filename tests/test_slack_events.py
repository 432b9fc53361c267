"""The Slack app through real signed HTTP requests into the real service, with a local Slack stand-in."""

from __future__ import annotations

import json
import time

import pytest

from adapters.server import create_app
from support_slack import (
    BASE_URL,
    BOT_USER,
    fake,  # noqa: F401  (fixture)
    block_text,
    blocks_of,
    buttons,
    direct_message,
    event_body,
    mention,
    post_event,
    signed_headers,
    slack_settings,
)

LINKEDIN = "Can I sign up for LinkedIn with my city email?"
PAY = "Can I post about my pay on Facebook?"
BLOG = "Do I need a disclaimer on my personal blog?"


@pytest.fixture
async def client(aiohttp_client, assistant, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path))
    return await aiohttp_client(create_app(assistant, slack_settings(fake, data_dir=str(tmp_path))))


async def test_a_mention_is_answered_in_its_thread_with_citations(client, fake):
    resp = await post_event(client, mention(LINKEDIN, ts="1700000100.000200"))
    assert resp.status == 200
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert message["channel"] == "C0GENERAL" and message["thread_ts"] == "1700000100.000200"
    text = block_text(message)
    assert "§3.3.4" in text and f"<{BASE_URL}/policy/026/3.3.4|§3.3.4>" in text
    assert "City email" in message["text"]  # the notification fallback
    assert "National Labor Relations Act" not in text
    actions = buttons(message)
    assert {"policy_text", "feedback_up", "feedback_down", "answer_link"} <= set(actions)
    assert "policy_post" not in actions  # only /policy's private answers are reposted


async def test_a_reply_inside_a_thread_stays_in_that_thread(client, fake):
    await post_event(client, mention(BLOG, ts="1700000200.000300", thread_ts="1700000100.000100"))
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert message["thread_ts"] == "1700000100.000100"


async def test_the_caveat_is_its_own_block_when_it_applies(client, fake):
    await post_event(client, mention(PAY))
    [pay] = await fake.wait_for(1, "chat.postMessage")
    await post_event(client, mention(BLOG))
    blog = (await fake.wait_for(2, "chat.postMessage"))[1]
    caveat_blocks = [b for b in blocks_of(pay) if "Your rights come first" in json.dumps(b)]
    assert len(caveat_blocks) == 1 and caveat_blocks[0]["type"] == "section"
    assert "protected concerted activity" in caveat_blocks[0]["text"]["text"]
    assert "§3.1" in block_text(pay)
    assert "National Labor Relations Act" not in block_text(blog) and "§3.4" in block_text(blog)


async def test_a_direct_message_is_answered_in_the_dm(client, fake):
    await post_event(client, direct_message("can my supervisor friend me on instagram"))
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert message["channel"] == "D0DIRECT" and "thread_ts" not in message or message.get("thread_ts") is None
    assert "§3.5.1" in block_text(message)


@pytest.mark.parametrize(
    "event",
    [
        direct_message("edited", subtype="message_changed"),
        direct_message("from a bot", bot_id="B0OTHER"),
        direct_message("my own post", user=BOT_USER),
        direct_message("deleted", subtype="message_deleted"),
        {"type": "message", "channel_type": "channel", "user": "U1", "text": "chatter", "ts": "1.2", "channel": "C1"},
    ],
)
async def test_bot_posts_edits_and_chatter_are_ignored(client, fake, event):
    resp = await post_event(client, event)
    assert resp.status == 200
    await fake.settle()
    assert fake.sent("chat.postMessage") == []


async def test_a_retried_event_is_answered_once(client, fake):
    first = await post_event(client, mention(PAY), event_id="EvRETRY0001")
    retry = await post_event(client, mention(PAY), event_id="EvRETRY0001", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == 200 and retry.status == 200
    await fake.wait_for(1, "chat.postMessage")
    await fake.settle()
    assert len(fake.sent("chat.postMessage")) == 1


async def test_two_workers_sharing_a_store_answer_a_retry_once(aiohttp_client, assistant, fake, tmp_path):
    settings = slack_settings(fake, data_dir=str(tmp_path / "shared"))
    worker_a = await aiohttp_client(create_app(assistant, settings))
    worker_b = await aiohttp_client(create_app(assistant, settings))
    await post_event(worker_a, mention(LINKEDIN), event_id="EvSHARED001")
    await post_event(worker_b, mention(LINKEDIN), event_id="EvSHARED001", headers={"X-Slack-Retry-Num": "1"})
    await fake.wait_for(1, "chat.postMessage")
    await fake.settle()
    assert len(fake.sent("chat.postMessage")) == 1


async def test_markup_from_the_user_is_escaped_and_pings_nobody(client, fake):
    await post_event(client, mention("<!channel> <!here> <@U0BOSS> what is the policy on the city logo?"))
    [message] = await fake.wait_for(1, "chat.postMessage")
    everything = json.dumps(message)
    for ping in ("<!channel>", "<!here>", "<@U0BOSS>"):
        assert ping not in everything


async def test_an_empty_mention_gets_the_usage_text(client, fake):
    await post_event(client, {**mention(""), "text": f"<@{BOT_USER}>"})
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert "/policy" in block_text(message) and "Can I post about my pay on Facebook?" in block_text(message)


async def test_a_40000_character_message_is_answered_within_slacks_limits(client, fake):
    await post_event(client, mention("Can I use the City logo on my page? " + "blah " * 8000))
    [message] = await fake.wait_for(1, "chat.postMessage")
    blocks = blocks_of(message)
    assert len(blocks) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert "only its beginning" in block_text(message) and len(message["text"]) <= 400


async def test_emoji_only_text_gets_a_clear_reply(client, fake):
    await post_event(client, mention("🤔🤔🤔"))
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert block_text(message)  # a reply (usage or not covered), never silence


@pytest.mark.parametrize(
    "headers_for",
    [
        lambda body: signed_headers(body, secret="not-the-secret", content_type="application/json"),
        lambda body: signed_headers(body, timestamp=int(time.time()) - 6 * 60, content_type="application/json"),
        lambda body: {"Content-Type": "application/json"},
        lambda body: {**signed_headers(body, content_type="application/json"), "X-Slack-Signature": "v0=deadbeef"},
    ],
    ids=["forged", "stale", "unsigned", "garbled"],
)
async def test_unsigned_forged_or_stale_requests_are_refused(client, fake, headers_for):
    body = event_body(mention(PAY))
    resp = await client.post("/slack/events", data=body, headers=headers_for(body))
    assert resp.status == 401
    await fake.settle(0.2)
    assert fake.sent() == []


async def test_a_broken_body_is_a_clear_4xx_and_nothing_is_posted(client, fake):
    for body, content_type in (("{not json", "application/json"), ("payload=%7Bbroken", "application/x-www-form-urlencoded")):
        resp = await client.post("/slack/events", data=body, headers=signed_headers(body, content_type=content_type))
        assert 400 <= resp.status < 500
    await fake.settle(0.2)
    assert fake.sent() == []


async def test_url_verification_challenge(client):
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "token": "x"})
    resp = await client.post("/slack/events", data=body, headers=signed_headers(body, content_type="application/json"))
    assert resp.status == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in await resp.text()


async def test_without_slack_settings_the_route_says_503_and_the_rest_works(aiohttp_client, assistant, tmp_path):
    from support_store import settings_for

    client = await aiohttp_client(create_app(assistant, settings_for(tmp_path)))
    resp = await client.post("/slack/events", data="{}")
    assert resp.status == 503 and "SLACK_BOT_TOKEN" in (await resp.json())["error"]
    assert (await client.get("/healthz")).status == 200
    assert (await client.post("/api/ask", json={"question": PAY})).status == 200
