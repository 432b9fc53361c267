"""The answer store's write queue: the answer and its link go back first, the row follows.

Recording an answer used to be an INSERT + COMMIT before the reply, on the threads that also
served /a/{id}: throughput halved, and a locked or frozen database froze the pages. Now one
background thread writes queued rows in batches (one transaction per batch), while:
  - rows not yet committed are kept in memory, so a link works the moment it is given;
  - a failing database keeps its rows queued and retried, and `healthy` turns False so new
    answers go out without a link (saying so) instead of links that might never exist;
  - close() drains the queue (SIGTERM loses nothing); kill -9 loses at most what was queued
    and not yet committed: the current batch, a few tens of milliseconds of answers.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.store.schema import answers, thread_turns

log = logging.getLogger(__name__)

BATCH_MAX = 500  # rows per transaction
BATCH_WAIT_S = 0.02  # how long the writer gathers rows before committing (the kill -9 loss bound)
MAX_PENDING = 20_000  # beyond this backlog new answers go out without a link
RETRY_S = (0.1, 0.5, 1.0, 2.0, 5.0)  # back-off while the database refuses writes

_STOP = object()
TURN = "turn"  # a queued thread turn travels as (TURN, row); an answer as its row


class WriteQueue:
    def __init__(self, engine: Engine, explain: Callable[[BaseException], str]) -> None:
        self.engine = engine
        self.explain = explain
        self.healthy = True
        self.last_error: str | None = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._pending: dict[str, dict] = {}
        self._turns_pending: dict[str, int] = {}  # thread -> its turns queued, not yet committed
        self.turn_memory = None  # a timedelta: turns older than this are removed as new ones are written
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._run, name="policybot-store-writer", daemon=True)
        self._thread.start()

    # --- the request side: never waits for the database ---------------------------------

    def put(self, row: dict) -> bool:
        """Queue a row; False (nothing queued) while the database is failing or the backlog is full."""
        with self._lock:
            if not self.healthy or len(self._pending) >= MAX_PENDING or not self._thread.is_alive():
                return False
            self._pending[row["id"]] = row
        self._queue.put(row)
        return True

    def put_turn(self, row: dict) -> bool:
        """Queue a thread turn (bot/store/threads.py), written in the same batches as the answers."""
        with self._lock:
            if not self.healthy or len(self._turns_pending) >= MAX_PENDING or not self._thread.is_alive():
                return False
            self._turns_pending[row["thread"]] = self._turns_pending.get(row["thread"], 0) + 1
        self._queue.put((TURN, row))
        return True

    def wait_for_thread(self, thread: str, timeout: float) -> bool:
        """Wait until a thread's queued turns are committed (a follow-up reads them); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._turns_pending.get(thread):
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._idle.wait(min(left, 0.1))
        return True

    def pending(self, answer_id: str) -> dict | None:
        """A row given out but not yet committed (its link already works)."""
        with self._lock:
            return self._pending.get(answer_id)

    @property
    def backlog(self) -> int:
        with self._lock:
            return len(self._pending)

    # --- draining -------------------------------------------------------------------------

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every queued row is committed (tests, the CLI, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending or self._turns_pending:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._idle.wait(min(left, 0.1))
        return True

    def close(self, timeout: float = 30.0) -> None:
        """Drain the queue, then stop the thread (SIGTERM's path: nothing given out is lost)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive() or self._pending:
            log.error("answer store: %d answers could not be written before shutdown", self.backlog)

    # --- the writer thread ------------------------------------------------------------------

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._gather()
            if batch:
                self._write_until_done(batch, stopping)

    def _gather(self) -> tuple[list[dict], bool]:
        """The next batch: wait for a row, let more gather for BATCH_WAIT_S, take them all at once.

        One wake-up per batch rather than per row: the writer takes the GIL from the event loop
        and the answering threads as seldom as it can.
        """
        first = self._queue.get()
        if first is _STOP:
            return [], True
        time.sleep(BATCH_WAIT_S)
        batch = [first]
        while len(batch) < BATCH_MAX:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                self._queue.put(_STOP)  # finish this batch, then the loop sees the stop
                break
            batch.append(item)
        return batch, False

    def _write_until_done(self, batch: list[dict], stopping: bool) -> None:
        attempt = 0
        while True:
            try:
                self._write(batch)
                break
            except SQLAlchemyError as exc:
                self.last_error = self.explain(exc)
                if self.healthy:
                    log.error("answer store: writes are failing (%s); answers go out without links until it recovers", self.last_error)
                self.healthy = False
                time.sleep(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                attempt += 1
        if not self.healthy:
            log.warning("answer store: writes recovered")
        self.healthy, self.last_error = True, None
        with self._idle:
            for item in batch:
                if isinstance(item, tuple):
                    thread = item[1]["thread"]
                    self._turns_pending[thread] -= 1
                    if not self._turns_pending[thread]:
                        del self._turns_pending[thread]
                else:
                    self._pending.pop(item["id"], None)
            self._idle.notify_all()

    def _write(self, batch: list) -> None:
        from bot.store.engine import writer

        rows = [item for item in batch if not isinstance(item, tuple)]
        turns = [item[1] for item in batch if isinstance(item, tuple)]
        try:
            with writer(self.engine).begin() as conn:
                if rows:
                    conn.execute(answers.insert(), rows)
                self._write_turns(conn, turns)
        except IntegrityError:
            with writer(self.engine).begin() as conn:
                self._write_turns(conn, turns)
            # An id drawn twice (1 in 2**64): write the others one by one; the duplicate is dropped.
            for row in rows:
                try:
                    with writer(self.engine).begin() as conn:
                        conn.execute(answers.insert(), [row])
                except IntegrityError:
                    log.error("answer store: answer id %s was already taken; that answer was not kept", row["id"])

    def _write_turns(self, conn, turns: list[dict]) -> None:
        if not turns:
            return
        conn.execute(thread_turns.insert(), turns)
        if self.turn_memory is not None:
            oldest = min(t["created_at"] for t in turns) - self.turn_memory
            conn.execute(thread_turns.delete().where(thread_turns.c.created_at < oldest))
