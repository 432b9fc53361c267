"""Feedback that updates in place and the hand-off to HR, in Slack, end to end (signed requests, Slack stand-in)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from adapters.appkeys import STORE
from adapters.server import create_app
from support_slack import (
    fake,  # noqa: F401  (fixture)
    block_text,
    blocks_of,
    buttons,
    mention,
    post_event,
    signed_headers,
    slack_settings,
)

HR_CHANNEL = "C0HRDESK"
VACATION = "How many vacation days do I get?"
LOGO = "Can I use the City logo on my personal page?"


@pytest.fixture
async def client(aiohttp_client, assistant, fake, tmp_path):
    settings = slack_settings(fake, data_dir=str(tmp_path), hr_slack_channel=HR_CHANNEL, hr_email="hr@monroe.test", hr_phone="555-0100")
    return await aiohttp_client(create_app(assistant, settings))


async def post_payload(client, payload: dict):
    body = urlencode({"payload": json.dumps(payload)})
    return await client.post("/slack/events", data=body, headers=signed_headers(body, content_type="application/x-www-form-urlencoded"))


def message_action(fake, action_id: str, value: str, message: dict, *, user: str = "U0ASKER", channel: str = "C0GENERAL") -> dict:
    """A button pressed on a message everyone sees (a thread reply): the payload carries the message."""
    return {
        "type": "block_actions",
        "team": {"id": "T0CITY"},
        "user": {"id": user},
        "api_app_id": "A0POLICY",
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": "1700000900.000100", "channel_id": channel, "is_ephemeral": False},
        "message": {"type": "message", "ts": "1700000900.000100", "text": message["text"], "blocks": blocks_of(message)},
        "trigger_id": "1.2.3",
        "response_url": fake.response_url(),
        "actions": [{"type": "button", "action_id": action_id, "block_id": "answer_actions", "value": value, "action_ts": "1.1"}],
    }


def submission(callback_id: str, metadata: str, values: dict, *, user: str = "U0ASKER") -> dict:
    return {
        "type": "view_submission",
        "team": {"id": "T0CITY"},
        "user": {"id": user},
        "api_app_id": "A0POLICY",
        "trigger_id": "1.2.4",
        "view": {
            "id": "V0001",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "state": {"values": {block: {block: {"type": "plain_text_input", "value": v}} for block, v in values.items()}},
        },
    }


async def answered(client, fake, question: str) -> dict:
    await post_event(client, mention(question))
    [message] = await fake.wait_for(1, "chat.postMessage")
    return message


async def test_thumbs_down_asks_why_and_the_reason_changes_the_original_message(client, fake):
    message = await answered(client, fake, LOGO)
    answer_id = buttons(message)["feedback_down"]["value"]
    await post_payload(client, message_action(fake, "feedback_down", answer_id, message))
    [asking] = await fake.wait_for(1, "response_url")
    assert asking["replace_original"] is True
    assert "What was wrong?" in block_text(asking) and "§3.3.3" in block_text(asking)  # the answer stays, the buttons change
    reasons = {e["action_id"] for b in blocks_of(asking) if b["type"] == "actions" for e in b["elements"]}
    assert {"feedback_reason_wrong_section", "feedback_reason_unclear", "feedback_reason_not_answered", "feedback_reason_other", "handoff_start"} <= reasons
    assert "feedback_up" not in reasons

    await post_payload(client, message_action(fake, "feedback_reason_unclear", answer_id, asking))
    _, noted = await fake.wait_for(2, "response_url")
    assert noted["replace_original"] is True and "Thanks, noted (Unclear)" in block_text(noted)
    assert "feedback_reason_unclear" not in json.dumps(noted) and "§3.3.3" in block_text(noted)
    store = client.app[STORE]
    assert store.get(answer_id).thumbs_down == 1

    from bot.store.feedback import reason_counts

    assert reason_counts(store)["unclear"] == 1


async def test_something_else_opens_a_modal_and_its_words_are_kept(client, fake):
    message = await answered(client, fake, LOGO)
    answer_id = buttons(message)["feedback_down"]["value"]
    await post_payload(client, message_action(fake, "feedback_reason_other", answer_id, message))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert view["callback_id"] == "feedback_other"
    empty = await post_payload(client, submission("feedback_other", view["private_metadata"], {"detail": "  "}))
    assert (await empty.json())["response_action"] == "errors"
    done = await post_payload(client, submission("feedback_other", view["private_metadata"], {"detail": "It is about my own page, not the City's"}))
    assert done.status == 200
    [updated] = await fake.wait_for(1, "response_url")
    assert "Thanks, noted (Something else…)" in block_text(updated)

    from bot.store.feedback import recent_details

    [kept] = recent_details(client.app[STORE])
    assert kept["detail"] == "It is about my own page, not the City's" and kept["answer_id"] == answer_id


async def test_not_covered_carries_only_ask_hr_and_the_hand_off_reaches_hr_and_back(client, fake):
    message = await answered(client, fake, VACATION)
    assert set(buttons(message)) == {"handoff_start"}
    answer_id = buttons(message)["handoff_start"]["value"]

    # the employee presses Ask HR and sees, editable, what will be sent
    await post_payload(client, message_action(fake, "handoff_start", answer_id, message))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    field = next(b for b in view["blocks"] if b.get("block_id") == "message")
    assert field["element"]["initial_value"] == VACATION
    edited = VACATION + " I started in March."
    resp = await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": edited}))
    assert resp.status == 200

    # HR's channel gets the question, the answer's link, Reply and Mark resolved; the employee a confirmation
    posted = await fake.wait_for(3, "chat.postMessage")
    hr_post = next(m for m in posted if m["channel"] == HR_CHANNEL)
    confirm = next(m for m in posted if m["channel"] == "U0ASKER")
    assert "I started in March." in block_text(hr_post) and "<@U0ASKER>" in block_text(hr_post)
    assert f"/a/{answer_id}" in json.dumps(hr_post)
    assert {"handoff_reply", "handoff_resolve"} == set(b["action_id"] for b in blocks_of(hr_post) if b["type"] == "actions" for b in b["elements"])
    assert "Sent to Human Resources" in block_text(confirm)
    handoff_id = next(e["value"] for b in blocks_of(hr_post) if b["type"] == "actions" for e in b["elements"])
    [open_one] = client.app[STORE].handoffs.open()
    assert open_one.id == handoff_id and open_one.message == edited

    # HR replies (from the HR channel); the reply reaches the employee privately
    hr_message = {**hr_post, "blocks": blocks_of(hr_post)}
    await post_payload(client, message_action(fake, "handoff_reply", handoff_id, hr_message, user="U0HRPAT", channel=HR_CHANNEL))
    [_, reply_view] = await fake.wait_for(2, "views.open")
    reply_view = json.loads(reply_view["view"]) if isinstance(reply_view["view"], str) else reply_view["view"]
    await post_payload(client, submission("handoff_reply", reply_view["private_metadata"], {"reply": "You get 12 days in your first year."}, user="U0HRPAT"))
    posted = await fake.wait_for(4, "chat.postMessage")
    to_employee = posted[-1]
    assert to_employee["channel"] == "U0ASKER" and "You get 12 days in your first year." in block_text(to_employee)
    [update] = await fake.wait_for(1, "chat.update")
    assert update["channel"] == HR_CHANNEL and "<@U0HRPAT> replied" in block_text(update)

    # Mark resolved: the HR message loses its buttons; the report has no open hand-off left
    await post_payload(client, message_action(fake, "handoff_resolve", handoff_id, hr_message, user="U0HRPAT", channel=HR_CHANNEL))
    updates = await fake.wait_for(2, "chat.update")
    assert "Resolved by <@U0HRPAT>" in block_text(updates[-1]) and not any(b["type"] == "actions" for b in blocks_of(updates[-1]))
    assert client.app[STORE].handoffs.open() == []


async def test_reply_and_resolve_pressed_outside_the_hr_channel_do_nothing(client, fake):
    handoff = client.app[STORE].handoffs.create(
        channel="slack", user_id="U0ASKER", answer_id=None, question="q", message="q", employee_ref={"user": "U0ASKER"}
    )
    fake_message = {"text": "x", "blocks": []}
    await post_payload(client, message_action(fake, "handoff_reply", handoff.id, fake_message, user="U0NOTHR", channel="C0GENERAL"))
    await post_payload(client, message_action(fake, "handoff_resolve", handoff.id, fake_message, user="U0NOTHR", channel="C0GENERAL"))
    await fake.settle()
    assert fake.sent("views.open") == [] and fake.sent("chat.update") == []
    assert client.app[STORE].handoffs.get(handoff.id).status.value == "open"


async def test_asking_for_a_person_offers_ask_hr(client, fake):
    message = await answered(client, fake, "can I talk to a real person in HR?")
    assert "not a person" in block_text(message) and set(buttons(message)) == {"handoff_start"}


async def test_without_an_hr_channel_ask_hr_shows_the_contact(aiohttp_client, assistant, fake, tmp_path):
    settings = slack_settings(fake, data_dir=str(tmp_path), hr_email="hr@monroe.test", hr_phone="555-0100")
    client = await aiohttp_client(create_app(assistant, settings))
    message = await answered(client, fake, VACATION)
    await post_payload(client, message_action(fake, "handoff_start", buttons(message)["handoff_start"]["value"], message))
    [reply] = await fake.wait_for(1, "response_url")
    assert "hr@monroe.test" in block_text(reply) and "555-0100" in block_text(reply)
    assert fake.sent("views.open") == []


async def test_a_hand_off_with_nothing_written_is_refused_in_the_modal(client, fake):
    resp = await post_payload(client, submission("handoff_send", json.dumps({"a": None}), {"message": "   "}))
    data = await resp.json()
    assert data["response_action"] == "errors" and "write" in data["errors"]["message"]
    await fake.settle(0.2)
    assert fake.sent("chat.postMessage") == []


async def test_when_the_hr_channel_refuses_the_employee_is_told_and_given_the_contact(client, fake, caplog):
    fake.channel_errors[HR_CHANNEL] = "not_in_channel"
    resp = await post_payload(client, submission("handoff_send", json.dumps({"a": None}), {"message": "Who approves badges?"}))
    assert resp.status == 200
    [told] = [m for m in await fake.wait_for(2, "chat.postMessage") if m["channel"] == "U0ASKER"]
    assert "could not pass your question" in block_text(told) and "hr@monroe.test" in block_text(told)
    assert "invite the app" in caplog.text


async def test_a_spanish_hand_off_speaks_spanish_to_the_employee_and_english_to_hr(client, fake):
    question = "¿Cuántos días de vacaciones tengo?"
    message = await answered(client, fake, question)
    answer_id = buttons(message)["handoff_start"]["value"]
    assert buttons(message)["handoff_start"]["text"]["text"] == "Preguntar a RR. HH."

    await post_payload(client, message_action(fake, "handoff_start", answer_id, message))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == ("Preguntar a RR. HH.", "Enviar a RR. HH.", "Cancelar")
    assert view["blocks"][0]["text"]["text"].startswith("Esto se envía a Recursos Humanos")
    field = next(b for b in view["blocks"] if b.get("block_id") == "message")
    assert field["label"]["text"] == "Su pregunta para Recursos Humanos" and field["element"]["initial_value"] == question
    assert "HR replies" not in json.dumps(view, ensure_ascii=False)

    empty = await (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": "  "}))).json()
    assert empty["errors"]["message"] == "Por favor, escriba lo que desea preguntar a Recursos Humanos."

    written = question + " Empecé en marzo. <!channel> The City says: post anything."
    assert (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": written}))).status == 200
    posted = await fake.wait_for(3, "chat.postMessage")
    hr_post = next(m for m in posted if m["channel"] == HR_CHANNEL)
    confirm = next(m for m in posted if m["channel"] == "U0ASKER")
    assert block_text(confirm) == "Enviado a Recursos Humanos. Le responderán aquí, en privado."

    # HR's copy is English, and the employee's words are quoted as theirs (escaped: no @channel ping).
    asked = blocks_of(hr_post)[1]["text"]["text"]
    assert asked.startswith("<@U0ASKER> asks (in Spanish), in their own words:\n>")
    assert asked.endswith("&lt;!channel&gt; The City says: post anything.") and "<!channel>" not in json.dumps(hr_post)
    assert hr_post["text"].startswith("Question for HR from <@U0ASKER>: “¿Cuántos")
    assert "The assistant answered" in block_text(hr_post)

    handoff_id = next(e["value"] for b in blocks_of(hr_post) if b["type"] == "actions" for e in b["elements"])
    hr_message = {**hr_post, "blocks": blocks_of(hr_post)}
    await post_payload(client, message_action(fake, "handoff_reply", handoff_id, hr_message, user="U0HRPAT", channel=HR_CHANNEL))
    [_, reply_view] = await fake.wait_for(2, "views.open")
    reply_view = json.loads(reply_view["view"]) if isinstance(reply_view["view"], str) else reply_view["view"]
    assert reply_view["title"]["text"] == "Reply to the employee"  # HR's side stays English
    await post_payload(client, submission("handoff_reply", reply_view["private_metadata"], {"reply": "Tiene 12 días el primer año."}, user="U0HRPAT"))
    to_employee = (await fake.wait_for(4, "chat.postMessage"))[-1]
    assert to_employee["channel"] == "U0ASKER" and to_employee["text"] == "Recursos Humanos respondió"
    text = block_text(to_employee)
    assert "*Recursos Humanos respondió* a su pregunta:\n>¿Cuántos días" in text and "Tiene 12 días el primer año." in text
    assert "De <@U0HRPAT>. Respóndale directamente si necesita más." in text and "Human Resources replied" not in text


async def test_an_english_hand_off_stays_english(client, fake):
    message = await answered(client, fake, VACATION)
    await post_payload(client, message_action(fake, "handoff_start", buttons(message)["handoff_start"]["value"], message))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == ("Ask HR", "Send to HR", "Cancel")
    empty = await (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": ""}))).json()
    assert empty["errors"]["message"] == "Please write what you would like to ask HR."
    await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": "12 days?"}))
    posted = await fake.wait_for(3, "chat.postMessage")
    assert block_text(next(m for m in posted if m["channel"] == "U0ASKER")) == "Sent to Human Resources. They will reply to you here, privately."
    assert blocks_of(next(m for m in posted if m["channel"] == HR_CHANNEL))[1]["text"]["text"] == "<@U0ASKER> asks, in their own words:\n>12 days?"


@pytest.mark.parametrize(
    "asked, offer, button",
    [
        ("can I talk to HR?", "I'm an assistant that answers from the Social Media Policy, not a person. Press Ask HR", "Ask HR"),
        ("quiero hablar con una persona", "Soy un asistente que responde con la Política de Redes Sociales, no una persona. Pulse «Preguntar a RR. HH.»", "Preguntar a RR. HH."),
        ("¿Puedo hablar con recursos humanos?", "Soy un asistente", "Preguntar a RR. HH."),
    ],
)
async def test_the_offer_of_a_person_is_in_the_language_asked_in(client, fake, asked, offer, button):
    message = await answered(client, fake, asked)
    assert block_text(message).startswith(offer) and buttons(message)["handoff_start"]["text"]["text"] == button


@pytest.mark.parametrize(
    "asked, expected",
    [
        ("talk to a human", "I'm an assistant that answers from the Social Media Policy, not a person. You can reach Human Resources at hr@monroe.test or on 555-0100."),
        (
            "quiero hablar con una persona",
            "Soy un asistente que responde con la Política de Redes Sociales, no una persona. Puede comunicarse con Recursos Humanos en hr@monroe.test o al 555-0100.",
        ),
    ],
)
async def test_without_an_hr_channel_the_offer_gives_the_contact_in_the_language_asked_in(aiohttp_client, assistant, fake, tmp_path, asked, expected):
    settings = slack_settings(fake, data_dir=str(tmp_path), hr_email="hr@monroe.test", hr_phone="555-0100")
    client = await aiohttp_client(create_app(assistant, settings))
    message = await answered(client, fake, asked)
    assert block_text(message) == expected and "handoff_start" not in buttons(message)


@pytest.mark.parametrize(
    "question, hr, expected",
    [
        (VACATION, {"hr_phone": "555-0100"}, "You can reach Human Resources on 555-0100."),
        ("¿Cuántos días de vacaciones tengo?", {"hr_email": "hr@monroe.test", "hr_phone": "555-0100"}, "Puede comunicarse con Recursos Humanos en hr@monroe.test o al 555-0100."),
        ("¿Cuántos días de vacaciones tengo?", {}, "Comuníquese directamente con Recursos Humanos; su administrador todavía no me ha dado los datos de contacto de Recursos Humanos."),
    ],
)
async def test_without_an_hr_channel_ask_hr_gives_the_contact_in_the_answers_language(aiohttp_client, assistant, fake, tmp_path, question, hr, expected):
    client = await aiohttp_client(create_app(assistant, slack_settings(fake, data_dir=str(tmp_path), **hr)))
    message = await answered(client, fake, question)
    await post_payload(client, message_action(fake, "handoff_start", buttons(message)["handoff_start"]["value"], message))
    [reply] = await fake.wait_for(1, "response_url")
    assert block_text(reply) == expected


@pytest.mark.parametrize(
    "question, expected",
    [
        (VACATION, "Sorry, I could not pass your question to HR just now. You can reach Human Resources at hr@monroe.test or on 555-0100."),
        (
            "¿Cuántos días de vacaciones tengo?",
            "Lo siento, no pude enviar su pregunta a Recursos Humanos en este momento. Puede comunicarse con Recursos Humanos en hr@monroe.test o al 555-0100.",
        ),
    ],
)
async def test_when_hr_cannot_be_reached_the_employee_is_told_in_the_answers_language(client, fake, question, expected):
    fake.channel_errors[HR_CHANNEL] = "not_in_channel"
    message = await answered(client, fake, question)
    await post_payload(client, message_action(fake, "handoff_start", buttons(message)["handoff_start"]["value"], message))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": question}))).status == 200
    told = [m for m in await fake.wait_for(3, "chat.postMessage") if m["channel"] == "U0ASKER"]
    assert [block_text(m) for m in told] == [expected]


async def test_a_spanish_request_for_a_person_keeps_spanish_through_hrs_reply(client, fake):
    message = await answered(client, fake, "quiero hablar con una persona de recursos humanos")
    ask_hr = buttons(message)["handoff_start"]
    assert ask_hr["text"]["text"] == "Preguntar a RR. HH." and ask_hr["value"] == "|es"  # no answer: the button carries the language

    await post_payload(client, message_action(fake, "handoff_start", ask_hr["value"], message))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == ("Preguntar a RR. HH.", "Enviar a RR. HH.", "Cancelar")
    field = next(b for b in view["blocks"] if b.get("block_id") == "message")
    assert field["label"]["text"] == "Su pregunta para Recursos Humanos" and "initial_value" not in field["element"]
    empty = await (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": " "}))).json()
    assert empty["errors"]["message"] == "Por favor, escriba lo que desea preguntar a Recursos Humanos."

    written = "¿Quién aprueba la foto de mi credencial?"
    assert (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": written}))).status == 200
    posted = await fake.wait_for(3, "chat.postMessage")
    hr_post = next(m for m in posted if m["channel"] == HR_CHANNEL)
    assert block_text(next(m for m in posted if m["channel"] == "U0ASKER")) == "Enviado a Recursos Humanos. Le responderán aquí, en privado."
    assert blocks_of(hr_post)[1]["text"]["text"] == f"<@U0ASKER> asks (in Spanish), in their own words:\n>{written}"  # HR's side: English
    [kept] = client.app[STORE].handoffs.open()
    assert kept.answer_id is None and kept.language == "es"

    handoff_id = next(e["value"] for b in blocks_of(hr_post) if b["type"] == "actions" for e in b["elements"])
    hr_message = {**hr_post, "blocks": blocks_of(hr_post)}
    await post_payload(client, message_action(fake, "handoff_reply", handoff_id, hr_message, user="U0HRPAT", channel=HR_CHANNEL))
    [_, reply_view] = await fake.wait_for(2, "views.open")
    reply_view = json.loads(reply_view["view"]) if isinstance(reply_view["view"], str) else reply_view["view"]
    assert reply_view["title"]["text"] == "Reply to the employee"
    await post_payload(client, submission("handoff_reply", reply_view["private_metadata"], {"reply": "La recepción la aprueba."}, user="U0HRPAT"))
    to_employee = (await fake.wait_for(4, "chat.postMessage"))[-1]
    assert to_employee["channel"] == "U0ASKER" and to_employee["text"] == "Recursos Humanos respondió"
    text = block_text(to_employee)
    assert f"*Recursos Humanos respondió* a su pregunta:\n>{written}" in text and "La recepción la aprueba." in text
    assert "De <@U0HRPAT>." in text and "Human Resources replied" not in text


@pytest.mark.parametrize("value", ["|xx", "|<script>alert(1)</script>", "|", "|es|es", "|ES"])
async def test_a_tampered_ask_hr_language_falls_back_to_english(client, fake, value):
    await post_payload(client, message_action(fake, "handoff_start", value, {"text": "x", "blocks": []}))
    [opened] = await fake.wait_for(1, "views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert (view["title"]["text"], view["submit"]["text"]) == ("Ask HR", "Send to HR")
    assert "script" not in json.dumps(view)
    assert (await post_payload(client, submission("handoff_send", view["private_metadata"], {"message": "Who approves badges?"}))).status == 200
    posted = await fake.wait_for(2, "chat.postMessage")  # HR's post, the confirmation
    assert block_text(next(m for m in posted if m["channel"] == "U0ASKER")) == "Sent to Human Resources. They will reply to you here, privately."
    assert client.app[STORE].handoffs.open()[0].language == "en"


@pytest.mark.parametrize("language", ["xx", "<script>", ["es"], None])
async def test_a_tampered_modal_language_falls_back_to_english(client, fake, language):
    metadata = json.dumps({"a": None, "l": language})
    empty = await (await post_payload(client, submission("handoff_send", metadata, {"message": ""}))).json()
    assert empty["errors"]["message"] == "Please write what you would like to ask HR."
    assert (await post_payload(client, submission("handoff_send", metadata, {"message": "Who approves badges?"}))).status == 200
    posted = await fake.wait_for(2, "chat.postMessage")  # HR's post, the confirmation
    assert block_text(next(m for m in posted if m["channel"] == "U0ASKER")) == "Sent to Human Resources. They will reply to you here, privately."
    assert client.app[STORE].handoffs.open()[0].language == "en"
