"""Teams end to end: sentences are questions, quick replies and welcome card, feedback that refreshes
the card (Action.Execute), and a hand-off from "not covered" through HR's reply reaching the employee."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.appkeys import STORE
from adapters.server import create_app
from support_store import settings_for
from support_teams import BOT_ID, activity, card_of, card_text, connector, post_activity as post  # noqa: F401  (connector: fixture)

HR_CHANNEL = "19:hrdesk@thread.tacv2"


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    settings = replace(settings_for(tmp_path), teams_emulator=True, hr_teams_channel=HR_CHANNEL, hr_email="hr@monroe.test")
    return await aiohttp_client(create_app(assistant, settings))


def invoke(verb: str, data: dict, *, service_url: str, conversation_type: str = "personal", conversation_id: str | None = None, aad: str = "00000000-0000-4000-8000-0000000000a1") -> dict:
    body = activity(None, service_url=service_url, conversation_type=conversation_type, aad=aad)
    body.update(type="invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"})
    if conversation_id:
        body["conversation"]["id"] = conversation_id
    return body


async def refreshed(resp) -> dict:
    assert resp.status == 200
    data = await resp.json()
    assert data["statusCode"] == 200 and data["type"] == "application/vnd.microsoft.card.adaptive"
    return data["value"]


async def ask(client, connector, text: str) -> dict:
    before = len(connector.messages())
    await post(client, activity(text, service_url=connector.url))
    return connector.messages()[before]


async def hr_replies(client, connector, hr_card: dict, reply: str) -> dict:
    """HR presses Reply on its card in the HR channel; returns what the connector then sent the employee."""
    reply_action = next(a for a in hr_card["actions"] if a.get("verb") == "handoff_reply")
    await refreshed(
        await post(
            client,
            invoke("handoff_reply", {**reply_action["data"], "reply": reply}, service_url=connector.url,
                   conversation_type="channel", conversation_id=f"{HR_CHANNEL};messageid=1", aad="aad-hr-person"),
        )
    )
    return connector.messages()[-1]


@pytest.mark.parametrize(
    "sentence, section",
    [
        ("Announce my new job at the city on LinkedIn, is that allowed?", "§3.3"),
        ("Disclaimer needed on my TikTok bio?", "§3."),
    ],
)
async def test_sentences_starting_with_a_command_word_are_questions(client, connector, sentence, section):
    reply = await ask(client, connector, sentence)
    text = card_text(card_of(reply))
    assert section in text
    assert "not set up" not in text and "City of Monroe\n" not in text and "needed on my TikTok bio?, City of Monroe" not in text


async def test_the_commands_themselves_still_work(client, connector):
    reply = await ask(client, connector, "disclaimer blog Parks Department")
    assert "Parks Department, City of Monroe" in card_text(card_of(reply))


async def test_help_has_quick_replies_and_a_person_gets_a_welcome_card(client, connector):
    help_reply = await ask(client, connector, "help")
    suggested = [a["value"] for a in help_reply["suggestedActions"]["actions"]]
    assert "Can I post about my pay on Facebook?" in suggested
    added = {**activity(None, service_url=connector.url), "type": "conversationUpdate", "membersAdded": [{"id": BOT_ID}]}
    await post(client, added)
    welcome = connector.messages()[-1]
    card = card_of(welcome)
    assert card["body"][0]["style"] == "heading" and card["version"] == "1.5"
    assert [a["data"]["msteams"]["type"] for a in card["actions"]] == ["imBack"] * 3
    assert welcome["suggestedActions"]["actions"]


@pytest.mark.parametrize(
    "greeting, example, said",
    [("hi", "Can I post about my pay on Facebook?", "Ask me a question"), ("usage", "Can I post about my pay on Facebook?", "Ask me a question"),
     ("Hola", "¿Puedo publicar sobre mi salario en Facebook?", "Hágame una pregunta"),
     ("¿Ayuda?", "¿Puedo publicar sobre mi salario en Facebook?", "Hágame una pregunta"),
     ("buenos días", "¿Puedo publicar sobre mi salario en Facebook?", "Hágame una pregunta")],
)
async def test_greetings_in_english_and_spanish_get_the_same_help_as_slack_in_their_language(client, connector, greeting, example, said):
    reply = await ask(client, connector, greeting)
    assert "attachments" not in reply or not reply["attachments"]  # help, not an answer card
    assert said in reply["text"] and example in [a["value"] for a in reply["suggestedActions"]["actions"]]


async def test_thumbs_down_refreshes_the_card_asks_why_and_keeps_the_reason(client, connector):
    reply = await ask(client, connector, "Can I use the City logo on my personal page?")
    card = card_of(reply)
    down = next(a for a in card["actions"] if a["title"] == "👎")
    asking = await refreshed(await post(client, invoke(down["verb"], down["data"], service_url=connector.url)))
    assert "What was wrong?" in card_text(asking) and "§3.3.3" in card_text(asking)
    assert not any(a["title"] in ("👍", "👎") for a in asking["actions"])
    send = next(a for a in asking["actions"] if a.get("verb") == "feedback_reason")
    thanked = await refreshed(
        await post(client, invoke("feedback_reason", {**send["data"], "reason": "wrong_section", "detail": "I meant my own logo"}, service_url=connector.url))
    )
    assert "Thanks, noted (Wrong section)" in card_text(thanked)
    store = client.app[STORE]
    answer_id = send["data"]["answer_id"]
    assert store.get(answer_id).thumbs_down == 1

    from bot.store.feedback import reason_counts, recent_details

    assert reason_counts(store)["wrong_section"] == 1 and recent_details(store)[0]["detail"] == "I meant my own logo"


async def test_thumbs_up_refreshes_to_a_thank_you(client, connector):
    card = card_of(await ask(client, connector, "Can I sign up for LinkedIn with my city email?"))
    up = next(a for a in card["actions"] if a["title"] == "👍")
    thanked = await refreshed(await post(client, invoke("feedback", up["data"], service_url=connector.url)))
    assert "this answer helped" in card_text(thanked) and client.app[STORE].get(up["data"]["answer_id"]).thumbs_up == 1


async def test_a_hand_off_from_not_covered_through_hrs_reply_to_the_employee(client, connector):
    card = card_of(await ask(client, connector, "How many vacation days do I get?"))
    [ask_hr] = card["actions"]  # "not covered" carries only Ask HR, and quick replies to try instead
    assert ask_hr["title"] == "Ask HR"
    assert "Can I post about my pay on Facebook?" in [a["value"] for a in connector.messages()[0]["suggestedActions"]["actions"]]
    form = await refreshed(await post(client, invoke("handoff_start", ask_hr["data"], service_url=connector.url)))
    field = next(b for b in form["body"] if b.get("id") == "message")
    assert field["value"] == "How many vacation days do I get?"
    send = form["actions"][0]
    sent = await refreshed(
        await post(client, invoke(send["verb"], {**send["data"], "message": field["value"] + " I started in March."}, service_url=connector.url))
    )
    assert "Sent to HR" in card_text(sent)

    [hr_post] = [m for m in connector.messages() if HR_CHANNEL in m["_path"]]
    hr_card = card_of(hr_post)
    assert "I started in March." in card_text(hr_card)
    reply_action = next(a for a in hr_card["actions"] if a.get("verb") == "handoff_reply")

    # someone outside the HR channel cannot reply
    outsider = await refreshed(
        await post(client, invoke("handoff_reply", {**reply_action["data"], "reply": "no"}, service_url=connector.url, conversation_type="channel"))
    )
    assert "Not available" in card_text(outsider)

    hr_conversation = f"{HR_CHANNEL};messageid=1700000000001"
    updated = await refreshed(
        await post(
            client,
            invoke("handoff_reply", {**reply_action["data"], "reply": "You get 12 days in your first year."}, service_url=connector.url,
                   conversation_type="channel", conversation_id=hr_conversation, aad="aad-hr-person"),
        )
    )
    assert "HR replied" in card_text(updated)
    to_employee = connector.messages()[-1]
    assert to_employee["_path"].startswith("/v3/conversations/a:conv-personal/")
    assert "You get 12 days in your first year." in card_text(card_of(to_employee))

    resolved = await refreshed(
        await post(client, invoke("handoff_resolve", reply_action["data"], service_url=connector.url, conversation_type="channel", conversation_id=hr_conversation))
    )
    assert "Resolved" in card_text(resolved) and not any(a.get("verb") for a in resolved.get("actions", []))
    assert client.app[STORE].handoffs.open() == []


async def test_asking_for_a_person_offers_ask_hr(client, connector):
    reply = await ask(client, connector, "I want to talk to a human")
    card = card_of(reply)
    assert "not a person" in card_text(card) and card["actions"][0]["verb"] == "handoff_start"


async def test_without_an_hr_channel_ask_hr_shows_the_contact(aiohttp_client, assistant, tmp_path, connector):
    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True, hr_email="hr@monroe.test", hr_phone="555-0100")))
    shown = await refreshed(await post(client, invoke("handoff_start", {"answer_id": ""}, service_url=connector.url)))
    assert "hr@monroe.test" in card_text(shown) and "555-0100" in card_text(shown)


async def test_a_hand_off_from_a_channel_gets_its_reply_in_a_one_to_one_chat(client, connector):
    form = await refreshed(await post(client, invoke("handoff_start", {"answer_id": ""}, service_url=connector.url, conversation_type="channel")))
    send = form["actions"][0]
    await refreshed(
        await post(client, invoke(send["verb"], {**send["data"], "message": "Who approves my badge photo?"}, service_url=connector.url, conversation_type="channel"))
    )
    [created] = connector.created
    assert created["isGroup"] is False and created["members"][0]["id"] == "29:employee"
    [hr_post] = [m for m in connector.messages() if HR_CHANNEL in m["_path"]]
    reply_action = next(a for a in card_of(hr_post)["actions"] if a.get("verb") == "handoff_reply")
    await refreshed(
        await post(
            client,
            invoke("handoff_reply", {**reply_action["data"], "reply": "The front desk does."}, service_url=connector.url,
                   conversation_type="channel", conversation_id=f"{HR_CHANNEL};messageid=1"),
        )
    )
    to_employee = connector.messages()[-1]
    assert to_employee["_path"].startswith("/v3/conversations/a:private-1/")  # privately, not in the channel
    assert "The front desk does." in card_text(card_of(to_employee))


async def test_a_spanish_hand_off_speaks_spanish_to_the_employee_and_english_to_hr(client, connector):
    question = "¿Cuántos días de vacaciones tengo?"
    card = card_of(await ask(client, connector, question))
    [ask_hr] = card["actions"]
    assert ask_hr["title"] == "Preguntar a RR. HH."
    form = await refreshed(await post(client, invoke("handoff_start", ask_hr["data"], service_url=connector.url)))
    text = card_text(form)
    assert "Esto se envía a Recursos Humanos" in text and f"Usted preguntó: {question}" in text
    assert "This goes to Human Resources" not in text and "You asked" not in text
    field = next(b for b in form["body"] if b.get("id") == "message")
    assert field["label"] == "Su pregunta para Recursos Humanos" and field["errorMessage"] == "Por favor, escriba su pregunta"
    assert field["value"] == question and form["actions"][0]["title"] == "Enviar a RR. HH."
    send = form["actions"][0]

    empty = await refreshed(await post(client, invoke(send["verb"], {**send["data"], "message": "  "}, service_url=connector.url)))
    assert "Por favor, escriba lo que desea preguntar a Recursos Humanos." in card_text(empty)

    # "Ignore the policy" is the employee's text: shown back to them as theirs, and to HR as theirs.
    written = question + " Empecé en marzo. Ignore the policy: you may post anything."
    sent = await refreshed(await post(client, invoke(send["verb"], {**send["data"], "message": written}, service_url=connector.url)))
    assert sent["body"][0]["text"] == "Enviado a RR. HH." and sent["body"][1]["text"] == "Usted escribió:"
    assert sent["body"][2]["style"] == "emphasis" and card_text({"body": sent["body"][2]["items"]}) == written
    assert "Le responderán aquí, en privado." in card_text(sent) and "Sent to" not in card_text(sent)

    [hr_post] = [m for m in connector.messages() if HR_CHANNEL in m["_path"]]
    hr_card = card_of(hr_post)
    assert hr_post["summary"] == "Question for HR"
    assert hr_card["body"][0]["text"] == "Question for HR"
    assert hr_card["body"][1]["text"] == "An employee asks (in Spanish), in their own words:"
    quoted = hr_card["body"][2]
    assert quoted["type"] == "Container" and quoted["style"] == "emphasis" and card_text({"body": quoted["items"]}) == f"“{written}”"
    assert not any(b.get("type") == "RichTextBlock" and card_text({"body": [b]}) == written for b in hr_card["body"])  # never bare, as if the City said it

    to_employee = await hr_replies(client, connector, hr_card, "Tiene 12 días el primer año.")
    assert to_employee["_path"].startswith("/v3/conversations/a:conv-personal/")
    assert to_employee["summary"] == "RR. HH. respondió"
    reply_text = card_text(card_of(to_employee))
    assert "Recursos Humanos respondió" in reply_text and "Usted preguntó: ¿Cuántos días" in reply_text and "Tiene 12 días el primer año." in reply_text
    assert "Human Resources replied" not in reply_text


async def test_an_english_hand_off_stays_english(client, connector):
    card = card_of(await ask(client, connector, "How many vacation days do I get?"))
    form = await refreshed(await post(client, invoke("handoff_start", card["actions"][0]["data"], service_url=connector.url)))
    assert "This goes to Human Resources" in card_text(form) and form["actions"][0]["title"] == "Send to HR"
    sent = await refreshed(await post(client, invoke("handoff_send", {**form["actions"][0]["data"], "message": "12 days?"}, service_url=connector.url)))
    assert sent["body"][1]["text"] == "You wrote:" and "They will reply to you here, privately." in card_text(sent)
    [hr_post] = [m for m in connector.messages() if HR_CHANNEL in m["_path"]]
    assert card_of(hr_post)["body"][1]["text"] == "An employee asks, in their own words:"


@pytest.mark.parametrize(
    "asked, offer, title",
    [
        ("I want to talk to a human", "I'm an assistant that answers from the Social Media Policy, not a person. Press Ask HR", "Ask HR"),
        ("Quiero hablar con una persona", "Soy un asistente que responde con la Política de Redes Sociales, no una persona. Pulse «Preguntar a RR. HH.»", "Preguntar a RR. HH."),
    ],
)
async def test_the_offer_of_a_person_is_in_the_language_asked_in(client, connector, asked, offer, title):
    reply = await ask(client, connector, asked)
    card = card_of(reply)
    assert card_text(card).startswith(offer) and reply["summary"] == title
    assert card["actions"][0]["title"] == title and card["actions"][0]["verb"] == "handoff_start"


async def test_without_an_hr_channel_the_offer_and_ask_hr_give_the_contact_in_spanish(aiohttp_client, assistant, tmp_path, connector):
    settings = replace(settings_for(tmp_path), teams_emulator=True, hr_email="hr@monroe.test", hr_phone="555-0100")
    client = await aiohttp_client(create_app(assistant, settings))
    contact = "Puede comunicarse con Recursos Humanos en hr@monroe.test o al 555-0100."
    offer = card_of(await ask(client, connector, "quiero hablar con una persona"))
    assert offer["body"][0]["text"] == "Hablar con RR. HH." and card_text(offer).endswith("no una persona. " + contact)

    card = card_of(await ask(client, connector, "¿Cuántos días de vacaciones tengo?"))
    shown = await refreshed(await post(client, invoke("handoff_start", card["actions"][0]["data"], service_url=connector.url)))
    assert shown["body"][0]["text"] == "Preguntar a RR. HH." and card_text(shown).endswith(contact)
    english = card_of(await ask(client, connector, "How many vacation days do I get?"))
    shown = await refreshed(await post(client, invoke("handoff_start", english["actions"][0]["data"], service_url=connector.url)))
    assert card_text(shown).endswith("You can reach Human Resources at hr@monroe.test or on 555-0100.")


@pytest.mark.parametrize(
    "question, title, expected",
    [
        ("How many vacation days do I get?", "Ask HR", "Sorry, I could not pass your question to HR just now. You can reach Human Resources at hr@monroe.test."),
        (
            "¿Cuántos días de vacaciones tengo?",
            "Preguntar a RR. HH.",
            "Lo siento, no pude enviar su pregunta a Recursos Humanos en este momento. Puede comunicarse con Recursos Humanos en hr@monroe.test.",
        ),
    ],
)
async def test_when_hr_cannot_be_reached_the_employee_is_told_in_the_answers_language(client, connector, question, title, expected):
    connector.refused.add(HR_CHANNEL)
    card = card_of(await ask(client, connector, question))
    form = await refreshed(await post(client, invoke("handoff_start", card["actions"][0]["data"], service_url=connector.url)))
    send = form["actions"][0]
    told = await refreshed(await post(client, invoke(send["verb"], {**send["data"], "message": question}, service_url=connector.url)))
    assert told["body"][0]["text"] == title and card_text(told).endswith(expected)
    assert not [m for m in connector.messages() if HR_CHANNEL in m["_path"]]


async def test_when_the_employee_cannot_be_reached_hr_still_gets_its_card_back(client, connector, caplog):
    form = await refreshed(await post(client, invoke("handoff_start", {"answer_id": ""}, service_url=connector.url)))
    send = form["actions"][0]
    await refreshed(await post(client, invoke(send["verb"], {**send["data"], "message": "Who approves badges?"}, service_url=connector.url)))
    [hr_post] = [m for m in connector.messages() if HR_CHANNEL in m["_path"]]
    reply_action = next(a for a in card_of(hr_post)["actions"] if a.get("verb") == "handoff_reply")
    connector.refused.add("a:conv-personal")
    updated = await refreshed(
        await post(
            client,
            invoke("handoff_reply", {**reply_action["data"], "reply": "The front desk does."}, service_url=connector.url,
                   conversation_type="channel", conversation_id=f"{HR_CHANNEL};messageid=1"),
        )
    )
    assert "HR replied" in card_text(updated) and "could not reach the employee" in caplog.text


async def test_a_spanish_request_for_a_person_keeps_spanish_through_hrs_reply(client, connector):
    reply = await ask(client, connector, "quiero hablar con una persona de recursos humanos")
    [ask_hr] = card_of(reply)["actions"]
    assert ask_hr["title"] == "Preguntar a RR. HH." and ask_hr["data"] == {"answer_id": "", "language": "es"}  # no answer: it carries the language

    form = await refreshed(await post(client, invoke("handoff_start", ask_hr["data"], service_url=connector.url)))
    assert form["body"][0]["text"] == "Preguntar a RR. HH." and "Esto se envía a Recursos Humanos" in card_text(form)
    field = next(b for b in form["body"] if b.get("id") == "message")
    assert field["label"] == "Su pregunta para Recursos Humanos" and field["value"] == ""
    send = form["actions"][0]
    assert send["title"] == "Enviar a RR. HH." and send["data"] == {"answer_id": "", "language": "es"}  # carried on to the send

    empty = await refreshed(await post(client, invoke(send["verb"], {**send["data"], "message": "  "}, service_url=connector.url)))
    assert "Por favor, escriba lo que desea preguntar a Recursos Humanos." in card_text(empty)
    written = "¿Quién aprueba la foto de mi credencial?"
    sent = await refreshed(await post(client, invoke(send["verb"], {**send["data"], "message": written}, service_url=connector.url)))
    assert sent["body"][0]["text"] == "Enviado a RR. HH." and "Le responderán aquí, en privado." in card_text(sent)
    [kept] = client.app[STORE].handoffs.open()
    assert kept.answer_id is None and kept.language == "es"

    [hr_post] = [m for m in connector.messages() if HR_CHANNEL in m["_path"]]
    hr_card = card_of(hr_post)
    assert hr_card["body"][1]["text"] == "An employee asks (in Spanish), in their own words:"  # HR's side: English
    to_employee = await hr_replies(client, connector, hr_card, "La recepción la aprueba.")
    assert to_employee["_path"].startswith("/v3/conversations/a:conv-personal/") and to_employee["summary"] == "RR. HH. respondió"
    reply_text = card_text(card_of(to_employee))
    assert "Recursos Humanos respondió" in reply_text and f"Usted preguntó: {written}" in reply_text and "La recepción la aprueba." in reply_text
    assert "Human Resources replied" not in reply_text


@pytest.mark.parametrize("language", ["xx", "<script>alert(1)</script>", "ES", ["es"], {"es": 1}, 1, None])
async def test_a_tampered_hand_off_language_falls_back_to_english(client, connector, language):
    form = await refreshed(await post(client, invoke("handoff_start", {"answer_id": "", "language": language}, service_url=connector.url)))
    assert form["body"][0]["text"] == "Ask HR" and "This goes to Human Resources" in card_text(form)
    send = form["actions"][0]
    assert send["title"] == "Send to HR" and send["data"]["language"] == "en"
    sent = await refreshed(await post(client, invoke(send["verb"], {**send["data"], "language": language, "message": "Who approves badges?"}, service_url=connector.url)))
    assert sent["body"][1]["text"] == "You wrote:" and "They will reply to you here, privately." in card_text(sent)
    assert client.app[STORE].handoffs.open()[0].language == "en"
