"""The composed answer: citations, quotes, wording from templates, out-of-scope replies."""

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
