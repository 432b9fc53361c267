"""A conversation's turns in the answer store: follow-ups work across workers and restarts.

Each answer given in a thread adds a row (question, cited sections, in scope); a follow-up
reads the thread's latest few. Rows older than THREAD_MEMORY are removed as new ones come.

In the service the rows are written in the background (like the answers, bot/store/writer.py):
a locked or slow database never holds up a reply. Turns not yet committed are kept in memory
and read with the committed ones, so the very next message of a thread already sees them.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from bot.conversation import MAX_TURNS, Turn
from bot.store.engine import explain, writer
from bot.store.schema import thread_turns
from bot.threads import THREAD_KEY_MAX

log = logging.getLogger(__name__)

THREAD_MEMORY = timedelta(days=7)  # a thread is not read back further than this
MAX_PENDING = 5_000  # beyond this backlog (a database down for long) new turns are not kept
BATCH_WAIT_S = 0.02
RETRY_S = (0.1, 0.5, 1.0, 2.0, 5.0)
_STOP = object()


class StoreThreads:
    """The Threads of an AnswerStore (same engine): reads never fail a question, they forget instead.

    background=True (the service): remember() queues the row and returns at once.
    """

    def __init__(self, store, *, background: bool = False) -> None:
        self.store = store
        self._writer = writer(store.engine)
        self._pending: list[dict] = []
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        if background:
            self._queue = queue.Queue()
            self._thread = threading.Thread(target=self._run, name="policybot-thread-writer", daemon=True)
            self._thread.start()

    # --- reading --------------------------------------------------------------------------

    def history(self, thread: str, *, within: timedelta | None = None) -> tuple[Turn, ...]:
        thread = thread[:THREAD_KEY_MAX]
        since = datetime.now(UTC) - min(within or THREAD_MEMORY, THREAD_MEMORY)
        query = (
            sa.select(thread_turns.c.created_at, thread_turns.c.question, thread_turns.c.sections, thread_turns.c.in_scope)
            .where(thread_turns.c.thread == thread, thread_turns.c.created_at >= since)
            .order_by(thread_turns.c.created_at.desc(), thread_turns.c.id.desc())
            .limit(MAX_TURNS)
        )
        with self._lock:
            pending = [r for r in self._pending if r["thread"] == thread and r["created_at"] >= since]
        try:
            with self.store.engine.connect() as conn:
                rows = [dict(r._mapping) for r in conn.execute(query)]
        except SQLAlchemyError as exc:
            log.error("answer store: could not read thread history: %s", explain(exc, self.store.location))
            rows = []
        merged = sorted([*rows, *pending], key=lambda r: r["created_at"])[-MAX_TURNS:]
        return tuple(Turn(r["question"], tuple(r["sections"] or ()), bool(r["in_scope"])) for r in merged)

    # --- writing --------------------------------------------------------------------------

    def remember(self, thread: str, turn: Turn, *, answer_id: str | None = None) -> None:
        row = {
            "thread": thread[:THREAD_KEY_MAX],
            "created_at": datetime.now(UTC),
            "question": turn.question,
            "sections": list(turn.sections),
            "in_scope": turn.in_scope,
            "answer_id": answer_id,
        }
        if self._queue is None:
            try:
                self._write([row])
            except SQLAlchemyError as exc:
                log.error("answer store: could not remember a thread turn: %s", explain(exc, self.store.location))
            return
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                log.error("answer store: %d thread turns wait for the database; this one is not kept", MAX_PENDING)
                return
            self._pending.append(row)
        self._queue.put(row)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every queued turn is committed; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None or not self._thread.is_alive():
                    return False
                self._idle.wait(min(left, 0.1))
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Drain the queue and stop the writer (the service's shutdown)."""
        if self._queue is not None and self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def _write(self, rows: list[dict]) -> None:
        with self._writer.begin() as conn:
            conn.execute(thread_turns.insert(), rows)
            conn.execute(thread_turns.delete().where(thread_turns.c.created_at < datetime.now(UTC) - THREAD_MEMORY))

    def _run(self) -> None:
        assert self._queue is not None
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, deadline = [first], time.monotonic() + BATCH_WAIT_S
            while True:
                try:
                    item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                batch.append(item)
            for attempt in range(len(RETRY_S) + 1):
                try:
                    self._write(batch)
                    break
                except SQLAlchemyError as exc:
                    if attempt == len(RETRY_S):
                        log.error("answer store: %d thread turns not kept: %s", len(batch), explain(exc, self.store.location))
                    else:
                        time.sleep(RETRY_S[attempt])
            with self._idle:
                ids = {id(r) for r in batch}
                self._pending = [r for r in self._pending if id(r) not in ids]
                self._idle.notify_all()
