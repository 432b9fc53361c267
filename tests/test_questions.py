import pytest

from bot.questions import MAX_QUESTION_CHARS, QuestionError, clean_question


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t", "?!", "\u200b\u200b", "🙂🙂"])
def test_nothing_to_ask(text):
    with pytest.raises(QuestionError, match="type a question"):
        clean_question(text)


def test_control_and_zero_width_characters_are_removed():
    assert clean_question("can I\x00 post\u200bon\x1b fb?") == ("can I post on fb?", False)


def test_huge_question_is_cut_at_a_word_boundary():
    text, truncated = clean_question("can I post about my pay " * 5000)
    assert truncated
    assert len(text) <= MAX_QUESTION_CHARS
    assert text.endswith("pay") or text.endswith("my") or text.split()[-1] in {"can", "I", "post", "about", "my", "pay"}


def test_answers_to_hostile_or_odd_input(assistant):
    answer = assistant.ask("<script>alert(1)</script> can I post about my salary on fb? <!channel>")
    assert answer.in_scope and answer.citations[0] == "3.1"
    answer = assistant.ask("Ｃａｎ Ｉ ｐｏｓｔ ａｂｏｕｔ ｍｙ ｐａｙ ｏｎ Ｆａｃｅｂｏｏｋ？")  # full-width letters
    assert answer.citations and answer.citations[0] == "3.1"
    answer = assistant.ask("¿Puedo usar el logo de la ciudad? ñ 漢字 🙂")
    assert isinstance(answer.text, str) and answer.text


def test_huge_question_gets_an_answer_and_says_it_was_cut(assistant):
    answer = assistant.ask("Can I sign up for LinkedIn with my city email? " + "blah " * 20000)
    assert answer.truncated
    assert answer.citations[0] == "3.3.4"
    assert "read only its beginning" in answer.text
