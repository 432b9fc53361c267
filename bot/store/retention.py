"""How long answers are kept: POLICYBOT_RETENTION_DAYS, applied by `policybot purge` (and daily by the service).

Purging deletes the answers older than the cut-off with their votes (questions, user ids,
feedback), old delivery ids, and conversation turns, hand-offs to HR and 👎 reasons as old.
Their links then show "this answer link doesn't work".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from bot.store.engine import writer
from bot.store.schema import answers, deliveries, feedback_reasons, handoffs, thread_turns, votes

if TYPE_CHECKING:
    from bot.store.answers import AnswerStore


@dataclass(frozen=True)
class Purged:
    cutoff: datetime
    answers: int
    votes: int


def cutoff_for(days: int, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=days)


def purge(store: AnswerStore, days: int, *, dry_run: bool = False, now: datetime | None = None) -> Purged:
    """Delete answers (and their votes) created more than `days` days ago; count only with dry_run."""
    cutoff = cutoff_for(days, now)
    old = sa.select(answers.c.id).where(answers.c.created_at < cutoff)
    with writer(store.engine).begin() as conn:
        n_votes = conn.execute(sa.select(sa.func.count()).select_from(votes).where(votes.c.answer_id.in_(old))).scalar_one()
        n_answers = conn.execute(sa.select(sa.func.count()).select_from(old.subquery())).scalar_one()
        if not dry_run:
            conn.execute(votes.delete().where(votes.c.answer_id.in_(old)))
            conn.execute(answers.delete().where(answers.c.created_at < cutoff))
            conn.execute(deliveries.delete().where(deliveries.c.created_at < cutoff))
            # Conversations, hand-offs to HR and 👎 reasons hold what people wrote: the same cut-off.
            conn.execute(thread_turns.delete().where(thread_turns.c.created_at < cutoff))
            conn.execute(feedback_reasons.delete().where(feedback_reasons.c.created_at < cutoff))
            # ...except hand-offs HR has not answered yet: an employee is still waiting on those.
            conn.execute(handoffs.delete().where(handoffs.c.created_at < cutoff, handoffs.c.status != "open"))
    return Purged(cutoff, n_answers, n_votes)
