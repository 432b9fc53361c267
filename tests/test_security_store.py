"""The answer store off the request path (issue 10, case 5): answers and links first, writes queued
and batched, reads never behind writes, every call bounded, outages answered, drained on SIGTERM.

Real HTTP into the real app on a real SQLite file; another real process holds the write lock;
a silent TCP server plays a frozen PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from adapters.appkeys import STORE
from adapters.server import create_app
from bot.store.engine import make_engine
from bot.store.urls import DatabaseLocation
from support_locks import BlackHole, sqlite_write_lock
from support_store import settings_for
from test_pages import Page

LINKEDIN = "Can I sign up for LinkedIn with my City email?"
PAY = "Can I post about my pay on Facebook?"


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), store_timeout_s=1.0, rate_limit_per_minute=0)))


def _store(client):
    return client.server.app[STORE]


async def _ask(client, question: str = LINKEDIN) -> dict:
    resp = await client.post("/api/ask", json={"question": question})
    assert resp.status == 200
    return await resp.json()


async def test_the_answer_and_link_come_first_and_the_row_follows(client, tmp_path):
    store = _store(client)
    with sqlite_write_lock(store.location.sqlite_path):
        t0 = time.monotonic()
        data = await _ask(client)
        assert time.monotonic() - t0 < 0.5  # not waiting for the locked database
        assert data["permalink"].endswith(data["id"])
        page = await client.get(f"/a/{data['id']}")  # the link works before the row is written
        assert page.status == 200 and "§3.3.4" in Page(await page.text()).text
    assert await asyncio.to_thread(store.flush, 15)
    assert store.count() == 1 and store.get(data["id"]).answer.citations[0] == "3.3.4"


async def test_writes_are_batched(client):
    store = _store(client)
    with sqlite_write_lock(store.location.sqlite_path, 2):
        ids = [(await _ask(client, q))["id"] for q in [LINKEDIN, PAY] * 25]
    assert await asyncio.to_thread(store.flush, 15)
    assert store.count() == 50 and all(store.get(i) for i in ids)


async def test_reads_never_wait_behind_a_held_write_lock(client):
    store = _store(client)
    ids = [(await _ask(client, f"{LINKEDIN} ({n})"))["id"] for n in range(20)]
    assert await asyncio.to_thread(store.flush, 15)
    with sqlite_write_lock(store.location.sqlite_path):
        await _ask(client, PAY)  # a write is now queued behind the lock
        times = []
        for answer_id in ids:  # first views: not in the page cache
            t0 = time.monotonic()
            assert (await client.get(f"/a/{answer_id}")).status == 200
            times.append(time.monotonic() - t0)
    assert max(times) < 0.5, max(times)


async def test_a_write_outage_still_answers_without_a_link_and_says_so(aiohttp_client, assistant, tmp_path):
    settings = replace(settings_for(tmp_path), store_timeout_s=0.3, rate_limit_per_minute=0)
    client = await aiohttp_client(create_app(assistant, settings))
    store = _store(client)
    with sqlite_write_lock(store.location.sqlite_path):
        first = await _ask(client)  # queued; the writer then times out on the lock
        deadline = time.monotonic() + 10
        while store.queue.healthy and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not store.queue.healthy
        data = await _ask(client, PAY)
        assert "permalink" not in data and data["store_unavailable"] is True
        assert "no permanent link" in Page(data["html"]).text
        ready = await client.get("/readyz")
        assert ready.status == 503 and (await ready.json())["store"] == "unavailable"
        assert (await client.get("/healthz")).status == 200
    # The lock is gone: the queued answer is written, links come back.
    assert await asyncio.to_thread(store.flush, 15)
    assert store.get(first["id"]) is not None
    assert "permalink" in await _ask(client)
    assert (await client.get("/readyz")).status == 200


async def test_a_frozen_database_makes_pages_503_in_bounded_time_and_answers_go_on(client):
    store = _store(client)
    hole = BlackHole()
    port = await hole.start()
    frozen = make_engine(DatabaseLocation(f"postgresql+psycopg://postgres@127.0.0.1:{port}/frozen", None), timeout_s=1.0)
    store.engine = frozen
    try:
        t0 = time.monotonic()
        resp = await client.get("/a/AAAAAAAAAAA")
        assert resp.status == 503 and "temporarily unavailable" in (await resp.text()).lower()
        assert resp.headers["Retry-After"]
        assert time.monotonic() - t0 < 3.0
        ready = await client.get("/readyz")
        assert ready.status == 503
        t0 = time.monotonic()
        assert (await client.get("/healthz")).status == 200 and time.monotonic() - t0 < 0.5
        data = await _ask(client)  # the answer does not wait for the database
        assert data["citations"][0] == "3.3.4"
    finally:
        frozen.dispose()
        await hole.close()


async def test_readyz_reports_the_store(client):
    resp = await client.get("/readyz")
    assert resp.status == 200
    body = await resp.json()
    assert body["store"] == "ok" and body["backlog"] == 0


def test_the_sqlite_file_is_private(tmp_path):
    from bot.store.answers import AnswerStore

    old = os.umask(0o022)
    try:
        store = AnswerStore.open(None, data_dir=str(tmp_path / "data"))
        store.record  # noqa: B018
        store.close()
    finally:
        os.umask(old)
    path = tmp_path / "data" / "answers.sqlite3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for sidecar in (tmp_path / "data").glob("answers.sqlite3-*"):
        assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600


def test_sigterm_drains_the_queue(tmp_path):
    """Every answer whose link went out is in the database after SIGTERM (also with the lock held)."""
    from test_serve import free_port, serve_env

    port = free_port()
    data_dir = tmp_path / "data"
    env = serve_env(tmp_path, POLICYBOT_RATE_LIMIT_PER_MINUTE="0")
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_ready(port, proc)
        db = data_dir / "answers.sqlite3"
        with sqlite_write_lock(db, 3):
            ids = _ask_many(port, 40)  # their rows wait in the queue behind the lock
            proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    import sqlite3

    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("select id from answers")}
    assert len(ids) == 40 and set(ids) <= stored


def _wait_ready(port: int, proc) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(proc.stdout.read().decode())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail("policybot serve did not become ready")


def _ask_many(port: int, n: int) -> list[str]:
    import urllib.request

    ids = []
    for i in range(n):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/ask", data=json.dumps({"question": f"{PAY} #{i}"}).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as resp:
            ids.append(json.load(resp)["id"])
    return ids
