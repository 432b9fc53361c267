"""`policybot report`: what employees ask, what the policy does not cover, what they disliked.

For HR: most-asked questions (repeats counted whatever their case or spacing), questions
the policy did not cover (candidates for the policy or an FAQ), answers given a 👎, and
answers per channel. The two question lists count questions of their own only: a follow-up
("why?", "what about Instagram?") means nothing out of its thread, so the answers the thread
reader (bot/conversation.py) did not read as new are left out of them (answers kept before the
store recorded the reading count as new). The command itself is bot/store/report_cli.py.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from bot.store.schema import answers

if TYPE_CHECKING:
    from bot.store.answers import AnswerStore

CHANNELS = ("slack", "teams", "web", "cli")  # always listed, even at zero
# How the message was read, as the store keeps it in answer_json (bot/store/answers.py).
READING = answers.c.answer_json["reading"].as_string()
NEW_QUESTION = sa.func.coalesce(READING, "new") == "new"


@dataclass(frozen=True)
class AskedQuestion:
    question: str  # the latest wording asked
    count: int
    last_asked: datetime
    citations: list[str]  # of the latest answer
    permalink: str


@dataclass(frozen=True)
class DislikedAnswer:
    question: str
    thumbs_down: int
    thumbs_up: int
    citations: list[str]
    channel: str
    asked: datetime
    permalink: str


@dataclass(frozen=True)
class OpenHandoff:
    """A question sent to HR and not yet resolved: HR's to-do list, oldest first."""

    id: str
    channel: str
    message: str
    status: str  # open (no reply yet) or answered
    created_at: datetime
    age_hours: float
    permalink: str | None  # the answer it came from


@dataclass(frozen=True)
class Report:
    since: date | None
    generated: datetime
    total: int
    per_channel: dict[str, int]
    thumbs_up: int
    thumbs_down: int
    most_asked: list[AskedQuestion]
    not_covered: list[AskedQuestion]
    disliked: list[DislikedAnswer]
    # Why answers got a 👎 (every reason listed, zero or not) and people's own words, newest first.
    feedback_reasons: dict[str, int] = field(default_factory=dict)
    feedback_details: list[dict] = field(default_factory=list)
    open_handoffs: list[OpenHandoff] = field(default_factory=list)

    def to_json(self) -> dict:
        def plain(value):
            if isinstance(value, (datetime, date)):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return plain(asdict(self))


def build_report(store: AnswerStore, *, since: date | None = None, limit: int = 10) -> Report:
    start = datetime.combine(since, time.min, tzinfo=UTC) if since else None
    window = [answers.c.created_at >= start] if start else []

    def top(*where) -> list[AskedQuestion]:
        grouped = (
            sa.select(answers.c.question_key, sa.func.count().label("n"), sa.func.max(answers.c.created_at).label("last"))
            .where(*window, NEW_QUESTION, *where)
            .group_by(answers.c.question_key)
            .order_by(sa.desc("n"), sa.desc("last"), answers.c.question_key)
            .limit(limit)
        )
        out = []
        for key, n, _last in conn.execute(grouped).all():
            latest = conn.execute(
                sa.select(answers.c.id, answers.c.question, answers.c.citations, answers.c.created_at)
                .where(*window, NEW_QUESTION, *where, answers.c.question_key == key)
                .order_by(answers.c.created_at.desc(), answers.c.id)
                .limit(1)
            ).one()
            out.append(AskedQuestion(latest.question, n, latest.created_at, list(latest.citations), store.permalink(latest.id)))
        return out

    with store.engine.connect() as conn:
        per_channel = dict.fromkeys(CHANNELS, 0)
        per_channel.update(
            conn.execute(sa.select(answers.c.channel, sa.func.count()).where(*window).group_by(answers.c.channel)).all()
        )
        up, down = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(answers.c.thumbs_up), 0), sa.func.coalesce(sa.func.sum(answers.c.thumbs_down), 0)).where(*window)
        ).one()
        most_asked = top()
        not_covered = top(answers.c.in_scope.is_(False))
        disliked = [
            DislikedAnswer(r.question, r.thumbs_down, r.thumbs_up, list(r.citations), r.channel, r.created_at, store.permalink(r.id))
            for r in conn.execute(
                sa.select(answers)
                .where(*window, answers.c.thumbs_down > 0)
                .order_by(answers.c.thumbs_down.desc(), answers.c.created_at.desc(), answers.c.id)
                .limit(limit)
            ).all()
        ]
    from bot.store.feedback import reason_counts, recent_details

    now = datetime.now(UTC)
    open_handoffs = [
        OpenHandoff(
            h.id, h.channel, h.message, h.status.value, h.created_at,
            round((now - h.created_at).total_seconds() / 3600, 1), store.permalink(h.answer_id) if h.answer_id else None,
        )
        for h in store.handoffs.open(limit=limit)
    ]
    return Report(
        feedback_reasons=reason_counts(store, since=start),
        feedback_details=recent_details(store, since=start, limit=limit),
        open_handoffs=open_handoffs,
        since=since,
        generated=datetime.now(UTC),
        total=sum(per_channel.values()),
        per_channel=per_channel,
        thumbs_up=int(up),
        thumbs_down=int(down),
        most_asked=most_asked,
        not_covered=not_covered,
        disliked=disliked,
    )
