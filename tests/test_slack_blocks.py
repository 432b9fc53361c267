"""Every Slack message and view the templates build is valid Block Kit, as slack_sdk's block models read it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack.messages import SlackMessages
from bot.handoff import Handoff, HrContact, Status

BASE = "https://policy.monroe.test"
QUESTIONS = [
    "Can I sign up for LinkedIn with my city email?",
    "Can I post about my pay on Facebook?",
    "How many vacation days do I get?",
    "¿Puedo quejarme en Facebook de lo poco que nos pagan?",
    "Can I use the City logo on my page? " + "blah " * 400,
]


@pytest.fixture(scope="module")
def messages(assistant):
    return SlackMessages(assistant, BASE)


def valid_blocks(blocks: list[dict]) -> None:
    assert 0 < len(blocks) <= 50
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()  # raises SlackObjectFormationError on a broken block


def stored(answer, answer_id="abcdefgh123"):
    from dataclasses import replace

    return replace(answer, extras={**answer.extras, "id": answer_id, "permalink": f"{BASE}/a/{answer_id}"})


@pytest.mark.parametrize("question", QUESTIONS)
@pytest.mark.parametrize("mode", ["ephemeral", "thread", "posted"])
@pytest.mark.parametrize("feedback", [None, "up", "down", "unclear", "other"])
def test_answers_in_every_mode_and_feedback_state(assistant, messages, question, mode, feedback):
    answer = stored(assistant.ask(question))
    message = messages.answer(answer, mode=mode, asker="U1", feedback=feedback)
    valid_blocks(message["blocks"])
    assert message["text"]


def test_follow_up_explain_and_policy_text(assistant, messages):
    from bot.conversation import Turn

    first = Turn("Can my supervisor friend me on Facebook?", ("3.5.1",), True)
    for text in ("what about Instagram?", "why?", "show me the exact text"):
        valid_blocks(messages.answer(stored(assistant.ask(text, history=[first])), mode="thread")["blocks"])
    valid_blocks(messages.policy_text(stored(assistant.ask("Can I post about my pay on Facebook?")))["blocks"])


def test_hand_off_messages_and_views(assistant, messages):
    answer = stored(assistant.ask("How many vacation days do I get?"))
    now = datetime.now(UTC)
    base = dict(id="h1234567", created_at=now, channel="slack", user_id="U1", answer_id="abcdefgh123", question="q",
                message="How many days?\nI started in March.", employee_ref={"user": "U1"})
    for handoff in (
        Handoff(status=Status.OPEN, **base),
        Handoff(status=Status.ANSWERED, reply="12 days.", replied_by="UHR", replied_at=now, **base),
        Handoff(status=Status.RESOLVED, reply="12 days.", replied_by="UHR", resolved_by="UHR", resolved_at=now, **base),
    ):
        valid_blocks(messages.handoff("hr_post", handoff, answer, answer.extras["permalink"])["blocks"])
        valid_blocks(messages.handoff("hr_post", handoff, None, None)["blocks"])
        View(**messages.handoff("reply_modal", handoff, json.dumps({"h": handoff.id}))).validate_json()
    valid_blocks(messages.handoff("employee_reply", Handoff(status=Status.ANSWERED, reply="12 days.", replied_by="UHR", **base))["blocks"])
    View(**messages.handoff("sent_to_hr_modal", "How many days?", "{}")).validate_json()
    empty = messages.handoff("sent_to_hr_modal", "", "{}")
    View(**empty).validate_json()
    assert "initial_value" not in json.dumps(empty)  # nothing to prefill: no empty initial value
    View(**messages.handoff("other_reason_modal", "{}")).validate_json()
    contact = HrContact("hr@monroe.test", "555-0100", "C0HR", None)
    valid_blocks(messages.reply("person_offer", contact, True)["blocks"])


def test_home_tab_and_disclaimer_modal(assistant, messages):
    from adapters.slack.home import SlackHome

    class Listeners:  # what SlackHome reads from the listeners
        pass

    listeners = Listeners()
    listeners.assistant, listeners.messages = assistant, messages
    home = SlackHome(listeners, HrContact("hr@monroe.test", None, None, None), BASE)
    View(**home.home_view()).validate_json()
    View(**home.disclaimer_modal()).validate_json()
