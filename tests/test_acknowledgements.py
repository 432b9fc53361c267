"""A bare "ok", "thanks" or "gracias" is not a question: on every surface it gets a short reply in
its language, with no citation and no caveat, and nothing is kept (so it never reaches HR's report).
The terminal as a subprocess, real HTTP into the real app, signed Slack requests, Bot Framework
activities to a local connector."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest

from adapters.appkeys import STORE
from adapters.server import create_app
from bot.store.answers import AnswerStore
from support_slack import block_text, blocks_of, direct_message, fake, mention, post_command, post_event, slack_settings  # noqa: F401
from support_store import cli, settings_for
from support_teams import activity, connector, post_activity  # noqa: F401  (connector: fixture)
from support_web import post_form

GLAD = "Glad to help! Ask me anything else about the Social Media Policy."
CON_GUSTO = "¡Con gusto! Pregúnteme lo que quiera sobre la Política de Redes Sociales."
SUPERVISOR = "Can my supervisor friend me on Facebook?"


async def stored(client) -> int:
    store = client.server.app[STORE]
    await asyncio.to_thread(store.flush)
    return await asyncio.to_thread(store.count)


@pytest.mark.parametrize("said, reply", [("ok", GLAD), ("thanks!", GLAD), ("Got it", GLAD), ("gracias", CON_GUSTO)])
def test_the_terminal_thanks_back_without_citing_or_keeping(tmp_path, said, reply):
    out = cli("ask", "--json", said, env_extra={"POLICYBOT_DATA_DIR": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["answer"] == reply and data["citations"] == [] and data["quotes"] == [] and data["nlra_caveat"] is False
    assert data["reading"] == "acknowledgement" and "id" not in data and "permalink" not in data
    store = AnswerStore.open(None, data_dir=str(tmp_path))
    try:
        assert store.count() == 0  # not kept: HR's most-asked list never sees it
    finally:
        store.close()


async def test_the_web_api_and_page_thank_back_without_citing_or_keeping(aiohttp_client, assistant, tmp_path):
    client = await aiohttp_client(create_app(assistant, settings_for(tmp_path)))
    resp = await client.post("/api/ask", json={"question": "ok"})
    assert resp.status == 200
    data = await resp.json()
    assert data["answer"] == GLAD and data["citations"] == [] and not data["nlra_caveat"] and "permalink" not in data
    assert GLAD in data["html"] and "§" not in data["html"] and "/handoff" not in data["html"]  # no Ask HR, no footer
    page = await (await post_form(client, "/", {"question": "gracias"})).text()
    assert CON_GUSTO in page and "§" not in page.split('id="log"')[1].split("</ol>")[0]
    assert await stored(client) == 0


async def test_a_thanks_in_a_web_thread_is_no_turn_of_it(aiohttp_client, assistant, tmp_path):
    client = await aiohttp_client(create_app(assistant, settings_for(tmp_path)))
    first = await (await client.post("/api/ask", json={"question": SUPERVISOR})).json()
    thanks = await (await client.post("/api/ask", json={"question": "thanks", "thread": first["thread"]})).json()
    follow = await (await client.post("/api/ask", json={"question": "what about Instagram?", "thread": first["thread"]})).json()
    assert thanks["answer"] == GLAD and thanks["citations"] == []
    assert follow["reading"] == "follow_up" and follow["follows"] == SUPERVISOR and follow["citations"][0] == "3.5.1"
    assert await stored(client) == 2  # the question and its follow-up; not the thanks


async def test_slack_thanks_back_in_a_dm_a_mention_and_a_command(aiohttp_client, assistant, fake, tmp_path):
    client = await aiohttp_client(create_app(assistant, slack_settings(fake, data_dir=str(tmp_path))))
    await post_event(client, direct_message("ok", channel="D0NEW"))  # no history: a fresh DM
    await post_event(client, mention("gracias", ts="1700000300.000100"))
    replies = {m["channel"]: m for m in await fake.wait_for(2, "chat.postMessage")}  # in either order
    dm, thread = replies["D0NEW"], next(m for c, m in replies.items() if c != "D0NEW")
    assert block_text(dm) == GLAD and block_text(thread) == CON_GUSTO
    assert thread["thread_ts"] == "1700000300.000100"
    await post_command(client, fake, "/policy", "thanks")
    [private] = await fake.wait_for(1, "response_url")
    assert block_text(private) == GLAD and all(b["type"] != "actions" for b in blocks_of(private))  # no buttons
    assert await stored(client) == 0


async def test_teams_thanks_back_as_plain_text(aiohttp_client, assistant, tmp_path, connector):
    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True)))
    for said in ("ok", "muchas gracias"):
        assert (await post_activity(client, activity(said, service_url=connector.url))).status in (200, 201)
    ok, gracias = connector.messages()
    assert ok["text"] == GLAD and not ok.get("attachments")  # a line of text, not an answer card
    assert gracias["text"] == CON_GUSTO
    assert await stored(client) == 0
