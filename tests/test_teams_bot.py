"""The Teams bot in botbuilder's TestAdapter: conversations, cards, commands, welcome, feedback."""

from __future__ import annotations

from dataclasses import replace

import uuid

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from adapters.teams.bot import PolicyBot
from bot.assistant import Assistant
from bot.settings import Settings
from bot.store.answers import AnswerStore
from support_teams import card_of, card_text

SENTENCE = "The statements and views expressed in this posting are my own and do not reflect those of the City of Monroe."
HR = "00000000-0000-4000-8000-0000000000hr"


@pytest.fixture
def store(tmp_path):
    store = AnswerStore.open(None, data_dir=str(tmp_path), base_url="https://policy.monroe.test")
    yield store
    store.close()


@pytest.fixture
def bot(assistant, store):
    recording = Assistant(library=assistant.library, templates=assistant.templates, recorder=store)
    settings = replace(Settings.from_env(), public_base_url="https://policy.monroe.test", hr_teams_users=(HR,))
    return PolicyBot(recording, settings, store)


def conversation_adapter(bot, aad="aad-employee") -> TestAdapter:
    """A TestAdapter for one new conversation with one person (the adapter numbers activities from 0)."""
    return TestAdapter(
        bot.on_turn,
        Activity(
            channel_id="msteams",
            service_url="https://test.invalid",
            from_property=ChannelAccount(id="29:employee", aad_object_id=aad),
            recipient=ChannelAccount(id="bot", name="Policy Assistant"),
            conversation=ConversationAccount(id=f"conv-{uuid.uuid4().hex}"),
        ),
    )


def replies_to(bot, text=None, *, value=None, aad="aad-employee"):
    """Send one message through a TestAdapter; returns the bot's replies, in order."""
    adapter = conversation_adapter(bot, aad)
    sent: list[Activity] = []

    async def run():
        activity = Activity(type=ActivityTypes.message, text=text, value=value)
        await adapter.process_activity(activity, bot.on_turn)
        while adapter.activity_buffer:
            sent.append(adapter.activity_buffer.pop(0))
        return sent

    return run()




async def test_a_question_gets_typing_then_a_card_with_citations(bot):
    typing, answer = await replies_to(bot, "Can I sign up for LinkedIn with my city email?")
    assert typing.type == ActivityTypes.typing
    card = card_of({"attachments": [answer.attachments[0].serialize()]})
    text = card_text(card)
    assert "§3.3.4" in text and "https://policy.monroe.test/policy/026/3.3.4" in text
    assert "National Labor Relations Act" not in text
    titles = [a["title"] for a in card["actions"]]
    assert titles == ["Show policy text", "👍", "👎", "Open link"]
    assert card["version"] == "1.5" and all(a["type"] == "Action.Execute" for a in card["actions"][1:3])


async def test_the_caveat_is_its_own_block(bot):
    _typing, answer = await replies_to(bot, "Can I post about my pay on Facebook?")
    card = answer.attachments[0].serialize()["content"]
    warnings = [b for b in card["body"] if b.get("type") == "Container" and b.get("style") == "warning"]
    assert len(warnings) == 1 and "protected concerted activity" in card_text({"body": warnings})


async def test_help_and_an_empty_message(bot):
    for text in ("help", "", None):
        [reply] = await replies_to(bot, text)
        assert "disclaimer" in reply.text and "Can I post about my pay on Facebook?" in reply.text
        assert "Hágame" not in reply.text


@pytest.mark.parametrize("text", ["hola", "¡Hola!", "ayuda", "¿Ayuda?", "Buenas tardes"])
async def test_a_spanish_greeting_gets_help_and_quick_replies_in_spanish(bot, text):
    [reply] = await replies_to(bot, text)
    assert reply.text.startswith("Respondo preguntas sobre la Política de Redes Sociales")
    assert "Hágame una pregunta, por ejemplo:" in reply.text and "Use disclaimer" in reply.text
    assert "Ask me a question" not in reply.text
    quick = [a.value for a in reply.suggested_actions.actions]
    assert quick and "¿Puedo publicar sobre mi salario en Facebook?" in quick and all(q.startswith("¿") for q in quick)


async def test_disclaimer_command(bot):
    [reply] = await replies_to(bot, "disclaimer blog Parks Department")
    card = reply.attachments[0].serialize()["content"]
    text = card_text(card)
    assert SENTENCE in text and "Parks Department, City of Monroe" in text and "first person" in text
    assert card["actions"][0]["url"].endswith("/policy/026#s3-2")


async def test_announce_for_hr_and_refusal_for_others(bot, store):
    [refusal] = await replies_to(bot, "announce §3.3.4", aad="aad-someone")
    assert "Human Resources only" in refusal.text
    _typing, draft = await replies_to(bot, "announce §3.3.4", aad=HR)
    card = draft.attachments[0].serialize()["content"]
    assert "Social Media Policy reminder" in card_text(card) and "§3.3.4" in card_text(card)
    link = card["actions"][0]["url"]
    assert link.startswith("https://policy.monroe.test/a/")
    assert store.get(link.rsplit("/", 1)[1]).answer.citations == ("3.3.4",)


async def test_feedback_submit_from_an_older_card_is_recorded_once_per_person(bot, store):
    """Cards sent before Action.Execute carry Action.Submit {"action": "feedback"}: still counted."""
    _typing, answer = await replies_to(bot, "Can I blog about my job?")
    card = answer.attachments[0].serialize()["content"]
    answer_id = next(a for a in card["actions"] if a["title"] == "👍")["data"]["answer_id"]
    up = {"action": "feedback", "value": 1, "answer_id": answer_id}
    [thanks] = await replies_to(bot, None, value=up, aad="aad-1")
    await replies_to(bot, None, value=up, aad="aad-1")
    await replies_to(bot, None, value={**up, "value": -1}, aad="aad-2")
    assert "Thanks" in thanks.text
    stored = store.get(up["answer_id"])
    assert (stored.thumbs_up, stored.thumbs_down) == (1, 1)


async def test_welcome_when_the_bot_is_added_not_for_each_person(bot):
    async def update(member_id):
        adapter = conversation_adapter(bot)
        activity = Activity(type=ActivityTypes.conversation_update, members_added=[ChannelAccount(id=member_id)])
        await adapter.process_activity(activity, bot.on_turn)
        sent = list(adapter.activity_buffer)
        adapter.activity_buffer.clear()
        return sent

    [welcome] = await update("bot")
    assert "Policy Assistant" in welcome.text and "help" in welcome.text
    assert await update("29:new-colleague") == []


async def test_mention_text_is_removed_before_asking():
    activity = Activity(
        type=ActivityTypes.message,
        text="<at>Policy Assistant</at> can I friend my boss?",
        recipient=ChannelAccount(id="28:bot"),
        entities=[],
    )
    from botbuilder.schema import Entity

    activity.entities = [Entity().deserialize({"type": "mention", "mentioned": {"id": "28:bot", "name": "Policy Assistant"}, "text": "<at>Policy Assistant</at>"})]
    assert TurnContext.remove_recipient_mention(activity).strip() == "can I friend my boss?"
