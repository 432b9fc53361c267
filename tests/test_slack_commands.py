"""Slash commands and buttons through real signed requests; replies read at the local Slack stand-in."""

from __future__ import annotations

import json

import pytest

from adapters.appkeys import STORE
from adapters.server import create_app
from support_slack import (
    BASE_URL,
    fake,  # noqa: F401  (fixture)
    block_text,
    blocks_of,
    buttons,
    post_action,
    post_command,
    slack_settings,
)

SENTENCE = "The statements and views expressed in this posting are my own and do not reflect those of the City of Monroe."
PAY = "Can I post about my pay on Facebook?"


@pytest.fixture
def make_client(aiohttp_client, assistant, fake, tmp_path):
    async def make(**overrides):
        return await aiohttp_client(create_app(assistant, slack_settings(fake, data_dir=str(tmp_path), **overrides)))

    return make


@pytest.fixture
async def client(make_client):
    return await make_client()


async def ask(client, fake, question: str = PAY, **who) -> dict:
    resp = await post_command(client, fake, "/policy", question, **who)
    assert resp.status == 200
    return (await fake.wait_for(1, "response_url"))[-1]


async def test_policy_answers_privately_with_buttons(client, fake):
    resp = await post_command(client, fake, "/policy", PAY)
    assert resp.status == 200 and (await resp.text()) == ""  # an empty ack: the answer follows
    [reply] = await fake.wait_for(1, "response_url")
    assert reply["response_type"] == "ephemeral"
    text = block_text(reply)
    assert "You asked" in text and "§3.1" in text and "Your rights come first" in text
    assert set(buttons(reply)) == {"policy_post", "policy_text", "feedback_up", "feedback_down", "answer_link"}


async def test_post_to_channel_reposts_it_crediting_the_asker(client, fake):
    reply = await ask(client, fake, user="U0ASKER", channel="C0HR")
    answer_id = buttons(reply)["policy_post"]["value"]
    resp = await post_action(client, fake, "policy_post", answer_id, user="U0ASKER", channel="C0HR")
    assert resp.status == 200
    [posted] = await fake.wait_for(1, "chat.postMessage")
    assert posted["channel"] == "C0HR" and "<@U0ASKER> asked" in block_text(posted)
    assert "policy_post" not in buttons(posted) and "§3.1" in block_text(posted)
    replies = await fake.wait_for(2, "response_url")
    assert replies[-1].get("delete_original") is True  # the private copy goes away


async def test_a_spanish_answer_posted_to_the_channel_credits_the_asker_in_spanish(client, fake):
    reply = await ask(client, fake, "¿Puedo publicar sobre mi salario en Facebook?", user="U0ASKER", channel="C0HR")
    await post_action(client, fake, "policy_post", buttons(reply)["policy_post"]["value"], user="U0ASKER", channel="C0HR")
    [posted] = await fake.wait_for(1, "chat.postMessage")
    assert "<@U0ASKER> preguntó" in block_text(posted) and "asked" not in block_text(posted)


async def test_post_to_a_channel_the_bot_is_not_in_explains_how(client, fake):
    fake.channel_errors["C0PRIVATE"] = "not_in_channel"
    reply = await ask(client, fake, channel="C0PRIVATE")
    await post_action(client, fake, "policy_post", buttons(reply)["policy_post"]["value"], channel="C0PRIVATE")
    replies = await fake.wait_for(2, "response_url")
    assert "/invite" in block_text(replies[-1]) and not replies[-1].get("delete_original")


async def test_feedback_is_acknowledged_and_recorded(client, fake):
    reply = await ask(client, fake)
    answer_id = buttons(reply)["feedback_up"]["value"]
    await post_action(client, fake, "feedback_up", answer_id, user="U1")
    await post_action(client, fake, "feedback_down", answer_id, user="U2")
    await post_action(client, fake, "feedback_down", answer_id, user="U2")  # a second press counts once
    replies = await fake.wait_for(4, "response_url")
    # each press replaces the private answer in place: its 👍/👎 give way to what was said
    assert all(r["replace_original"] is True for r in replies[1:])
    # the presses are handled concurrently, so their replies may arrive in either order
    [thanked] = [r for r in replies[1:] if "Thanks" in block_text(r)]
    asked_why = [r for r in replies[1:] if "What was wrong?" in block_text(r)]
    assert "feedback_up" not in buttons(thanked) and asked_why
    assert "feedback_reason_unclear" in {
        e["action_id"] for b in blocks_of(asked_why[0]) if b["type"] == "actions" for e in b["elements"]
    }
    stored = client.app[STORE].get(answer_id)
    assert (stored.thumbs_up, stored.thumbs_down) == (1, 1)


async def test_show_policy_text_and_the_link_button(client, fake):
    reply = await ask(client, fake, "Can I use the City logo on my personal page?")
    answer_id = buttons(reply)["policy_text"]["value"]
    assert buttons(reply)["answer_link"]["url"] == f"{BASE_URL}/a/{answer_id}"  # a link button: Slack opens it
    await post_action(client, fake, "policy_text", answer_id)
    await post_action(client, fake, "answer_link", answer_id)  # the click is only acknowledged
    replies = await fake.wait_for(2, "response_url")
    await fake.settle()
    assert len(fake.sent("response_url")) == 2
    full = block_text(replies[1])
    assert "§3.3.3" in full and "without prior written permission from the City Manager" in full  # the whole section


async def test_a_button_for_an_unknown_answer_says_so(client, fake):
    await post_action(client, fake, "policy_text", "nosuchanswer1")
    [reply] = await fake.wait_for(1, "response_url")
    assert "no longer available" in block_text(reply)


@pytest.mark.parametrize("text", ["", "help", "  HELP  ", "start", "hola", "¡Hola!", "ayuda", "¿ayuda?"])
async def test_policy_without_a_question_shows_usage_with_examples(client, fake, text):
    reply = await ask(client, fake, text)
    usage = block_text(reply)
    assert "/policy" in usage and "/disclaimer" in usage and usage.count("- ") >= 3


@pytest.mark.parametrize("text", ["hola", "¡Hola!", "ayuda", "¿ayuda?", "Buenos días"])
async def test_a_spanish_greeting_gets_the_usage_in_spanish(client, fake, text):
    usage = block_text(await ask(client, fake, text))
    assert "Hágame una pregunta con /policy, por ejemplo:" in usage and "Use /disclaimer" in usage
    assert "- ¿Puedo publicar sobre mi salario en Facebook?" in usage
    assert "Ask me a question" not in usage and "Can I post about my pay" not in usage


@pytest.mark.parametrize("text", ["", "help", "hi"])
async def test_an_english_greeting_gets_the_usage_in_english(client, fake, text):
    usage = block_text(await ask(client, fake, text))
    assert "Ask me a question with /policy, for example:" in usage and "- Can I post about my pay on Facebook?" in usage
    assert "Hágame" not in usage


async def test_disclaimer_draft_is_a_code_block(client, fake):
    await post_command(client, fake, "/disclaimer", "blog Parks Department")
    [reply] = await fake.wait_for(1, "response_url")
    text = block_text(reply)
    assert reply["response_type"] == "ephemeral" and text.startswith("```") and text.endswith("```")
    assert SENTENCE in text and "Parks Department, City of Monroe" in text and "first person" in text


async def test_disclaimer_with_markup_in_the_role_is_escaped(client, fake):
    await post_command(client, fake, "/disclaimer", "profile <!channel> Lead")
    [reply] = await fake.wait_for(1, "response_url")
    assert "<!channel>" not in json.dumps(reply) and "&lt;!channel&gt; Lead, City of Monroe" in block_text(reply)


async def test_an_unknown_command_is_explained(client, fake):
    resp = await post_command(client, fake, "/policies", "anything")
    assert resp.status == 200
    body = await resp.json()
    assert body["response_type"] == "ephemeral" and "/policies" in block_text(body)


async def test_announce_is_refused_politely_to_non_hr(make_client, fake):
    client = await make_client(hr_slack_users=("U0HRLEAD",))
    await post_command(client, fake, "/policy-announce", "§3.3.4", user="U0CLERK")
    [reply] = await fake.wait_for(1, "response_url")
    assert "Human Resources only" in block_text(reply) and "```" not in block_text(reply)


async def test_announce_is_not_available_until_hr_is_configured(client, fake):
    await post_command(client, fake, "/policy-announce", "§3.3.4", user="U0HRLEAD")
    [reply] = await fake.wait_for(1, "response_url")
    assert "not set up" in block_text(reply)


async def test_hr_gets_an_announcement_draft_with_the_permalink(make_client, fake):
    client = await make_client(hr_slack_users=("U0HRLEAD",))
    await post_command(client, fake, "/policy-announce", "§3.3.4", user="U0HRLEAD")
    [reply] = await fake.wait_for(1, "response_url")
    text = block_text(reply)
    assert reply["response_type"] == "ephemeral" and "Social Media Policy reminder" in text
    assert "§3.3.4" in text and f"{BASE_URL}/a/" in text
    answer_id = text.split(f"{BASE_URL}/a/")[1].split()[0].strip("`")
    assert client.app[STORE].get(answer_id).answer.citations == ("3.3.4",)


async def test_a_member_of_the_hr_user_group_may_announce(make_client, fake):
    fake.usergroups["S0HR"] = ["U0HRASSIST"]
    client = await make_client(hr_slack_usergroup="S0HR")
    await post_command(client, fake, "/policy-announce", PAY, user="U0HRASSIST")
    await post_command(client, fake, "/policy-announce", PAY, user="U0OTHER")
    replies = await fake.wait_for(2, "response_url")
    texts = sorted(block_text(r) for r in replies)
    assert any("National Labor Relations Act" in t and "/a/" in t for t in texts)
    assert any("Human Resources only" in t for t in texts)
    assert ("usergroups.users.list", {"usergroup": "S0HR"}) in [(m, {"usergroup": p.get("usergroup")}) for m, p in fake.calls]


async def test_a_failure_gets_a_polite_message(client, fake):
    fake.channel_errors["C0ARCHIVED"] = "is_archived"
    reply = await ask(client, fake, channel="C0ARCHIVED")
    await post_action(client, fake, "policy_post", buttons(reply)["policy_post"]["value"], channel="C0ARCHIVED")
    replies = await fake.wait_for(2, "response_url")
    assert "something went wrong" in block_text(replies[-1])
