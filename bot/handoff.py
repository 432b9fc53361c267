"""Hand-off to HR: who to contact, when someone asks for a person, what is sent to HR.

Pure (no I/O). The store keeps hand-offs (bot/store/handoffs.py); each platform's adapter
posts them to its HR channel and brings HR's reply back to the employee privately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.answer import Answer
from bot.settings import Settings
from bot.templates import WordedError
from knowledge.language import ANSWERED

MAX_MESSAGE_CHARS = 3000  # what the employee sends HR: room for a paragraph, within Slack's limits

ASKS_IN_SPANISH = re.compile(r"\bhablar con (?:una persona|recursos humanos)\b", re.IGNORECASE)
WANTS_PERSON = re.compile(
    r"\b(?:talk|speak|chat|get in touch|connect me)\s+(?:to|with)\s+(?:hr|human resources|a (?:real )?(?:person|human)|someone|somebody)\b"
    r"|\b(?:a |real )(?:human|person)\b|\bhuman being\b|\bcontact (?:hr|human resources)\b|\bask (?:hr|human resources)\b"
    r"|" + ASKS_IN_SPANISH.pattern,
    re.IGNORECASE,
)


def wants_person(text: str) -> bool:
    """"talk to HR", "can I speak to a human?": the person asks for a person, not the policy."""
    return bool(WANTS_PERSON.search(text or ""))


def person_language(text: str) -> str:
    """The language to offer HR in, after a request for a person: "es" after "quiero hablar con
    una persona" or "hablar con recursos humanos", else "en"."""
    return "es" if ASKS_IN_SPANISH.search(text or "") else "en"


class Status(str, Enum):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"


@dataclass(frozen=True)
class HrContact:
    email: str | None
    phone: str | None
    slack_channel: str | None
    teams_channel: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> HrContact:
        return cls(settings.hr_email, settings.hr_phone, settings.hr_slack_channel, settings.hr_teams_channel)


@dataclass(frozen=True)
class Handoff:
    """A question sent to HR by an employee, and what became of it."""

    id: str
    created_at: datetime
    channel: str  # slack, teams
    user_id: str | None
    answer_id: str | None
    question: str
    message: str  # what the employee sent, as they edited it
    status: Status
    employee_ref: dict  # how to reach the employee privately (Slack user id; Teams conversation reference)
    language: str = "en"  # the employee's (employee_language): HR's reply reaches them in it, answer or not
    hr_ref: dict | None = None  # where HR's copy was posted
    reply: str | None = None
    replied_by: str | None = None
    replied_at: datetime | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None


class HandoffError(WordedError):
    """A hand-off cannot be sent as given; the message says why, for the person."""


def clean_message(text: object) -> str:
    """What the employee (or HR) typed: required, collapsed, bounded."""
    if not isinstance(text, str) or not text.strip():
        raise HandoffError("err_handoff_empty")
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    return "\n".join(lines)[:MAX_MESSAGE_CHARS]


def draft_question(answer: Answer | None, typed: str | None = None) -> str:
    """What the employee's message to HR starts as (they can edit it): their question."""
    if typed and not wants_person(typed):
        return typed
    return answer.question if answer is not None and not wants_person(answer.question) else ""


def employee_language(answer: Answer | None, carried: object = None) -> str:
    """The language to speak to the employee in, about their hand-off: that of the answer they ask
    HR about ("es" after a Spanish question), else the one carried by the Ask HR button or the
    hand-off (the offer of a person has no answer), else English. The carried value comes back
    from the platform, so only a language we answer in is taken. HR's side is always English."""
    chosen = answer.language if answer is not None else carried
    return chosen if isinstance(chosen, str) and chosen in ANSWERED else "en"
