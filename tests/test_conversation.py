"""Follow-ups: the pure rule (bot/conversation.py) and the Assistant reading a thread's turns."""

from __future__ import annotations

import pytest

from bot.conversation import Kind, Turn, is_acknowledgement, read_message, reread_as_follow_up
from bot.threads import MemoryThreads, turn_of

FACEBOOK_FRIEND = Turn("Can my supervisor friend me on Facebook?", ("3.5.1",), True)
PAY = Turn("Can I post about my pay on Facebook?", ("3.1", "3.2"), True)
VACATION = Turn("How many vacation days do I get?", (), False)


@pytest.mark.parametrize(
    "message",
    ["what about Instagram?", "And if I'm off duty?", "is that the same for managers?", "Instagram?", "managers too?",
     "Does it apply to interns?", "Can I do that on my lunch break?", "what if it's a private account", "y en Instagram?",
     "could I get fired for that?", "Could I be disciplined?", "even from my work computer?", "¿aunque sea la primera vez?",
     "if I black out the names?"],
)
def test_elliptical_messages_are_follow_ups_retrieved_with_the_earlier_question(message):
    reading = read_message([FACEBOOK_FRIEND], message)
    assert reading.kind is Kind.FOLLOW_UP
    assert reading.query.startswith("Can my supervisor friend me on") and reading.query.endswith(message)


@pytest.mark.parametrize(
    "message",
    ["Can I use the City logo on my personal page?", "Is it ok to post photos from a fire scene?", "Do I need a disclaimer on my blog?"],
)
def test_questions_that_stand_alone_are_not_follow_ups(message):
    reading = read_message([FACEBOOK_FRIEND], message)
    assert reading.kind is Kind.NEW and reading.query == message


@pytest.mark.parametrize("history", [[], [FACEBOOK_FRIEND]])
@pytest.mark.parametrize("message", ["thanks", "ok thank you", "ok", "Got it!", "gracias", "Muchas gracias", "vale"])
def test_thanks_are_acknowledgements_in_a_thread_or_not(message, history):
    assert read_message(history, message).kind is Kind.ACKNOWLEDGEMENT


def test_a_follow_up_after_a_thanks_reads_the_question_before_it():
    thanks = Turn("thanks!", (), False)  # kept by a thread from before thank-yous were left out
    reading = read_message([FACEBOOK_FRIEND, thanks], "what about Instagram?")
    assert reading.kind is Kind.FOLLOW_UP and reading.follows == FACEBOOK_FRIEND.question


@pytest.mark.parametrize(
    "message",
    ["why?", "Why not?", "how come", "explain that", "What does that mean?", "¿Por qué?", "why tho", "but why not though?",
     "¿Por qué no se permite?", "What's the concern, exactly?", "y eso por qué"],
)
def test_why_explains_the_last_answered_section(message):
    reading = read_message([FACEBOOK_FRIEND], message)
    assert reading.kind is Kind.EXPLAIN and reading.sections == ("3.5.1",)


@pytest.mark.parametrize(
    "message",
    ["show me the exact text", "What's the exact wording?", "quote the policy", "where does it say that?", "what's the wording",
     "¿cuál es el texto?", "¿qué dice exactamente?", "¿cómo dice la política exactamente?"],
)
def test_the_exact_text_is_the_last_answered_section(message):
    reading = read_message([PAY, VACATION], message)  # the not-covered turn in between has no section to show
    assert reading.kind is Kind.EXACT_TEXT and reading.sections == PAY.sections


@pytest.mark.parametrize("message", ["why can't I post about my pay?", "why is the city so strict about residents' posts"])
def test_a_why_question_with_a_topic_of_its_own_is_a_question(message):
    assert read_message([FACEBOOK_FRIEND], message).kind is not Kind.EXPLAIN


@pytest.mark.parametrize("message", ["how do I keep that from happening next time", "what's the worst they can do"])
def test_a_message_that_points_back_can_be_reread_with_its_thread(message):
    reading = reread_as_follow_up([PAY], message)
    assert reading.kind is Kind.FOLLOW_UP and reading.query.startswith(PAY.question) and reading.query.endswith(message)


@pytest.mark.parametrize("message", ["when is payday", "thanks", "who is the mayor of Monroe right now and how long has the mayor been in office anyway"])
def test_a_message_that_points_nowhere_is_not_reread(message):
    assert reread_as_follow_up([PAY], message) is None
    assert reread_as_follow_up([], "what's the worst they can do") is None


def test_without_history_everything_is_new():
    assert read_message([], "what about Instagram?").kind is Kind.NEW
    assert read_message([], "why?").kind is Kind.NEW


def test_a_chain_of_follow_ups_keeps_the_question_that_opened_the_topic():
    turns = [PAY, Turn("what about Instagram?", ("3.1",), True), Turn("and TikTok?", ("3.1",), True)]
    reading = read_message(turns, "and if I'm off duty?")
    assert reading.query.startswith(PAY.question)
    assert "TikTok" in reading.query and "off duty" in reading.query
    # "why?" in between carries no topic: the next follow-up still reads with the pay question
    reading = read_message([PAY, Turn("why?", ("3.1",), True)], "and if I'm off duty?")
    assert reading.query == f"{PAY.question} and if I'm off duty?"


def test_a_new_question_starts_a_new_topic():
    turns = [PAY, Turn("Can my supervisor friend me on Facebook?", ("3.5.1",), True)]
    assert read_message(turns, "and my coworkers?").query == "Can my supervisor friend me on Facebook? and my coworkers?"


def test_a_platform_in_the_follow_up_replaces_the_earlier_one():
    blog = Turn("Do I need a disclaimer on my blog?", ("3.4",), True)
    assert read_message([blog], "what about my Facebook profile?").query == "Do I need a disclaimer on my ? what about my Facebook profile?"
    assert "Facebook" in read_message([PAY], "and if I'm off duty?").query  # no platform named: kept


def test_acknowledgements():
    assert is_acknowledgement("Thanks!") and is_acknowledgement("ok, got it")
    assert not is_acknowledgement("thanks, but can I post about my pay?")


# --- through the Assistant ---------------------------------------------------------------


def ask_thread(assistant, *questions):
    history, answers = (), []
    for q in questions:
        answer = assistant.ask(q, history=history)
        history += (turn_of(answer),)
        answers.append(answer)
    return answers


def test_what_about_instagram_after_a_supervisor_question_keeps_its_section(assistant):
    alone = assistant.ask("what about Instagram?")
    first, follow = ask_thread(assistant, "Can my supervisor friend me on Facebook?", "what about Instagram?")
    assert alone.citations[:1] != ("3.5.1",)  # on its own it is about Instagram in general
    assert follow.question == "what about Instagram?" and follow.citations[0] == first.citations[0] == "3.5.1"
    assert follow.extras["reading"] == "follow_up"


def test_off_duty_after_a_pay_question_keeps_the_caveat(assistant):
    _, follow = ask_thread(assistant, "Can I post about my pay on Facebook?", "and if I'm off duty?")
    assert follow.in_scope and follow.nlra_caveat


def test_could_i_get_fired_after_criticising_the_council_finds_the_discipline_section(assistant):
    *_, follow = ask_thread(assistant, "Can I criticize the city council on Twitter?", "could I get fired for that?")
    assert follow.citations[0] == "3.8"


def test_a_disclaimer_follow_up_about_a_profile_moves_from_blogs_to_the_disclaimer(assistant):
    _, follow = ask_thread(assistant, "Do I need a disclaimer on my blog?", "what about my Facebook profile?")
    assert follow.citations[0] == "3.2"


def test_could_i_be_fired_after_a_complaint_finds_the_discipline_section(assistant):
    *_, follow = ask_thread(assistant, "Can I complain about my boss on Facebook?", "what about on Reddit?", "could I be fired?")
    assert follow.citations[0] == "3.8" and follow.nlra_caveat


def test_why_and_the_exact_text_show_the_previous_section_whole(assistant, policy):
    first, why, text = ask_thread(assistant, "Do I need a disclaimer on my blog?", "why?", "show me the exact text")
    assert first.citations[0] == "3.4"
    for answer in (why, text):
        assert answer.citations == ("3.4",) and answer.quotes[0].excerpt == policy.get("3.4").text
    assert why.extras["reading"] == "explain" and text.extras["reading"] == "exact_text"


def test_a_thread_message_the_policy_misses_alone_is_read_with_the_thread(assistant):
    alone = assistant.ask("what's the worst they can do")
    *_, follow = ask_thread(assistant, "Can I get written up for a Facebook post about my boss?", "what's the worst they can do")
    assert not alone.in_scope
    assert follow.in_scope and follow.citations[0] == "3.8"


def test_converse_remembers_turns_per_thread_and_forgets_other_threads(assistant):
    import copy

    bot = copy.copy(assistant)
    bot.threads = MemoryThreads()
    bot.converse("Can my supervisor friend me on Facebook?", thread="t1", channel="cli")
    follow = bot.converse("what about Instagram?", thread="t1", channel="cli")
    other = bot.converse("what about Instagram?", thread="t2", channel="cli")
    assert follow.citations[0] == "3.5.1" and follow.extras["thread"] == "t1"
    assert other.citations[:1] != ("3.5.1",)
    assert [t.question for t in bot.threads.history("t1")] == ["Can my supervisor friend me on Facebook?", "what about Instagram?"]


# --- help words: one list for Slack and Teams ------------------------------------------------


@pytest.mark.parametrize("text", ["", "?", "help", "Hi!", "hello", "hey", "usage", "start", "hola", "¡Hola!", "Ayuda", "¿ayuda?", "buenas tardes"])
def test_greetings_and_help_in_english_and_spanish_ask_for_help(text):
    from bot.help import wants_help

    assert wants_help(text)


@pytest.mark.parametrize("text", ["help me with my Facebook post", "hola, ¿puedo publicar sobre mi salario?", "hi can I post about my pay?"])
def test_a_question_that_opens_with_a_greeting_is_a_question(text):
    from bot.help import wants_help

    assert not wants_help(text)
