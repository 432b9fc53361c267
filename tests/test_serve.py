"""`policybot serve` as a newcomer runs it: a real process, no credentials, real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

PLATFORM_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MicrosoftAppId", "MicrosoftAppPassword", "PORT", "PUBLIC_BASE_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARS}
    return {**env, "POLICYBOT_DATA_DIR": str(tmp_path / "data"), **extra}


def get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(params=[1, 2], ids=["one-worker", "two-workers"])
def server(tmp_path, request):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", str(request.param)],
        env=serve_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"policybot serve exited: {proc.stdout.read()}")
        try:
            if get(base + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("policybot serve did not answer /healthz within 30 s")
    yield base, proc
    proc.terminate()
    assert proc.wait(timeout=15) in (0, -15)  # SIGTERM stops every worker


def test_serve_runs_the_page_and_the_api_without_credentials(server):
    base, _proc = server
    status, body = get(base + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "policy": "026", "revision": "2025-10-06"}
    status, page = get(base + "/")
    assert status == 200 and b"Ask about the Social Media Policy" in page
    status, body = get(base + "/api/ask", json.dumps({"question": "Can I post about my pay on Facebook?"}).encode())
    answer = json.loads(body)
    assert status == 200 and answer["nlra_caveat"] is True
    assert answer["permalink"].startswith(base + "/a/")  # links point at the port it runs on
    # With two workers the link may reach the other one, which sees the row once the first has
    # committed it (written in the background, within a batch: tens of milliseconds).
    deadline = time.monotonic() + 15
    while get(answer["permalink"])[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert get(answer["permalink"])[0] == 200


def test_serve_stops_with_a_clear_message_on_a_corrupt_store(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "answers.sqlite3").write_bytes(b"this is not a database" * 100)
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(free_port())],
        env=serve_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 1
    assert "not a usable SQLite database" in out.stderr and "Traceback" not in out.stderr


def test_socket_mode_needs_its_token(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--socket-mode", "--port", str(free_port())],
        env=serve_env(tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2 and "SLACK_APP_TOKEN" in out.stderr


def test_a_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            env=serve_env(tmp_path), capture_output=True, text=True, timeout=60,
        )
    assert out.returncode == 1 and "cannot listen" in out.stderr and "Traceback" not in out.stderr
