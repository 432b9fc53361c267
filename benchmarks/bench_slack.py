"""How fast the service acknowledges Slack: 2,000 signed /slack/events requests, 50 at a time.

Starts `policybot serve` as its own process, with the Slack Web API and response_url played
by a local server in this process, then sends a mix of app_mention events and /policy
commands. Prints ack latency p50/p99, throughput and errors, and checks at the stand-in that
every question was answered exactly once.

    python benchmarks/bench_slack.py [--requests 2000] [--concurrency 50] [--rate 250]

--rate paces the requests (an open loop, as Slack sends them: arrivals don't wait for
answers); --rate 0 sends each as soon as one of the 50 connections is free (the most the
service can take, where latency is mostly time spent queued behind the other 49).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

SECRET = "bench-signing-secret"
QUESTIONS = [
    "Can I sign up for LinkedIn with my city email?",
    "Can I post about my pay on Facebook?",
    "can my supervisor friend me on instagram",
    "Do I need a disclaimer on my personal blog?",
    "Can I use the City logo on my page?",
    "How many vacation days do I get?",
]


class StandIn:
    """The Slack Web API and response_url: counts what each request led to."""

    def __init__(self) -> None:
        self.posted: Counter[str] = Counter()  # thread_ts -> messages
        self.responded: Counter[str] = Counter()  # response_url hook -> messages

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self.api)
        app.router.add_post("/respond/{hook}", self.respond)
        return app

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"})
        if method == "chat.postMessage":
            self.posted[(await request.json()).get("thread_ts")] += 1
        return web.json_response({"ok": True, "ts": "1.1"})

    async def respond(self, request: web.Request) -> web.Response:
        await request.read()
        self.responded[request.match_info["hook"]] += 1
        return web.Response(text="ok")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed(body: str, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body),
    }


def request_for(i: int, respond_base: str) -> tuple[str, dict[str, str]]:
    question = QUESTIONS[i % len(QUESTIONS)]
    if i % 2 == 0:
        body = json.dumps({
            "type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": f"EvBench{i:06d}",
            "event_time": int(time.time()), "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            "event": {"type": "app_mention", "user": "U1", "text": f"<@UBOT> {question}", "ts": f"{i}.000001", "channel": "C1"},
        })
        return body, signed(body, "application/json")
    body = urlencode({
        "command": "/policy", "text": question, "user_id": "U1", "channel_id": "C1", "team_id": "T1",
        "response_url": f"{respond_base}/respond/{i}", "trigger_id": "1",
    })
    return body, signed(body, "application/x-www-form-urlencoded")


async def wait_healthy(url: str, proc: subprocess.Popen) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            if proc.poll() is not None:
                raise SystemExit(f"policybot serve exited with {proc.returncode}")
            try:
                async with session.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("policybot serve did not start")


async def main(total: int, concurrency: int, rate: float, workers: int) -> None:
    stand_in = StandIn()
    runner = web.AppRunner(stand_in.app(), access_log=None)
    await runner.setup()
    api_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", api_port).start()
    respond_base = f"http://127.0.0.1:{api_port}"

    port = free_port()
    data = tempfile.mkdtemp(prefix="bench-slack-")
    env = {
        **os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": f"{respond_base}/api/", "POLICYBOT_DATA_DIR": data, "PUBLIC_BASE_URL": "https://policy.example",
    }
    env.pop("POLICYBOT_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", str(workers), "--log-level", "WARNING"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(url, proc)
        requests = [request_for(i, respond_base) for i in range(total)]
        latencies: list[float] = []
        errors = Counter()
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(total):
            queue.put_nowait(i)
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            # warm up: the first request makes Bolt call auth.test
            body, headers = request_for(total + 1, respond_base)
            async with session.post(url + "/slack/events", data=body, headers=headers) as resp:
                await resp.read()

            began = time.perf_counter()

            async def worker() -> None:
                while not queue.empty():
                    i = queue.get_nowait()
                    if rate:  # request i is due at i / rate seconds
                        await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
                    body, headers = requests[i]
                    started = time.perf_counter()
                    try:
                        async with session.post(url + "/slack/events", data=body, headers=headers) as resp:
                            await resp.read()
                            if resp.status != 200:
                                errors[f"HTTP {resp.status}"] += 1
                    except aiohttp.ClientError as exc:
                        errors[type(exc).__name__] += 1
                    latencies.append((time.perf_counter() - started) * 1000)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - began

        expected_posts, expected_responses = (total + 1) // 2, total // 2
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
            sum(stand_in.posted.values()) < expected_posts or sum(stand_in.responded.values()) < expected_responses + 1
        ):
            await asyncio.sleep(0.05)
        answered_at = time.perf_counter() - began
        await asyncio.sleep(1.0)  # anything extra (a double answer) would arrive now
        doubles = sum(1 for n in stand_in.posted.values() if n > 1) + sum(1 for n in stand_in.responded.values() if n > 1)
        q = statistics.quantiles(latencies, n=100)
        pacing = f"offered at {rate:.0f}/s" if rate else "as fast as they are acknowledged"
        print(f"requests            {total} ({expected_posts} mentions, {expected_responses} /policy), {concurrency} concurrent, {pacing}, {workers} worker(s)")
        print(f"ack latency p50     {statistics.median(latencies):.1f} ms")
        print(f"ack latency p99     {q[98]:.1f} ms")
        print(f"throughput          {total / elapsed:.0f} requests/s ({elapsed:.2f} s)")
        print(f"errors              {sum(errors.values())} {dict(errors) if errors else ''}")
        print(f"answered            {len(stand_in.posted)} mentions in threads, {len(stand_in.responded) - 1} /policy replies, "
              f"all within {answered_at:.2f} s of the first request")
        print(f"answered twice      {doubles}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rate", type=float, default=250.0, help="requests per second; 0 = no pacing")
    parser.add_argument("--workers", type=int, default=1, help="policybot serve --workers")
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.rate, args.workers))
