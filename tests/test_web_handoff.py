"""The chat page: short answers with the policy text behind a details element, and Ask HR through /api/handoff."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

import pytest

from adapters.server import create_app
from support_store import BASE_URL, settings_for
from support_web import post_form
from test_pages import Page

VACATION = "How many vacation days do I get?"


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    settings = replace(settings_for(tmp_path), hr_email="hr@monroe.test", hr_phone="555-0100")
    return await aiohttp_client(create_app(assistant, settings))


async def test_an_answer_shows_one_quote_and_keeps_the_sections_behind_details(client):
    data = await (await client.post("/api/ask", json={"question": "Can I complain about my supervisor on Facebook? Will I be disciplined?"})).json()
    html = data["html"]
    before, _, details = html.partition('<details class="policy-text">')
    assert before.count("<blockquote>") == 1 and details.count("<blockquote>") >= len(data["citations"])
    assert Page(before).text.count("National Labor Relations Act") == 1  # the caveat once (as shown, not the status line)


async def test_not_covered_offers_ask_hr_and_the_api_returns_an_email_draft(client):
    answer = await (await client.post("/api/ask", json={"question": VACATION})).json()
    page = Page(answer["html"])
    assert "/handoff" in page.forms and page.inputs["answer_id"] == answer["id"]
    resp = await client.post("/api/handoff", json={"message": VACATION + " I started in March.", "answer_id": answer["id"]})
    assert resp.status == 200
    result = await resp.json()
    assert result["email"] == "hr@monroe.test" and result["phone"] == "555-0100"
    body = unquote(result["mailto"])
    assert result["mailto"].startswith("mailto:hr@monroe.test?") and "I started in March." in body
    assert f"{BASE_URL}/a/{answer['id']}" in body
    assert "I started in March." in Page(result["html"]).text


@pytest.mark.parametrize(
    "payload, expect",
    [({"message": "   "}, "write"), ({}, "write"), ({"message": 5}, "write"), ({"message": "hi", "answer_id": "../etc"}, "answer_id")],
)
async def test_bad_hand_offs_get_a_clear_400(client, payload, expect):
    resp = await client.post("/api/handoff", json=payload)
    assert resp.status == 400 and expect in (await resp.json())["error"]


async def test_the_form_works_without_javascript(client):
    answer = await (await post_form(client, "/", {"question": VACATION})).text()
    form_token = Page(answer).inputs["csrf"]  # the Ask HR form inside the answer carries the page's token
    resp = await client.post("/handoff", data={"message": "Who approves my badge photo?", "answer_id": "", "csrf": form_token})
    assert resp.status == 200
    assert "Who approves my badge photo?" in Page(await resp.text()).text
    assert (await post_form(client, "/handoff", {"message": ""})).status == 400
    assert (await client.post("/handoff", data={"message": "no token"})).status == 403  # the guard's CSRF check


async def test_the_api_refuses_another_site(client):
    resp = await client.post("/api/handoff", json={"message": "hi"}, headers={"Origin": "https://evil.example"})
    assert resp.status == 403


async def test_without_an_email_the_page_gives_the_contact_it_has(aiohttp_client, assistant, tmp_path):
    client = await aiohttp_client(create_app(assistant, settings_for(tmp_path)))
    result = await (await client.post("/api/handoff", json={"message": "Who do I ask?"})).json()
    assert result["mailto"] is None and "contact Human Resources directly" in Page(result["html"]).text


SPANISH_VACATION = "¿Cuántos días de vacaciones tengo?"


@pytest.mark.parametrize(
    "question, lead, button, subject, permalink",
    [
        (VACATION, "Send it to Human Resources from your e-mail", "E-mail HR: hr@monroe.test or call 555-0100.",
         "Question for HR (Social Media Policy)", "The Policy Assistant's answer: "),
        (SPANISH_VACATION, "Envíela a Recursos Humanos desde su correo electrónico", "Escribir a RR. HH.: hr@monroe.test o llame al 555-0100.",
         "Pregunta para RR. HH. (Política de Redes Sociales)", "La respuesta del Asistente de Políticas: "),
    ],
)
async def test_the_api_result_and_email_draft_are_in_the_answers_language(client, question, lead, button, subject, permalink):
    answer = await (await client.post("/api/ask", json={"question": question})).json()
    result = await (await client.post("/api/handoff", json={"message": question, "answer_id": answer["id"]})).json()
    text = Page(result["html"]).text
    assert lead in text and button in text
    assert unquote(result["mailto"]).split("?subject=")[1].startswith(subject + "&body=")
    assert permalink + f"{BASE_URL}/a/{answer['id']}" in unquote(result["mailto"])


async def test_the_form_without_javascript_answers_in_spanish(client):
    answer = await (await post_form(client, "/", {"question": SPANISH_VACATION})).text()
    page = Page(answer)
    resp = await client.post("/handoff", data={"message": "¿Y si empecé en marzo?", "answer_id": page.inputs["answer_id"], "csrf": page.inputs["csrf"]})
    assert resp.status == 200
    text = Page(await resp.text()).text
    assert "Envíela a Recursos Humanos desde su correo electrónico" in text and "Send it to Human Resources" not in text
    assert '<article class="reply handoff-result" lang="es">' in await resp.text()


@pytest.mark.parametrize(
    "question, expected",
    [
        (VACATION, "Please contact Human Resources directly"),
        (SPANISH_VACATION, "Comuníquese directamente con Recursos Humanos"),
    ],
)
async def test_without_an_email_the_contact_sentence_is_in_the_answers_language(aiohttp_client, assistant, tmp_path, question, expected):
    client = await aiohttp_client(create_app(assistant, settings_for(tmp_path)))
    answer = await (await client.post("/api/ask", json={"question": question})).json()
    result = await (await client.post("/api/handoff", json={"message": question, "answer_id": answer["id"]})).json()
    assert result["mailto"] is None and Page(result["html"]).text.startswith(expected)
