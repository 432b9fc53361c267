"""A conversation's turns in the answer store: follow-ups work across workers and restarts.

Each answer given in a thread adds a row (question, cited sections, in scope); a follow-up
reads the thread's latest few. Rows older than THREAD_MEMORY are removed as new ones come.
In the service a turn is written like the answers themselves, off the request path, in the
write queue's batches (bot/store/writer.py): a locked or slow database never holds a reply.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation import MAX_TURNS, Turn
from bot.store.engine import explain, writer
from bot.store.schema import thread_turns
from bot.threads import THREAD_KEY_MAX

log = logging.getLogger(__name__)

THREAD_MEMORY = timedelta(days=7)  # a thread is not read back further than this
# A follow-up first waits this long for this process's own queued turns (the batch protocol
# asks the next line at once); a database that is slower than that answers without them.
PENDING_WAIT_S = 2.0


class StoreThreads:
    """The Threads of an AnswerStore (same engine): reads never fail a question, they forget instead."""

    def __init__(self, store) -> None:
        self.store = store
        self._writer = writer(store.engine)
        if store.queue is not None:
            store.queue.turn_memory = THREAD_MEMORY

    def _wait_for_queued_turns(self, thread: str) -> None:
        """This process's own turns of the thread, queued a moment ago, are part of its history."""
        if self.store.queue is not None:
            self.store.queue.wait_for_thread(thread[:THREAD_KEY_MAX], PENDING_WAIT_S)

    def history(self, thread: str, *, within: timedelta | None = None) -> tuple[Turn, ...]:
        self._wait_for_queued_turns(thread)
        since = datetime.now(UTC) - min(within or THREAD_MEMORY, THREAD_MEMORY)
        query = (
            sa.select(thread_turns.c.question, thread_turns.c.sections, thread_turns.c.in_scope)
            .where(thread_turns.c.thread == thread[:THREAD_KEY_MAX], thread_turns.c.created_at >= since)
            .order_by(thread_turns.c.created_at.desc(), thread_turns.c.id.desc())
            .limit(MAX_TURNS)
        )
        try:
            with self.store.engine.connect() as conn:
                rows = conn.execute(query).all()
        except SQLAlchemyError as exc:
            log.error("answer store: could not read thread history: %s", explain(exc, self.store.location))
            return ()
        return tuple(Turn(r.question, tuple(r.sections or ()), bool(r.in_scope)) for r in reversed(rows))

    def remember(self, thread: str, turn: Turn, *, answer_id: str | None = None) -> None:
        now = datetime.now(UTC)
        row = {
            "thread": thread[:THREAD_KEY_MAX],
            "created_at": now,
            "question": turn.question,
            "sections": list(turn.sections),
            "in_scope": turn.in_scope,
            "answer_id": answer_id,
        }
        if self.store.queue is not None:
            if not self.store.queue.put_turn(row):
                log.error("answer store: a thread turn was not kept (the database is failing)")
            return
        try:
            with self._writer.begin() as conn:
                conn.execute(thread_turns.insert().values(row))
                conn.execute(thread_turns.delete().where(thread_turns.c.created_at < now - THREAD_MEMORY))
        except SQLAlchemyError as exc:
            log.error("answer store: could not remember a thread turn: %s", explain(exc, self.store.location))
