"""Spanish questions get Spanish answers quoting the official English text; other languages are told which are answered."""

from __future__ import annotations

import pytest

from knowledge.language import detect


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("¿Puedo publicar sobre mi salario en Facebook?", "es"),
        ("can i be fired for a tiktok", "en"),
        ("Can I sign up for LinkedIn with my city email?", "en"),
        ("我可以在脸书上发布我的工资吗", "zh"),
        ("Tôi có thể đăng về lương của mình trên Facebook không?", "vi"),
    ],
)
def test_language_is_recognised(text, code):
    assert detect(text).code == code


def test_spanish_question_gets_spanish_lead_and_official_english_quote(assistant, policy):
    answer = assistant.ask("¿Puedo usar mi correo de la ciudad para abrir una cuenta de LinkedIn?")
    assert answer.language == "es"
    assert answer.citations[0] == "3.3.4"
    assert "Texto oficial de la política (en inglés)" in answer.text
    assert answer.quotes[0].excerpt in policy.section("3.3.4").text  # the quote stays the policy's own English
    assert answer.quotes[0].summary and answer.quotes[0].summary in answer.text
    assert "Recursos Humanos" in answer.text


def test_spanish_pay_question_carries_the_caveat_in_spanish(assistant):
    answer = assistant.ask("puedo quejarme en el face de lo poco que nos pagan?")
    assert answer.language == "es" and answer.in_scope and answer.nlra_caveat
    assert "Ley Nacional de Relaciones Laborales" in answer.text


def test_spanish_question_the_policy_does_not_cover_points_to_hr_in_spanish(assistant):
    answer = assistant.ask("¿Cuántos días de vacaciones me tocan este año?")
    assert answer.language == "es" and not answer.in_scope and answer.citations == ()
    assert "no trata ese tema" in answer.text and "Recursos Humanos" in answer.text


@pytest.mark.parametrize("text", ["我可以在脸书上发布我的工资吗", "Tôi có thể đăng về lương của mình trên Facebook không?"])
def test_other_languages_get_the_languages_reply_in_english_and_spanish(assistant, text):
    answer = assistant.ask(text)
    assert not answer.in_scope and answer.citations == () and not answer.nlra_caveat
    assert "English and Spanish" in answer.text and "inglés y en español" in answer.text
    assert "§" not in answer.text


def test_spanish_answers_quote_the_sentence_their_lead_is_about_and_date_it_in_spanish(assistant):
    answer = assistant.ask("puedo quejarme en el face de lo poco que nos pagan?")
    assert answer.quotes[0].section_id == "3.1"
    assert answer.quotes[0].excerpt.startswith("Employees are protected by the National Labor Relations Act")
    assert "6 de octubre de 2025" in answer.text and "October" not in answer.text


def test_a_spanish_answer_has_spanish_controls_on_slack_teams_and_the_page(assistant):
    import json
    from dataclasses import replace

    answer = assistant.ask("¿Puedo usar mi correo de la ciudad para abrir una cuenta de LinkedIn?")
    answer = replace(answer, extras={**answer.extras, "id": "AbCdEfGhIjK"})
    slack = assistant.render(answer, "slack", permalink="https://x.test/a/AbCdEfGhIjK", section_url=lambda s: "u", mode="ephemeral", asker=None, feedback=None)
    labels = [e["text"]["text"] for b in json.loads(slack)["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "Ver el texto de la política" in labels and "Publicar en el canal" in labels and "Show policy text" not in labels
    teams = json.loads(assistant.render(answer, "teams.json", permalink="https://x.test/a/AbCdEfGhIjK", section_url=lambda s: "u", feedback=None))
    assert "Ver el texto de la política" in {a.get("title") for a in teams["actions"]}
    page = assistant.render(answer, "web.html", permalink="https://x.test/a/AbCdEfGhIjK", section_url=lambda s: "u")
    assert 'lang="es"' in page and "Ver el texto de la política" in page and "Enlace a esta respuesta" in page
