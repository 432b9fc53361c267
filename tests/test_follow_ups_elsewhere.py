"""Follow-ups outside Slack: a Teams chat and channel thread, the web page and API, the terminal."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from adapters.server import create_app
from support_store import cli, settings_for
from support_web import post_form
from support_teams import activity, card_of, card_text, connector, post_activity as post  # noqa: F401  (connector: fixture)
from test_pages import Page
from test_slack_conversation import first_section

SUPERVISOR = "Can my supervisor friend me on Facebook?"
FOLLOW_UP = "what about Instagram?"


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True)))


@pytest.mark.parametrize("conversation_type", ["personal", "channel"])
async def test_a_teams_follow_up_is_read_with_the_question_before(client, connector, conversation_type):
    mention = conversation_type == "channel"
    await post(client, activity(SUPERVISOR, service_url=connector.url, conversation_type=conversation_type, mention=mention))
    await post(client, activity(FOLLOW_UP, service_url=connector.url, conversation_type=conversation_type, mention=mention))
    first, follow = [card_text(card_of(m)) for m in connector.messages()]
    assert "§3.5.1" in first and "§3.5.1" in follow
    assert f"Following up on: {SUPERVISOR}" in follow and "Following up" not in first


async def test_another_teams_conversation_has_its_own_history(client, connector):
    await post(client, activity(SUPERVISOR, service_url=connector.url))
    other = activity(FOLLOW_UP, service_url=connector.url)
    other["conversation"]["id"] = "a:conv-someone-else"
    await post(client, other)
    assert first_section(card_text(card_of(connector.messages()[1]))) != "3.5.1"


async def test_the_api_returns_a_thread_and_reads_follow_ups_in_it(client):
    first = await (await client.post("/api/ask", json={"question": SUPERVISOR})).json()
    assert first["thread"]
    follow = await (await client.post("/api/ask", json={"question": FOLLOW_UP, "thread": first["thread"]})).json()
    fresh = await (await client.post("/api/ask", json={"question": FOLLOW_UP})).json()
    assert follow["thread"] == first["thread"] and follow["citations"][0] == "3.5.1" and follow["reading"] == "follow_up"
    assert fresh["thread"] != first["thread"] and fresh["citations"][:1] != ["3.5.1"]


@pytest.mark.parametrize("thread", [123, "short", "has spaces in it", "x" * 65, ["a"]])
async def test_the_api_refuses_a_malformed_thread(client, thread):
    resp = await client.post("/api/ask", json={"question": FOLLOW_UP, "thread": thread})
    assert resp.status == 400 and "thread" in (await resp.json())["error"]


async def test_the_page_without_javascript_carries_the_thread_in_its_form(client):
    resp = await post_form(client, "/", {"question": SUPERVISOR})
    html = await resp.text()
    thread = Page(html).inputs["thread"]
    assert thread
    follow = Page(await (await post_form(client, "/", {"question": FOLLOW_UP, "thread": thread})).text())
    assert "§3.5.1" in follow.text and follow.inputs["thread"] == thread


def test_batch_lines_sharing_a_thread_are_one_conversation():
    lines = [
        {"thread": "t1", "question": SUPERVISOR},
        {"thread": "t2", "question": FOLLOW_UP},
        {"thread": "t1", "question": FOLLOW_UP},
        {"thread": "t1", "question": "why?"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + '\nplain question about the city logo\n{"thread": "t1"}\n{broken\n'
    run = cli("ask", "--json", stdin=stdin)
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 2  # the malformed lines are errors, the rest answered
    assert [o.get("thread") for o in out[:4]] == ["t1", "t2", "t1", "t1"]
    assert out[0]["citations"][0] == out[2]["citations"][0] == out[3]["citations"][0] == "3.5.1"
    assert out[1]["citations"][:1] != ["3.5.1"]
    assert "thread" not in out[4] and out[4]["citations"]
    assert "question" in out[5]["error"] and "JSON" in out[6]["error"]


def test_chat_reads_follow_ups_at_the_prompt():
    run = cli("chat", "--json", stdin=f"{SUPERVISOR}\n\n{FOLLOW_UP}\nexit\nnot reached\n")
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert run.returncode == 0 and len(out) == 2
    assert out[1]["question"] == FOLLOW_UP and out[1]["citations"][0] == "3.5.1"
