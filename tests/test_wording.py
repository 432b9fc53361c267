"""HR rewords the assistant in phrases.j2 (POLICYBOT_TEMPLATES) and every surface says the new words:
error messages, the Ask HR button, card summaries, the e-mail subject, the example questions.
Real HTTP into the real app, signed Slack requests, Bot Framework activities to a local connector."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from adapters.server import create_app
from bot.assistant import Assistant
from bot.questions import QuestionError, clean_question
from bot.templates import Templates
from support_slack import block_text, direct_message, fake, post_event, slack_settings  # noqa: F401  (fake: fixture)
from support_store import cli, settings_for
from support_teams import activity, card_of, connector, post_activity  # noqa: F401  (connector: fixture)

SHIPPED = Path(__file__).resolve().parent.parent / "bot" / "templates" / "phrases.j2"
# What HR changed: shipped words -> HR's words.
REWORDED = {
    '"Please type a question about the Social Media Policy."': '"HR: your question, please."',
    '"Cross-site requests are not accepted."': '"HR: only from this site."',
    '"Too many questions at once: please wait a moment and try again."': '"HR: one moment, please."',
    '"This form has expired: reload the page and try again."': '"HR: reload the page."',
    "'Send JSON with Content-Type: application/json, e.g. {\"question\": \"Can I post about my pay?\"}.'": '"HR: JSON only."',
    '"ctl_ask_hr": "Ask HR",': '"ctl_ask_hr": "Write to Human Resources",',
    '"summary_question_for_hr": "Question for HR",': '"summary_question_for_hr": "An employee asks HR",',
    '"mailto_subject": "Question for HR (Social Media Policy)",': '"mailto_subject": "Social media question",',
    '"Can my supervisor friend me on Instagram?"': '"Can I post photos of a fire scene?"',
}


@pytest.fixture(scope="module")
def hr_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hr-templates")
    text = SHIPPED.read_text(encoding="utf-8")
    for shipped, worded in REWORDED.items():
        assert shipped in text, shipped
        text = text.replace(shipped, worded)
    (folder / "phrases.j2").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def worded(library, hr_folder) -> Assistant:
    return Assistant(library=library, templates=Templates(hr_folder))


@pytest.fixture
def hr_words(monkeypatch, hr_folder):
    """The process's templates are HR's too (what errors raised without an Assistant are worded by)."""
    monkeypatch.setenv("POLICYBOT_TEMPLATES", str(hr_folder))


def test_an_empty_question_is_refused_in_hrs_words(hr_words):
    with pytest.raises(QuestionError) as raised:
        clean_question("  \u200b ")
    assert str(raised.value) == "HR: your question, please." and raised.value.key == "err_no_question"


def test_the_terminal_refuses_an_empty_question_in_hrs_words(hr_folder, tmp_path):
    out = cli("ask", "   ", env_extra={"POLICYBOT_TEMPLATES": str(hr_folder), "POLICYBOT_DATA_DIR": str(tmp_path)})
    assert out.returncode == 2 and "HR: your question, please." in out.stderr


async def test_the_web_page_and_api_refuse_in_hrs_words(aiohttp_client, worded, hr_words, tmp_path):
    client = await aiohttp_client(create_app(worded, replace(settings_for(tmp_path), rate_limit_per_minute=3)))  # the fourth counted request is over
    resp = await client.post("/api/ask", json={"question": "   "})
    assert resp.status == 400 and (await resp.json())["error"] == "HR: your question, please."
    resp = await client.post("/api/ask", json={"question": "pay?"}, headers={"Origin": "https://evil.example"})
    assert resp.status == 403 and (await resp.json())["error"] == "HR: only from this site."
    resp = await client.post("/api/ask", data=b'{"question": "pay?"}', headers={"Content-Type": "text/plain"})
    assert resp.status == 415 and (await resp.json())["error"] == "HR: JSON only."
    resp = await client.post("/", data={"question": "pay?", "csrf": "forged-token-forged-token"})  # a browser's form: a page
    assert resp.status == 403 and '<p class="error" role="alert">HR: reload the page.</p>' in await resp.text()
    resp = await client.post("/api/ask", json={"question": "Can I post about my pay?"})
    assert resp.status == 429 and (await resp.json())["error"] == "HR: one moment, please."
    page = await (await client.get("/")).text()
    assert "Can I post photos of a fire scene?" in page and "Can my supervisor friend me on Instagram?" not in page


async def test_the_web_hand_off_e_mail_has_hrs_subject(aiohttp_client, worded, tmp_path):
    client = await aiohttp_client(create_app(worded, replace(settings_for(tmp_path), hr_email="hr@monroe.test")))
    data = await (await client.post("/api/handoff", json={"message": "Who approves my badge photo?"})).json()
    assert f"subject={quote('Social media question')}&" in data["mailto"]


async def test_slacks_ask_hr_button_has_hrs_label(aiohttp_client, worded, fake, tmp_path):
    settings = slack_settings(fake, data_dir=str(tmp_path), hr_slack_channel="C0HRDESK")
    client = await aiohttp_client(create_app(worded, settings))
    await post_event(client, direct_message("can I talk to a real person in HR?"))
    [offer] = await fake.wait_for(1, "chat.postMessage")
    [button] = [e for b in offer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == "handoff_start" and button["text"]["text"] == "Write to Human Resources"
    assert "not a person" in block_text(offer)


async def test_teams_hand_off_reaches_hr_with_hrs_summary(aiohttp_client, worded, tmp_path, connector):
    settings = replace(settings_for(tmp_path), teams_emulator=True, hr_teams_channel="19:hrdesk@thread.tacv2")
    client = await aiohttp_client(create_app(worded, settings))
    body = activity(None, service_url=connector.url, conversation_type="personal")
    body.update(type="invoke", name="adaptiveCard/action", value={
        "action": {"type": "Action.Execute", "verb": "handoff_send", "data": {"answer_id": "", "message": "Who approves my badge photo?"}},
        "trigger": "manual",
    })
    assert (await post_activity(client, body)).status == 200
    [hr_post] = [m for m in connector.messages() if "19:hrdesk" in m["_path"]]
    assert hr_post["summary"] == "An employee asks HR" and "Who approves my badge photo?" in str(card_of(hr_post))
