"""Where a conversation's earlier turns are kept between messages.

The service keeps them in the answer store (bot/store/threads.py), so a follow-up reaching
another worker, or arriving after a restart, still finds its thread. MemoryThreads is the
fallback for a process without a store (tests, an assistant built by hand).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.answer import Answer
from bot.conversation import MAX_TURNS, Turn

THREAD_KEY_MAX = 300
MEMORY_THREADS_MAX = 10_000


def turn_of(answer: Answer) -> Turn:
    return Turn(question=answer.question, sections=tuple(answer.citations), in_scope=answer.in_scope)


def thread_key(*parts: object) -> str:
    """A thread's key from the platform's ids: "slack:T1:C1:1700000000.000100" (bounded)."""
    return ":".join(str(p) for p in parts if p not in (None, ""))[:THREAD_KEY_MAX]


class Threads(Protocol):
    def history(self, thread: str, *, within: timedelta | None = None) -> tuple[Turn, ...]: ...

    def remember(self, thread: str, turn: Turn, *, answer_id: str | None = None) -> None: ...


class MemoryThreads:
    """Turns kept in this process only, for the most recent threads."""

    def __init__(self) -> None:
        self._threads: OrderedDict[str, list[tuple[datetime, Turn]]] = OrderedDict()
        self._lock = threading.Lock()

    def history(self, thread: str, *, within: timedelta | None = None) -> tuple[Turn, ...]:
        since = datetime.now(UTC) - within if within else None
        with self._lock:
            turns = list(self._threads.get(thread, ()))
        return tuple(t for at, t in turns if since is None or at >= since)[-MAX_TURNS:]

    def remember(self, thread: str, turn: Turn, *, answer_id: str | None = None) -> None:
        with self._lock:
            turns = self._threads.setdefault(thread, [])
            turns.append((datetime.now(UTC), turn))
            del turns[:-MAX_TURNS]
            self._threads.move_to_end(thread)
            while len(self._threads) > MEMORY_THREADS_MAX:
                self._threads.popitem(last=False)
