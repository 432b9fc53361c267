"""Hand-offs to HR in the answer store: created when an employee sends one, updated by HR.

Every change is one UPDATE guarded by the status it expects, so two HR people pressing
"Mark resolved" together, or a reply racing a resolve, leave one consistent row.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.handoff import Handoff, Status
from bot.store.engine import writer
from bot.store.schema import handoffs

log = logging.getLogger(__name__)

ID_BYTES = 8


def _row_to_handoff(row) -> Handoff:
    return Handoff(
        id=row.id,
        created_at=row.created_at,
        channel=row.channel,
        user_id=row.user_id,
        answer_id=row.answer_id,
        question=row.question,
        message=row.message,
        status=Status(row.status),
        employee_ref=dict(row.employee_ref or {}),
        language=row.language,
        hr_ref=dict(row.hr_ref) if row.hr_ref else None,
        reply=row.reply,
        replied_by=row.replied_by,
        replied_at=row.replied_at,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


class HandoffStore:
    """Hand-offs kept beside the answers (same engine). Errors propagate: the adapter apologises."""

    def __init__(self, store) -> None:
        self.engine = store.engine
        self._writer = writer(store.engine)

    def create(
        self,
        *,
        channel: str,
        user_id: str | None,
        answer_id: str | None,
        question: str,
        message: str,
        employee_ref: dict,
        language: str = "en",
    ) -> Handoff:
        """`language`: the employee's, already decided (bot.handoff.employee_language)."""
        row = {
            "created_at": datetime.now(UTC),
            "channel": channel,
            "user_id": user_id,
            "answer_id": answer_id,
            "question": question[:4000],
            "message": message,
            "status": Status.OPEN.value,
            "employee_ref": employee_ref,
            "language": language,
        }
        for _attempt in range(5):
            row["id"] = secrets.token_urlsafe(ID_BYTES)
            try:
                with self._writer.begin() as conn:
                    conn.execute(handoffs.insert().values(row))
                break
            except IntegrityError:
                continue
        return self.get(row["id"])

    def get(self, handoff_id: str) -> Handoff | None:
        if not isinstance(handoff_id, str) or not 6 <= len(handoff_id) <= 32:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(handoffs).where(handoffs.c.id == handoff_id)).first()
        return _row_to_handoff(row) if row else None

    def posted(self, handoff_id: str, hr_ref: dict) -> None:
        """Where HR's copy went, so it can be updated when HR replies or resolves."""
        with self._writer.begin() as conn:
            conn.execute(handoffs.update().where(handoffs.c.id == handoff_id).values(hr_ref=hr_ref))

    def reply(self, handoff_id: str, text: str, *, by: str | None) -> Handoff | None:
        """HR's reply; None when the hand-off is unknown or already resolved."""
        with self._writer.begin() as conn:
            done = conn.execute(
                handoffs.update()
                .where(handoffs.c.id == handoff_id, handoffs.c.status != Status.RESOLVED.value)
                .values(reply=text, replied_by=by, replied_at=datetime.now(UTC), status=Status.ANSWERED.value)
            )
        return self.get(handoff_id) if done.rowcount else None

    def resolve(self, handoff_id: str, *, by: str | None) -> Handoff | None:
        """Mark resolved; None when unknown or resolved before (the second press changes nothing)."""
        with self._writer.begin() as conn:
            done = conn.execute(
                handoffs.update()
                .where(handoffs.c.id == handoff_id, handoffs.c.status != Status.RESOLVED.value)
                .values(resolved_by=by, resolved_at=datetime.now(UTC), status=Status.RESOLVED.value)
            )
        return self.get(handoff_id) if done.rowcount else None

    def open(self, *, limit: int = 50) -> list[Handoff]:
        """Not yet resolved, oldest first: what `policybot report` lists with its age."""
        query = (
            sa.select(handoffs)
            .where(handoffs.c.status != Status.RESOLVED.value)
            .order_by(handoffs.c.created_at, handoffs.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_row_to_handoff(r) for r in conn.execute(query)]
