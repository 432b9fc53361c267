"""Reasons for a 👎 in the answer store, and their counts for the report."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.feedback import REASONS
from bot.store.engine import writer
from bot.store.schema import feedback_reasons


def record_reason(store, answer_id: str, reason: str, detail: str | None, *, channel: str, voter: str) -> None:
    with writer(store.engine).begin() as conn:
        conn.execute(
            feedback_reasons.insert().values(
                answer_id=answer_id, voter=voter, channel=channel, reason=reason, detail=detail, created_at=datetime.now(UTC)
            )
        )


def reason_counts(store, *, since: datetime | None = None) -> dict[str, int]:
    """Every reason, at zero when nobody picked it, so the report always lists them all."""
    query = sa.select(feedback_reasons.c.reason, sa.func.count()).group_by(feedback_reasons.c.reason)
    if since:
        query = query.where(feedback_reasons.c.created_at >= since)
    with store.engine.connect() as conn:
        found = dict(conn.execute(query).all())
    return {r: int(found.get(r, 0)) for r in REASONS}


def recent_details(store, *, since: datetime | None = None, limit: int = 10) -> list[dict]:
    """People's own words, newest first, with the answer they were about."""
    query = (
        sa.select(feedback_reasons.c.answer_id, feedback_reasons.c.reason, feedback_reasons.c.detail, feedback_reasons.c.created_at)
        .where(feedback_reasons.c.detail.is_not(None))
        .order_by(feedback_reasons.c.created_at.desc(), feedback_reasons.c.id.desc())
        .limit(limit)
    )
    if since:
        query = query.where(feedback_reasons.c.created_at >= since)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
