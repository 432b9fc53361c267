"""The composed answer: citations, quotes, wording from templates, out-of-scope replies."""

import pytest

from bot.composer import Composer
from bot.templates import Templates


def test_answer_quotes_and_cites(assistant, policy):
    answer = assistant.ask("Can I sign up for LinkedIn with my city email?")
    assert answer.citations[0] == "3.3.4"
    main = answer.quotes[0]
    assert main.excerpt in policy.section("3.3.4").text
    assert "§3.3.4" in answer.text
    assert main.excerpt in answer.text
    assert "October 6, 2025" in answer.text


def test_excerpt_of_a_long_section_is_its_relevant_sentence(assistant, policy):
    answer = assistant.ask("Can I post about my pay on Facebook?")
    main = answer.quotes[0]
    assert main.section_id == "3.1"
    assert main.excerpt.startswith("Employees are protected by the National Labor Relations Act")
    assert len(main.excerpt) < len(policy.section("3.1").text)


def test_not_covered_cites_nothing_and_points_to_hr(assistant):
    answer = assistant.ask("How many vacation days do I get?")
    assert not answer.in_scope
    assert answer.citations == ()
    assert "Human Resources" in answer.text
    assert "§" not in answer.text


def test_wording_comes_from_templates(tmp_path, policy, library):
    (tmp_path / "not_covered.text.j2").write_text("Ask HR at extension 4100. ({{ answer.policy.number }})")
    composer = Composer(policy, templates=Templates(tmp_path), summaries=library.summaries(policy))
    assert composer.answer("What's the weather tomorrow?").text == "Ask HR at extension 4100. (026)"


def test_answer_json_shape(assistant):
    data = assistant.ask("Can I post about my pay on Facebook?").to_json()
    assert isinstance(data["answer"], str) and data["answer"]
    assert data["citations"][0] == "3.1"
    assert data["nlra_caveat"] is True and data["in_scope"] is True


@pytest.mark.parametrize(
    "question",
    ["Can I post about safety problems at the water plant?", "can i post that the city is unsafe", "ok to tweet about our hours cut?"],
)
def test_posting_about_a_protected_topic_cites_the_policys_own_words(assistant, question):
    answer = assistant.ask(question)
    assert answer.in_scope and answer.citations[0] == "3.1" and answer.nlra_caveat


def test_criticising_the_city_online_is_answered_with_the_caveat(assistant):
    answer = assistant.ask("Can I criticize the city manager's budget on facebook?")
    assert answer.in_scope and answer.citations[0] in {"3.1", "3.3.8"} and answer.nlra_caveat


@pytest.mark.parametrize("question", ["how much overtime pay do i get", "how do i file a grievance", "when is payday"])
def test_a_protected_topic_without_social_media_is_still_for_hr(assistant, question):
    answer = assistant.ask(question)
    assert not answer.in_scope and answer.citations == ()


def test_an_unsure_answer_says_so_and_offers_the_two_likeliest_sections(assistant):
    answer = assistant.ask("a question about posting")  # vague: no section stands out
    assert answer.in_scope and answer.confidence is not None and answer.confidence < 0.35
    assert len(answer.alternatives) == 2
    assert "not sure" in answer.text and f"§{answer.alternatives[1]}" in answer.text


def test_json_says_why_the_caveat_applies_and_how_sure_the_citation_is(assistant):
    data = assistant.ask("can they fire me for complaining about my pay on facebook").to_json()
    assert data["nlra_caveat"] is True and data["nlra_reason"]
    assert 0.0 < data["confidence"] <= 1.0
    assert assistant.ask("What's the weather tomorrow?").to_json()["confidence"] is None


def test_a_question_the_caveat_model_is_sure_of_stays_in_scope(policy):
    """The scope rescue (Fusion.rescue_none / rescue_caveat) needs both: P(not covered) under its
    bound and the caveat model's reading over its own."""
    from dataclasses import replace

    from bot.assistant import Assistant
    from knowledge.classifier import LearnedModel

    question = "How do I reset my VPN password?"
    model = LearnedModel.load()
    shipped = Assistant(model=model).ask(question)
    assert not shipped.in_scope and not shipped.citations
    always = Assistant(model=replace(model, fusion=replace(model.fusion, rescue_none=1.0, rescue_caveat=0.0))).ask(question)
    assert always.in_scope and always.citations
    unsure = Assistant(model=replace(model, fusion=replace(model.fusion, rescue_none=1.0, rescue_caveat=1.0))).ask(question)
    assert not unsure.in_scope and not unsure.citations
