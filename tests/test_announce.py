"""HR's announcement drafts from the core: a question or a named section, with the policy's words."""

from __future__ import annotations

import pytest

from bot.assistant import section_reference


@pytest.mark.parametrize(
    "text, expected",
    [("§3.3.4", "3.3.4"), ("section 3.4", "3.4"), ("Sec. 3.8", "3.8"), ("3.1", "3.1"), ("3.3.4.", "3.3.4"),
     ("Can I post about my pay?", None), ("3.3.4 and 3.4", None), ("my pay in 2025", None)],
)
def test_section_references(text, expected):
    assert section_reference(text) == expected


def test_a_named_section_is_announced_whole(assistant, policy):
    answer = assistant.announce("§3.4", channel="cli")
    assert answer.citations == ("3.4",) and answer.quotes[0].excerpt == policy.section("3.4").text
    draft = assistant.render_announcement(answer, "text")
    assert "first person" in draft and "§3.4 Blogs" in draft and "October 6, 2025" in draft
    assert "National Labor Relations Act" not in draft  # blogs are not an NLRA topic


def test_an_announced_nlra_section_carries_the_rights_line(assistant):
    draft = assistant.render_announcement(assistant.announce("section 3.8", channel="cli"), "text")
    assert "National Labor Relations Act" in draft and "§3.8" in draft


def test_a_question_is_answered_then_drafted(assistant):
    answer = assistant.announce("Can I post about my pay on Facebook?", channel="cli")
    assert answer.nlra_caveat and answer.citations[0] in {"3.1", "3.8"}
    assert "National Labor Relations Act" in assistant.render_announcement(answer, "text")


def test_an_uncovered_topic_or_unknown_section_says_so(assistant):
    for text in ("How many vacation days do I get?", "§9.9"):
        answer = assistant.announce(text, channel="cli")
        assert not answer.in_scope and answer.citations == ()
        assert "does not cover" in assistant.render_announcement(answer, "text")


def test_the_permalink_is_in_the_draft_when_the_store_kept_it(assistant):
    from dataclasses import replace

    answer = assistant.announce("3.3.4", channel="cli")
    linked = replace(answer, extras={**answer.extras, "permalink": "https://policy.monroe.test/a/abc123XYZ"})
    assert "https://policy.monroe.test/a/abc123XYZ" in assistant.render_announcement(linked, "text")
    assert "Read more" not in assistant.render_announcement(answer, "text")
