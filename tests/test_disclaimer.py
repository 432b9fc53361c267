import pytest

from bot.questions import QuestionError

SENTENCE = "The statements and views expressed in this posting are my own and do not reflect those of the City of Monroe."


def test_exact_sentence_from_section_3_2(assistant, policy):
    draft = assistant.disclaimer()
    assert draft.sentence == SENTENCE
    assert SENTENCE in policy.section("3.2").text
    assert draft.citations == ("3.2",)
    assert SENTENCE in draft.text
    assert draft.affiliation is None


def test_role_adds_the_affiliation_line(assistant):
    draft = assistant.disclaimer(kind="profile", role="Recreation Coordinator", department="Parks Department")
    assert draft.affiliation == "Recreation Coordinator, Parks Department, City of Monroe"
    assert draft.citations == ("3.2", "3.3.11")
    assert "Recreation Coordinator, Parks Department, City of Monroe" in draft.text
    assert "§3.3.11" in draft.text


def test_blog_adds_the_blog_guidance(assistant):
    draft = assistant.disclaimer(kind="blog")
    assert draft.citations == ("3.2", "3.4")
    assert any("first person" in line and "personal e-mail address" in line for line in draft.blog_guidance)
    assert "§3.4" in draft.text


def test_bad_kind_and_oversized_role_are_refused(assistant):
    with pytest.raises(QuestionError, match="post, profile or blog"):
        assistant.disclaimer(kind="tweet")
    with pytest.raises(QuestionError, match="too long"):
        assistant.disclaimer(role="x" * 500)


def test_control_characters_in_role_are_removed(assistant):
    draft = assistant.disclaimer(role="Clerk\x00\x1b[31m")
    assert draft.affiliation == "Clerk[31m, City of Monroe"


@pytest.mark.parametrize(
    "text, kind, role, department",
    [
        ("", "post", None, None),
        ("blog Parks Department", "blog", None, "Parks Department"),
        ("profile Police Officer", "profile", "Police Officer", None),
        ("bio  Recreation   Coordinator ", "profile", "Recreation Coordinator", None),
        ("Recreation Coordinator", "post", "Recreation Coordinator", None),
        ("BLOG", "blog", None, None),
        ("Public Works", "post", None, "Public Works"),
        ("posting about my team", "post", "posting about my team", None),
    ],
)
def test_chat_arguments_are_read_the_same_on_every_platform(text, kind, role, department):
    from bot.disclaimer import DisclaimerRequest, parse_request

    assert parse_request(text) == DisclaimerRequest(kind, role, department)
