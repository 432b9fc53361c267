"""Two processes writing at once lose nothing (a real SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace

import sqlalchemy as sa

from bot.store.answers import AnswerStore
from bot.store.schema import answers
from support_store import database_url, postgres_url  # noqa: F401  (fixtures)

PER_PROCESS = 150
VOTERS = 60


def _write_answers(url, answer, worker, barrier, results):
    store = AnswerStore.open(url)
    barrier.wait(timeout=60)
    ids = []
    for i in range(PER_PROCESS):
        recorded = store.record(replace(answer, question=f"{answer.question} #{worker}-{i}"), channel="web", user_id=f"W{worker}")
        ids.append(recorded.extras.get("id"))
    store.close()
    results.put(ids)


def _vote(url, answer_id, worker, barrier, results):
    store = AnswerStore.open(url)
    barrier.wait(timeout=60)
    for i in range(VOTERS):
        store.feedback(answer_id, 1 if worker == 0 else -1, channel="slack", user_id=f"U{worker}-{i}")
    store.close()
    results.put(worker)


def _in_two_processes(target, url, payload) -> list:
    """Run target in two fresh processes released together; returns what each put on the queue."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=target, args=(url, payload, worker, barrier, results)) for worker in (0, 1)]
    for p in procs:
        p.start()
    out = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def test_two_processes_writing_at_once_lose_nothing(database_url, assistant):
    AnswerStore.open(database_url).close()  # created once; then both processes open it together
    answer = assistant.composer.answer("Can I post about my pay on Facebook?")
    ids = [i for worker_ids in _in_two_processes(_write_answers, database_url, answer) for i in worker_ids]
    assert None not in ids, "an answer was not recorded"
    assert len(set(ids)) == 2 * PER_PROCESS
    store = AnswerStore.open(database_url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(answers)).scalar_one() == 2 * PER_PROCESS
        questions = set(conn.execute(sa.select(answers.c.question)).scalars())
    store.close()
    assert len(questions) == 2 * PER_PROCESS


def test_two_processes_creating_a_new_store_together(tmp_path, assistant):
    url = f"sqlite:///{tmp_path / 'fresh' / 'answers.sqlite3'}"
    answer = assistant.composer.answer("Can my supervisor friend me on Instagram?")
    ids = [i for worker_ids in _in_two_processes(_write_answers, url, answer) for i in worker_ids]
    assert None not in ids and len(set(ids)) == 2 * PER_PROCESS


def test_concurrent_votes_are_all_counted(database_url, assistant):
    store = AnswerStore.open(database_url)
    answer_id = store.record(assistant.composer.answer("Can I blog about work?"), channel="web", user_id=None).extras["id"]
    store.close()
    _in_two_processes(_vote, database_url, answer_id)
    store = AnswerStore.open(database_url)
    stored = store.get(answer_id)
    store.close()
    assert (stored.thumbs_up, stored.thumbs_down) == (VOTERS, VOTERS)
