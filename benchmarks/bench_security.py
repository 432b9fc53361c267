"""Issue 10's figures: the answer store off the request path, measured. Prints figures, asserts nothing.

  python benchmarks/bench_security.py [--seconds 8] [--clients 16] [--rounds 3]

1. Throughput: POST /api/ask against the real app with the answer store (SQLite, the write
   queue) and against the same app without a store, each in its own server process, loaded
   at the same time (half the clients each); the ratio is store / no store (target >= 0.85).
2. Reads under a held lock: another process holds the SQLite write lock for 5 s (BEGIN
   IMMEDIATE) while questions keep arriving (their rows wait in the queue) and 20 readers fetch
   answer pages never viewed before (no page cache); p50/p99 of /a/{id} (target p99 < 100 ms).
3. kill -9: `policybot serve` under full load is killed with SIGKILL; links handed out minus rows
   found afterwards = answers lost (the bound: what was queued, not yet committed). Also SIGTERM,
   which must lose nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
from bench_store import QUESTIONS  # the same mix of questions as the store benchmark  # noqa: E402
READERS = 20
HOLD_LOCK = (
    "import sqlite3, sys, time\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)\n"
    "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(kind: str, port: int, data_dir: str) -> None:
    """The server process: the real app, with the store or (kind == "nostore") without one."""
    from aiohttp import web

    from adapters.server import create_app
    from bot.assistant import Assistant
    from bot.settings import Settings

    class NoStore:
        def record(self, answer, *, channel, user_id):
            return answer

        def feedback(self, *args, **kwargs):
            pass

    settings = Settings.from_env(port=port, data_dir=data_dir, rate_limit_per_minute=0, public_base_url=f"http://127.0.0.1:{port}")
    assistant = Assistant(recorder=NoStore()) if kind == "nostore" else Assistant()
    sys.setswitchinterval(0.001)  # as `policybot serve` does
    web.run_app(create_app(assistant, settings), host="127.0.0.1", port=port, print=None, access_log=None)


class Server:
    def __init__(self, args: list[str], port: int, env: dict | None = None) -> None:
        self.port = port
        self.proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"

    async def ready(self) -> None:
        async with aiohttp.ClientSession() as s:
            for _ in range(300):
                try:
                    async with s.get(self.base + "/healthz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(60)


def app_server(kind: str, data_dir: str) -> Server:
    port = free_port()
    return Server([sys.executable, __file__, "--serve", kind, "--port", str(port), "--data", data_dir], port)


async def load(base: str, seconds: float, clients: int, ids: list[str] | None = None) -> int:
    """Questions from `clients` keep-alive clients for `seconds`; returns answers received (ids appended)."""
    done = 0
    deadline = time.monotonic() + seconds

    async def client(n: int) -> None:
        nonlocal done
        async with aiohttp.ClientSession() as s:
            i = n
            while time.monotonic() < deadline:
                try:
                    async with s.post(base + "/api/ask", json={"question": f"{QUESTIONS[i % len(QUESTIONS)]} #{i}"}) as r:
                        data = await r.json()
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    return  # the server was killed
                if r.status == 200:
                    done += 1
                    if ids is not None and "id" in data:
                        ids.append(data["id"])
                i += clients

    await asyncio.gather(*(client(n) for n in range(clients)))
    return done


async def bench_throughput(seconds: float, clients: int, rounds: int) -> None:
    """Both servers loaded at the same time, half the clients each: whatever else the machine is
    doing slows both alike, so the ratio of their answers is the store's own cost."""
    print(f"1. POST /api/ask throughput, both servers side by side, {clients // 2} clients each, {rounds} rounds of {seconds:.0f} s")
    results: dict[str, list[float]] = {"store": [], "nostore": []}
    with tempfile.TemporaryDirectory() as tmp:
        servers = {kind: app_server(kind, str(Path(tmp) / kind)) for kind in results}
        try:
            for server in servers.values():
                await server.ready()
            await asyncio.gather(*(load(server.base, 1.0, clients // 2) for server in servers.values()))  # warm-up
            for _ in range(rounds):
                counts = await asyncio.gather(*(load(server.base, seconds, clients // 2) for server in servers.values()))
                for kind, n in zip(servers, counts):
                    results[kind].append(n / seconds)
        finally:
            for server in servers.values():
                server.stop()
    ratios = [a / b for a, b in zip(results["store"], results["nostore"])]
    print(f"   with the store (SQLite, write queue): {statistics.median(results['store']):6.0f} answers/s  (rounds: {', '.join(f'{x:.0f}' for x in results['store'])})")
    print(f"   without a store:                      {statistics.median(results['nostore']):6.0f} answers/s  (rounds: {', '.join(f'{x:.0f}' for x in results['nostore'])})")
    print(f"   ratio store / no store: median {statistics.median(ratios):.2f}x, rounds {', '.join(f'{r:.2f}' for r in ratios)} (target >= 0.85)")


async def bench_reads_under_lock(hold_s: float = 5.0) -> None:
    print(f"2. GET /a/{{id}} while another process holds the SQLite write lock for {hold_s:.0f} s")
    with tempfile.TemporaryDirectory() as tmp:
        server = app_server("store", tmp)
        try:
            await server.ready()
            ids: list[str] = []
            await load(server.base, 3.0, 8, ids)
            await asyncio.sleep(1.0)  # committed
            db = Path(tmp) / "answers.sqlite3"
            holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), str(hold_s)], stdout=subprocess.PIPE, text=True)
            assert holder.stdout.readline().strip() == "locked"
            locked_at = time.monotonic()
            latencies: list[float] = []
            unseen = iter(ids)
            writes: list[str] = []

            async def reader() -> None:
                async with aiohttp.ClientSession() as s:
                    while time.monotonic() - locked_at < hold_s - 0.2:
                        answer_id = next(unseen, None)
                        if answer_id is None:
                            return
                        t0 = time.monotonic()
                        async with s.get(f"{server.base}/a/{answer_id}") as r:
                            await r.read()
                            assert r.status == 200, r.status
                        latencies.append(time.monotonic() - t0)

            await asyncio.gather(load(server.base, hold_s - 0.5, 4, writes), *(reader() for _ in range(READERS)))
            holder.wait()
            ms = sorted(x * 1000 for x in latencies)
            p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
            print(f"   {len(ms)} first views during the lock: p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms (target p99 < 100 ms)")
            print(f"   meanwhile {len(writes)} questions were answered with links (their rows queued behind the lock)")
        finally:
            server.stop()


async def bench_kill(clients: int, runs: int = 3) -> None:
    print("3. Answers lost when `policybot serve` (SQLite) is stopped under full load")
    for how in ["SIGKILL"] * runs + ["SIGTERM"]:
        with tempfile.TemporaryDirectory() as tmp:
            port = free_port()
            env = {"POLICYBOT_DATA_DIR": tmp, "POLICYBOT_RATE_LIMIT_PER_MINUTE": "0", "PYTHONPATH": str(ROOT)}
            server = Server([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], port, env)
            await server.ready()
            ids: list[str] = []
            loader = asyncio.ensure_future(load(server.base, 30, clients, ids))
            await asyncio.sleep(3.0)
            given = len(ids)
            server.proc.send_signal(signal.SIGKILL if how == "SIGKILL" else signal.SIGTERM)
            t0 = time.monotonic()
            await loader
            server.proc.wait(60)
            stop_s = time.monotonic() - t0
            with sqlite3.connect(Path(tmp) / "answers.sqlite3") as conn:
                stored = {r[0] for r in conn.execute("select id from answers")}
            lost = [i for i in ids if i not in stored]
            rate = given / 3.0
            print(
                f"   {how}: {len(ids)} links handed out, {len(lost)} not in the database"
                + (f" (= {1000 * len(lost) / rate:.0f} ms of answers at {rate:.0f}/s)" if how == "SIGKILL" else f", stopped in {stop_s:.1f} s")
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", choices=["throughput", "reads", "kill"])
    p.add_argument("--serve", choices=["store", "nostore"], help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.data)
        return
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if args.only in (None, "throughput"):
        asyncio.run(bench_throughput(args.seconds, args.clients, args.rounds))
    if args.only in (None, "reads"):
        asyncio.run(bench_reads_under_lock())
    if args.only in (None, "kill"):
        asyncio.run(bench_kill(args.clients))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
