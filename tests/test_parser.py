from datetime import date
from pathlib import Path

import pytest

from knowledge.parser import PolicyParseError, join_lines, parse_policy

DATA = Path(__file__).parent / "data"
EXPECTED_IDS = (
    ["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "3", "3.1", "3.2", "3.3"]
    + [f"3.3.{i}" for i in range(1, 13)]
    + ["3.4", "3.5", "3.5.1", "3.5.2", "3.5.3", "3.6", "3.7", "3.8", "4", "5", "6", "7"]
)


def test_every_numbered_section_in_order(policy):
    assert [s.id for s in policy.sections] == EXPECTED_IDS


def test_policy_metadata(policy):
    assert policy.number == "026"
    assert policy.title == "Social Media (Social Networking) Policy"
    assert policy.effective_date == date(2025, 10, 6)
    assert policy.series == "Employee Relations"
    assert [(h.action, h.date) for h in policy.history] == [
        ("Adopted", date(2018, 7, 16)),
        ("Revised", date(2025, 10, 6)),
    ]
    assert policy.revision == "2025-10-06"


@pytest.mark.parametrize(
    ("section_id", "heading"),
    [
        ("1", "Purpose"),
        ("2", "Definitions"),
        ("2.1", "Social Media"),
        ("2.3", "Blogs"),
        ("3.2", "Application of Policy"),
        ("3.3", "General Guidelines"),
        ("3.4", "Blogs"),
        ("3.5", "Personal Matters"),
        ("3.6", "Reliance Upon Information from Social Media"),
        ("3.7", "City-Sponsored Media Sites"),
        ("3.8", "Violations of this Policy"),
        ("7", "Legislative History of Authority for Creation or Revision"),
        ("3.1", None),
        ("3.3.4", None),
    ],
)
def test_headings(policy, section_id, heading):
    assert policy.section(section_id).heading == heading


def test_parents(policy):
    assert policy.section("3.3.4").parent == "3.3"
    assert policy.section("3.5.1").parent == "3.5"
    assert policy.section("3").parent is None
    assert policy.heading_path("3.5.1") == ["Statement of Policy", "Personal Matters"]


def test_page_artefacts_are_removed_from_3_1(policy):
    text = policy.section("3.1").text
    assert "Section Name" not in text and "Policy Number" not in text and "Effective" not in text
    # The running header sat between "as" and "defined above": the sentence reads as one.
    assert "share information using a wide variety of social media as defined above. However," in text
    assert text.endswith("in order not to infringe upon such rights.")


def test_lone_page_numbers_are_removed(policy):
    # "3" and "4" stood on lines of their own between 3.3.2/3.3.3 and inside 3.3.12.
    assert policy.section("3.3.2").text.endswith("on behalf of the City.")
    assert "resident, or vendor initiates such communication" in policy.section("3.3.12").text
    assert " 4 " not in policy.section("3.3.12").text


def test_real_hyphens_survive_line_breaks(policy):
    assert "using non-City technology when linked" in policy.section("3.2").text


def test_section_texts(policy):
    assert policy.section("3.3.4").text.startswith("Do not register, enroll, or otherwise sign up")
    assert policy.section("3.3.4").text.endswith("for social media management.")
    assert policy.section("3.4").text.startswith("If your blog is self-hosted")
    assert policy.section("6").text == "None."
    assert policy.section("3.3").text == ""
    assert "“friending”" in policy.section("3.5.1").text


def test_anchor_and_label(policy):
    s = policy.section("3.3.4")
    assert s.anchor == "s3-3-4"
    assert s.label == "§3.3.4"
    assert policy.section("3.4").label == "§3.4 Blogs"


def test_a_second_policy_in_the_same_style_parses():
    policy = parse_policy((DATA / "031-remote-work-policy.txt").read_text(encoding="utf-8"), source_name="031.txt")
    assert policy.number == "031"
    assert policy.title == "Remote Work (Telework) Policy"
    assert policy.series == "Human Resources"
    assert policy.effective_date == date(2024, 3, 11)
    assert [s.id for s in policy.sections] == ["1", "2", "2.1", "2.2", "3", "3.1", "3.2", "3.2.1", "3.2.2", "3.3", "4", "5"]
    assert policy.section("3.1").heading == "Eligibility"
    assert policy.section("3.1").text.endswith("may be withdrawn with notice.")
    assert "Section Name" not in policy.section("3.1").text
    assert policy.section("3.2.1").text.endswith("must use City-issued equipment for City business and keep it secure.")
    assert policy.section("3.3").heading == "Hours and Availability"


def test_stray_number_in_body_text_is_not_a_section():
    text = "Policy Number: 099\nTest Policy\n1. Purpose: Why.\n2. Rules:\n2.1 Keep it short.\n7 days is the limit\nfor replies.\n3. Application: All.\n"
    policy = parse_policy(text)
    assert [s.id for s in policy.sections] == ["1", "2", "2.1", "3"]
    assert policy.section("2.1").text == "Keep it short. 7 days is the limit for replies."


def test_soft_hyphens_are_rejoined():
    assert join_lines(["the commu-", "nication works"]) == "the communication works"
    assert join_lines(["self-", "hosted blog"]) == "self-hosted blog"


def test_text_without_sections_is_refused():
    with pytest.raises(PolicyParseError):
        parse_policy("Just a memo.\nNothing numbered here.")
