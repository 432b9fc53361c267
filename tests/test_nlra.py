import pytest

from bot.nlra import NlraRules
from knowledge.tokenizer import normalize


@pytest.mark.parametrize(
    "question",
    [
        "Can I post about my pay on Facebook?",
        "can i complain about my supervisor on twitter",
        "we want to unionize, can we organize in a facebook group",
        "can I post about unsafe conditions at the plant",
        "Can I get fired for something I posted?",
        "can i badmouth the city on instagram",
        "is it ok to post that we are short staffed",
    ],
)
def test_caveat_on_protected_topics(assistant, question):
    answer = assistant.ask(question)
    assert answer.nlra_caveat, question
    assert answer.nlra_reason
    assert "National Labor Relations Act" in answer.text
    assert any(q.section_id == "3.8" for q in answer.caveat_quotes)


@pytest.mark.parametrize(
    "question",
    [
        "Do I need a disclaimer on my blog?",
        "Can I sign up for LinkedIn with my city email?",
        "Should I accept friend requests from my direct reports?",
        "a resident asked me about their lawsuit on facebook, can I reply",
        "can I scroll TikTok during work hours",
    ],
)
def test_no_caveat_where_it_does_not_belong(assistant, question):
    answer = assistant.ask(question)
    assert answer.in_scope
    assert not answer.nlra_caveat, (question, answer.nlra_reason)
    assert "National Labor Relations Act" not in answer.text


def test_caveat_from_the_section_an_answer_rests_on():
    rules = NlraRules.load()
    decision = rules.decide(normalize("what happens to people who post bad stuff"), "3.8")
    assert decision.applies and "3.8" in decision.reason
    assert not rules.decide(normalize("who do I tell"), "3.5.3").applies


def test_out_of_scope_answers_carry_no_caveat(assistant):
    answer = assistant.ask("When is the next payday?")
    assert not answer.in_scope and not answer.nlra_caveat and answer.citations == ()


@pytest.mark.parametrize(
    "question, caveat",
    [
        ("Can I use the city logo on my personal Instagram?", True),  # §3.3.3's logo rule exempts concerted activity
        ("can i wear my uniform in a tiktok", True),
        ("is posting screenshots of confidential documents allowed", False),  # §3.3.3's confidentiality rule: no labor matter
        ("As a 911 dispatcher can I post about a crazy call I took last night?", False),
    ],
)
def test_section_3_3_3_brings_the_caveat_for_logos_not_for_confidential_information(assistant, question, caveat):
    answer = assistant.ask(question)
    assert answer.citations[0] == "3.3.3" and answer.nlra_caveat is caveat


@pytest.mark.parametrize(
    "question",
    ["Can I post a selfie in my city-issued safety vest?", "Someone on Facebook is asking me about their code violation case. What do I say?"],
)
def test_lookalike_phrases_do_not_bring_the_caveat(assistant, question):
    """A "safety vest" is gear and a "code violation" a resident's case: neither is a labor matter."""
    assert assistant.ask(question).nlra_caveat is False


def test_a_real_safety_complaint_still_does(assistant):
    assert assistant.ask("Can I post that the safety gear at the plant is broken and unsafe?").nlra_caveat is True
