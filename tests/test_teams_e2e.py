"""Teams end to end: real Bot Framework activities POSTed to the running app; replies read at a local connector."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from adapters.server import create_app
from support_store import settings_for
from support_teams import BOT_ID, activity, card_of, card_text, connector, post_activity as post  # noqa: F401  (connector: fixture)


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True)))


async def test_a_personal_chat_question_gets_typing_then_an_answer_card(client, connector):
    resp = await post(client, activity("Can I sign up for LinkedIn with my city email?", service_url=connector.url, id="act-1"))
    assert resp.status in (200, 201)
    kinds = [a["type"] for a in connector.received]
    assert kinds == ["typing", "message"]
    reply = connector.messages()[0]
    assert reply["_path"] == "/v3/conversations/a:conv-personal/activities/act-1"  # a reply to the question
    assert reply["replyToId"] == "act-1" and reply["from"]["id"] == BOT_ID
    text = card_text(card_of(reply))
    assert "§3.3.4" in text and "National Labor Relations Act" not in text


async def test_a_channel_mention_is_stripped_and_answered_with_the_caveat(client, connector):
    await post(client, activity("Can I post about my pay on Facebook?", service_url=connector.url, conversation_type="channel", mention=True))
    [reply] = connector.messages()
    card = card_of(reply)
    assert "Your rights come first" in card_text(card)
    assert any(b.get("style") == "warning" for b in card["body"])


async def test_a_group_chat_disclaimer(client, connector):
    await post(client, activity("disclaimer profile Police Officer", service_url=connector.url, conversation_type="groupChat"))
    [reply] = connector.messages()
    assert "Police Officer, City of Monroe" in card_text(card_of(reply))


async def test_a_resent_activity_is_answered_once(client, connector):
    question = activity("can my supervisor friend me on instagram", service_url=connector.url, id="act-dup")
    await post(client, question)
    await post(client, question)
    assert len(connector.messages()) == 1


@pytest.mark.parametrize(
    "body, expect",
    [
        (dict(text=None), "for example"),  # no text at all: the usage text
        (dict(text=""), "for example"),
        (dict(text="<at>Policy Assistant</at>", mention=True), "for example"),  # only the mention
        (dict(text=None, attachments=[{"contentType": "image/png", "contentUrl": "https://example.invalid/a.png"}]), "text"),
    ],
    ids=["no-text", "empty", "only-mention", "attachment-only"],
)
async def test_messages_without_a_question_get_a_clear_reply(client, connector, body, expect):
    text = body.pop("text")
    if body.get("mention"):  # the activity builder adds the <at> tag itself
        text = ""
    resp = await post(client, activity(text, service_url=connector.url, **body))
    assert resp.status in (200, 201)
    [reply] = connector.messages()
    assert expect in reply["text"].lower()


async def test_a_40000_character_message_is_answered_from_its_beginning(client, connector):
    await post(client, activity("Can I use the City logo on my page? " + "x" * 40_000, service_url=connector.url))
    [reply] = connector.messages()
    assert "only its beginning" in card_text(card_of(reply))


async def test_script_in_text_stays_text(client, connector):
    await post(client, activity("<script>alert(1)</script> disclaimer", service_url=connector.url))
    await post(client, activity("disclaimer profile <script>alert(1)</script>", service_url=connector.url))
    cards = [card_of(m) for m in connector.messages() if m.get("attachments")]

    def markdown_texts(node):  # TextBlocks render markdown; TextRuns show text as typed
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                yield node.get("text", "")
            for value in node.values():
                yield from markdown_texts(value)
        elif isinstance(node, list):
            for item in node:
                yield from markdown_texts(item)

    assert cards and not any("<script>" in t for card in cards for t in markdown_texts(card))
    assert any("<script>alert(1)</script>, City of Monroe" in card_text(c) for c in cards)


async def test_an_unknown_activity_type_is_a_quiet_success(client, connector):
    resp = await post(client, {**activity("x", service_url=connector.url), "type": "somethingNew"})
    assert resp.status in (200, 201) and connector.received == []


@pytest.mark.parametrize(
    "data, content_type, status",
    [("{broken", "application/json", 400), ("[1, 2]", "application/json", 400), ('{"text": "no type"}', "application/json", 400), ("hello", "text/plain", 415)],
)
async def test_malformed_requests_get_a_clear_4xx(client, connector, data, content_type, status):
    resp = await client.post("/api/messages", data=data, headers={"Content-Type": content_type})
    assert resp.status == status and (await resp.json())["error"]
    assert connector.received == []


async def test_the_bot_is_welcomed_once_when_added(client, connector):
    update = {
        **activity(None, service_url=connector.url, conversation_type="channel"),
        "type": "conversationUpdate",
        "membersAdded": [{"id": BOT_ID}],
    }
    await post(client, update)
    [welcome] = connector.messages()
    assert "Policy Assistant" in welcome["text"]


async def test_with_an_app_id_unauthenticated_requests_are_refused(aiohttp_client, assistant, tmp_path, connector):
    settings = replace(settings_for(tmp_path), microsoft_app_id="11111111-2222-4333-8444-555555555555", microsoft_app_password="not-a-real-secret")
    client = await aiohttp_client(create_app(assistant, settings))
    question = activity("Can I post about my pay?", service_url=connector.url)
    assert (await post(client, question)).status == 401
    assert (await post(client, question, Authorization="Bearer not.a.token")).status == 401
    assert connector.received == []
