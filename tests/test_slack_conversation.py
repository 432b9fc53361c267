"""Follow-ups in Slack, end to end: signed events into the real app, replies read at the Slack stand-in."""

from __future__ import annotations

import asyncio
import re

import pytest

from adapters.appkeys import STORE
from adapters.server import create_app
from support_slack import (
    fake,  # noqa: F401  (fixture)
    block_text,
    direct_message,
    mention,
    post_event,
    slack_settings,
)

SUPERVISOR = "Can my supervisor friend me on Facebook?"
FOLLOW_UP = "what about Instagram?"


def first_section(text: str) -> str | None:
    """The section an answer leads with (alone, "what about Instagram?" may still list §3.5.1 among the likeliest)."""
    found = re.search(r"§(\d+(?:\.\d+)*)", text)
    return found.group(1) if found else None


@pytest.fixture
async def client(aiohttp_client, assistant, fake, tmp_path):
    return await aiohttp_client(create_app(assistant, slack_settings(fake, data_dir=str(tmp_path))))


def assistant_thread_message(text: str, *, ts: str, thread_ts: str = "1700000500.000100", channel: str = "D0DIRECT") -> dict:
    return {"type": "message", "channel_type": "im", "user": "U0ASKER", "text": text, "ts": ts, "thread_ts": thread_ts, "channel": channel}


async def test_a_dm_follow_up_is_read_with_the_question_before(client, fake):
    await post_event(client, direct_message(FOLLOW_UP, channel="D0OTHER", ts="1700000010.1"))
    [alone] = await fake.wait_for(1, "chat.postMessage")
    await post_event(client, direct_message(SUPERVISOR, ts="1700000011.1"))
    await fake.wait_for(2, "chat.postMessage")  # answers go out after the ack: wait before the next message
    await post_event(client, direct_message(FOLLOW_UP, ts="1700000012.1"))
    first, follow = (await fake.wait_for(3, "chat.postMessage"))[1:]
    assert "§3.5.1" in block_text(first) and "§3.5.1" in block_text(follow)
    assert first_section(block_text(alone)) != "3.5.1"  # another DM has its own conversation


async def test_a_channel_thread_follow_up_needs_a_mention_and_keeps_the_thread(client, fake):
    await post_event(client, mention(SUPERVISOR, ts="1700000100.000100"))
    await fake.wait_for(1, "chat.postMessage")
    await post_event(client, mention(FOLLOW_UP, ts="1700000101.000100", thread_ts="1700000100.000100"))
    await fake.wait_for(2, "chat.postMessage")
    await post_event(client, mention(FOLLOW_UP, ts="1700000102.000100"))  # a new thread: no history
    first, follow, fresh = await fake.wait_for(3, "chat.postMessage")
    assert follow["thread_ts"] == "1700000100.000100" and "§3.5.1" in block_text(follow)
    assert f"Following up on: _{SUPERVISOR}_" in block_text(follow)  # says what it read the message with
    assert fresh["thread_ts"] == "1700000102.000100" and first_section(block_text(fresh)) != "3.5.1"


async def test_an_assistant_thread_gets_prompts_a_title_a_status_and_follow_ups(client, fake):
    started = {
        "type": "assistant_thread_started",
        "assistant_thread": {"user_id": "U0ASKER", "channel_id": "D0DIRECT", "thread_ts": "1700000500.000100", "context": {}},
        "event_ts": "1700000500.000200",
    }
    assert (await post_event(client, started)).status == 200
    [prompts] = await fake.wait_for(1, "assistant.threads.setSuggestedPrompts")
    assert "Can I post about my pay on Facebook?" in str(prompts["prompts"])
    [greeting] = await fake.wait_for(1, "chat.postMessage")
    assert greeting["thread_ts"] == "1700000500.000100"

    await post_event(client, assistant_thread_message(SUPERVISOR, ts="1700000501.000100"))
    await fake.wait_for(2, "chat.postMessage")
    await post_event(client, assistant_thread_message("why?", ts="1700000502.000100"))
    _, first, why = await fake.wait_for(3, "chat.postMessage")
    assert first["thread_ts"] == why["thread_ts"] == "1700000500.000100"
    assert "§3.5.1" in block_text(first) and "§3.5.1" in block_text(why)
    [title] = fake.sent("assistant.threads.setTitle")  # titled by the first question only
    assert title["title"] == SUPERVISOR
    statuses = fake.sent("assistant.threads.setStatus")
    assert len(statuses) == 2 and all(s["thread_ts"] == "1700000500.000100" for s in statuses)


async def test_follow_ups_reach_a_second_worker_through_the_store(aiohttp_client, assistant, fake, tmp_path):
    settings = slack_settings(fake, data_dir=str(tmp_path / "shared"))
    worker_a = await aiohttp_client(create_app(assistant, settings))
    worker_b = await aiohttp_client(create_app(assistant, settings))
    await post_event(worker_a, mention(SUPERVISOR, ts="1700000600.000100"))
    await fake.wait_for(1, "chat.postMessage")
    # A person reads the answer before following up; by then worker A's write queue has committed the turn.
    assert await asyncio.to_thread(worker_a.server.app[STORE].flush, 10)
    await post_event(worker_b, mention(FOLLOW_UP, ts="1700000601.000100", thread_ts="1700000600.000100"))
    _, follow = await fake.wait_for(2, "chat.postMessage")
    assert "§3.5.1" in block_text(follow)


async def test_hi_in_a_dm_invites_typing_not_a_slash_command(client, fake):
    await post_event(client, direct_message("hi"))
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert "with /policy" not in block_text(message) and "Can I post about my pay on Facebook?" in block_text(message)


async def test_thanks_after_an_answer_is_not_answered_again(client, fake):
    await post_event(client, direct_message(SUPERVISOR, ts="1700000020.1"))
    await fake.wait_for(1, "chat.postMessage")
    await post_event(client, direct_message("thanks!", ts="1700000021.1"))
    _, reply = await fake.wait_for(2, "chat.postMessage")
    assert "Glad to help" in block_text(reply) and "§3.5.1" not in block_text(reply)


async def test_a_dm_thread_that_refuses_status_and_title_is_still_answered(client, fake):
    fake.method_errors.update({"assistant.threads.setStatus": "invalid_thread", "assistant.threads.setTitle": "invalid_thread"})
    await post_event(client, assistant_thread_message(SUPERVISOR, ts="1700000701.000100", thread_ts="1700000700.000100"))
    [reply] = await fake.wait_for(1, "chat.postMessage")
    assert reply["thread_ts"] == "1700000700.000100" and "§3.5.1" in block_text(reply)


async def test_a_retried_assistant_thread_start_is_answered_once(client, fake):
    started = {
        "type": "assistant_thread_started",
        "assistant_thread": {"user_id": "U0ASKER", "channel_id": "D0DIRECT", "thread_ts": "1700000800.000100", "context": {}},
        "event_ts": "1700000800.000200",
    }
    await post_event(client, started, event_id="EvSTART0001")
    await post_event(client, started, event_id="EvSTART0001", headers={"X-Slack-Retry-Num": "1"})
    await fake.wait_for(1, "assistant.threads.setSuggestedPrompts")
    await fake.settle()
    assert len(fake.sent("assistant.threads.setSuggestedPrompts")) == 1 and len(fake.sent("chat.postMessage")) == 1
