"""Slack's Home tab and the disclaimer modal, end to end (signed requests, Slack stand-in)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from adapters.server import create_app
from support_slack import (
    BASE_URL,
    fake,  # noqa: F401  (fixture)
    block_text,
    post_command,
    post_event,
    signed_headers,
    slack_settings,
)


@pytest.fixture
async def client(aiohttp_client, assistant, fake, tmp_path):
    settings = slack_settings(fake, data_dir=str(tmp_path), hr_email="hr@monroe.test", hr_phone="555-0100")
    return await aiohttp_client(create_app(assistant, settings))


async def post_payload(client, payload: dict):
    body = urlencode({"payload": json.dumps(payload)})
    return await client.post("/slack/events", data=body, headers=signed_headers(body, content_type="application/x-www-form-urlencoded"))


def view_of(call: dict) -> dict:
    return json.loads(call["view"]) if isinstance(call["view"], str) else call["view"]


async def test_the_home_tab_shows_examples_the_disclaimer_button_the_policy_and_hrs_contact(client, fake):
    await post_event(client, {"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DIRECT", "tab": "home", "event_ts": "1.2"})
    [published] = await fake.wait_for(1, "views.publish")
    view = view_of(published)
    assert published["user_id"] == "U0ASKER" and view["type"] == "home"
    text = json.dumps(view)
    assert "Can I post about my pay on Facebook?" in text and "Draft my disclaimer" in text
    assert f"{BASE_URL}/policy/026" in text and "hr@monroe.test" in text


async def test_the_messages_tab_publishes_nothing(client, fake):
    await post_event(client, {"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DIRECT", "tab": "messages", "event_ts": "1.2"})
    await fake.settle(0.2)
    assert fake.sent("views.publish") == []


async def test_an_example_on_the_home_tab_is_answered_in_the_dm(client, fake):
    payload = {
        "type": "block_actions", "team": {"id": "T0CITY"}, "user": {"id": "U0ASKER"}, "api_app_id": "A0POLICY",
        "container": {"type": "view", "view_id": "V1"}, "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": "home_example_1", "block_id": "home_examples", "value": "Can I sign up for LinkedIn with my City email?", "action_ts": "1"}],
    }
    await post_payload(client, payload)
    [message] = await fake.wait_for(1, "chat.postMessage")
    assert message["channel"] == "U0ASKER" and "§3.3.4" in block_text(message)


async def test_disclaimer_without_text_opens_a_modal_and_the_draft_arrives_by_dm(client, fake):
    await post_command(client, fake, "/disclaimer", "")
    [opened] = await fake.wait_for(1, "views.open")
    view = view_of(opened)
    assert view["callback_id"] == "disclaimer_draft"
    assert {b.get("block_id") for b in view["blocks"]} >= {"kind", "role", "department"}
    submission = {
        "type": "view_submission", "team": {"id": "T0CITY"}, "user": {"id": "U0ASKER"}, "api_app_id": "A0POLICY",
        "view": {"id": "V2", "type": "modal", "callback_id": "disclaimer_draft", "private_metadata": "", "state": {"values": {
            "kind": {"kind": {"type": "static_select", "selected_option": {"value": "blog"}}},
            "role": {"role": {"type": "plain_text_input", "value": "Recreation Coordinator"}},
            "department": {"department": {"type": "plain_text_input", "value": None}},
        }}},
    }
    resp = await post_payload(client, submission)
    assert resp.status == 200
    [draft] = await fake.wait_for(1, "chat.postMessage")
    assert draft["channel"] == "U0ASKER" and "Recreation Coordinator, City of Monroe" in block_text(draft)
    assert fake.sent("response_url") == []  # the modal, not a guess
