"""Answer-store speed: answers written per second (SQLite, PostgreSQL) and GET /a/{id} under load.

Prints figures; asserts nothing (the machines are noisy: compare medians and ratios
measured in one run). Run:  python benchmarks/bench_store.py [--writes N] [--readers 50]

1. Writes: N answers recorded one by one through AnswerStore.record (one transaction each,
   as the channels do), from one thread and from 4 threads at once. SQLite in a temporary
   file; PostgreSQL when POLICYBOT_TEST_POSTGRES_URL (or --postgres URL) answers, in a
   throw-away schema.
2. Reads: the real app (`create_app`) served by aiohttp on 127.0.0.1 in a separate process,
   the store seeded with answers; 50 concurrent readers fetch random /a/{id} pages over
   keep-alive connections. Latency p50/p99 per request and pages per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import aiohttp

from bot.assistant import Assistant
from bot.store.answers import AnswerStore

QUESTIONS = [
    "Can I post about my pay on Facebook?",
    "Can I sign up for LinkedIn with my City email?",
    "Can my supervisor friend me on Instagram?",
    "Can I use the City logo on my blog?",
    "How many vacation days do I get?",
]


def percentiles(samples_s: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples_s)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   (n={len(ms)})"


def sample_answers(n: int) -> list:
    assistant = Assistant()
    base = [assistant.composer.answer(q) for q in QUESTIONS]
    return [replace(base[i % len(base)], question=f"{base[i % len(base)].question} ({i})") for i in range(n)]


def bench_writes(label: str, url: str, answers: list) -> list[str]:
    store = AnswerStore.open(url)
    half = len(answers) // 2
    t = time.perf_counter()
    ids = [store.record(a, channel="web", user_id="U1").extras.get("id") for a in answers[:half]]
    one = half / (time.perf_counter() - t)
    t = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        ids += list(pool.map(lambda a: store.record(a, channel="slack", user_id="U2").extras.get("id"), answers[half:]))
    four = (len(answers) - half) / (time.perf_counter() - t)
    assert all(ids) and store.count() == len(answers)
    store.close()
    print(f"  writes {label:<10} 1 thread {one:8.0f} answers/s   4 threads {four:8.0f} answers/s   (n={len(answers)})")
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE = """
import logging, sys
from aiohttp import web
from adapters.server import create_app
logging.basicConfig(level=logging.WARNING)
web.run_app(create_app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


async def bench_reads(label: str, env: dict, ids: list[str], readers: int, per_reader: int) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=readers)) as session:
            for _ in range(300):
                try:
                    async with session.get(f"{base}/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                raise RuntimeError("the app did not start")

            async def warm() -> None:
                async with session.get(f"{base}/healthz") as r:
                    await r.read()

            await asyncio.gather(*(warm() for _ in range(readers)))  # open the keep-alive connections

            async def reader(picks: list[str], latencies: list[float]) -> None:
                for answer_id in picks:
                    t = time.perf_counter()
                    async with session.get(f"{base}/a/{answer_id}") as r:
                        body = await r.read()
                    latencies.append(time.perf_counter() - t)
                    assert r.status == 200 and b"Policy Assistant" in body

            async def run(name: str, picks_for) -> None:
                latencies: list[float] = []
                t = time.perf_counter()
                await asyncio.gather(*(reader(picks_for(i), latencies) for i in range(readers)))
                rate = len(latencies) / (time.perf_counter() - t)
                print(f"  GET /a/{{id}} {label:<10} {name:<13} {readers} readers: {percentiles(latencies)}  {rate:6.0f} pages/s")

            rng = random.Random(3)
            first = ids[: readers * per_reader]
            # First views: every page read from the database and rendered; then repeat views (page cache).
            await run("first views", lambda i: first[i::readers])
            await run("repeat views", lambda i: [rng.choice(first) for _ in range(per_reader)])
    finally:
        server.terminate()
        server.wait(timeout=10)


def postgres(url: str | None):
    """A throw-away schema on the configured PostgreSQL server, or None when none answers."""
    if not url:
        return None
    import psycopg

    schema = f"policybot_bench_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        print(f"  PostgreSQL at {url.split('@')[-1]} not reachable ({exc.__class__.__name__}): skipped")
        return None
    joiner = "&" if "?" in url else "?"
    return schema, f"{url}{joiner}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--per-reader", type=int, default=40)
    parser.add_argument("--postgres", default=os.environ.get("POLICYBOT_TEST_POSTGRES_URL"))
    args = parser.parse_args()

    answers = sample_answers(args.writes)
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'answers.sqlite3'}"
        print(f"answer store: {args.writes} answers per database; {args.readers} readers x {args.per_reader} pages")
        sqlite_ids = bench_writes("SQLite", sqlite_url, answers)
        pg = postgres(args.postgres)
        pg_ids: list[str] = []
        if pg:
            pg_ids = bench_writes("PostgreSQL", pg[1], answers)
        try:
            asyncio.run(bench_reads("SQLite", {"POLICYBOT_DATABASE_URL": sqlite_url}, sqlite_ids, args.readers, args.per_reader))
            if pg:
                asyncio.run(bench_reads("PostgreSQL", {"POLICYBOT_DATABASE_URL": pg[1]}, pg_ids, args.readers, args.per_reader))
        finally:
            if pg:
                drop_schema(args.postgres, pg[0])


if __name__ == "__main__":
    main()
