"""Thread turns in the answer store: kept in order, bounded, windowed, and shared across processes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.conversation import MAX_TURNS, Turn
from bot.store.answers import AnswerStore
from bot.store.schema import thread_turns
from bot.store.threads import THREAD_MEMORY, StoreThreads
from support_store import database_url, postgres_url  # noqa: F401  (fixtures)


def test_turns_come_back_oldest_first_per_thread_and_survive_a_reopen(database_url):
    store = AnswerStore.open(database_url)
    threads = StoreThreads(store)
    for i in range(MAX_TURNS + 2):
        threads.remember("slack:T:C:1", Turn(f"q{i}", ("3.5.1",), True), answer_id=None)
    threads.remember("slack:T:C:2", Turn("other", (), False))
    store.close()

    reopened = StoreThreads(AnswerStore.open(database_url))  # another worker, or after a restart
    turns = reopened.history("slack:T:C:1")
    assert [t.question for t in turns] == [f"q{i}" for i in range(2, MAX_TURNS + 2)]
    assert turns[0] == Turn("q2", ("3.5.1",), True)
    assert reopened.history("slack:T:C:2") == (Turn("other", (), False),)
    assert reopened.history("nobody") == ()
    reopened.store.close()


def test_old_turns_are_outside_the_window_and_purged(database_url):
    store = AnswerStore.open(database_url)
    threads = StoreThreads(store)
    with store.engine.begin() as conn:
        conn.execute(
            thread_turns.insert().values(
                thread="dm", created_at=datetime.now(UTC) - timedelta(hours=2), question="old", sections=[], in_scope=False
            )
        )
        conn.execute(
            thread_turns.insert().values(
                thread="ancient", created_at=datetime.now(UTC) - THREAD_MEMORY - timedelta(days=1), question="x", sections=[], in_scope=False
            )
        )
    threads.remember("dm", Turn("new", ("3.4",), True))
    assert [t.question for t in threads.history("dm", within=timedelta(minutes=30))] == ["new"]
    assert [t.question for t in threads.history("dm")] == ["old", "new"]
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(thread_turns).where(thread_turns.c.thread == "ancient")).scalar() == 0
    store.close()


def test_a_broken_database_forgets_instead_of_failing(tmp_path, caplog):
    store = AnswerStore.open(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    threads = StoreThreads(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE thread_turns"))
    threads.remember("t", Turn("q"))
    assert threads.history("t") == ()
    assert "thread" in caplog.text
    store.close()


def test_in_the_background_a_locked_database_never_holds_up_a_turn(tmp_path):
    import time

    from support_locks import sqlite_write_lock

    store = AnswerStore.open(f"sqlite:///{tmp_path / 'a.sqlite3'}", background=True)
    threads = StoreThreads(store)
    try:
        with sqlite_write_lock(store.location.sqlite_path, 3):
            t0 = time.monotonic()
            threads.remember("slack:T:C:9", Turn("Can my supervisor friend me?", ("3.5.1",), True))
            assert time.monotonic() - t0 < 0.5  # queued, not written under the lock
        assert store.flush(15)
        assert [t.question for t in StoreThreads(store).history("slack:T:C:9")] == ["Can my supervisor friend me?"]
    finally:
        store.close()
