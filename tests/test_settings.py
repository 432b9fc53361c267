"""Settings (issue 10, case 6): `.env` is read, bad values are one clear line (never a traceback),
Socket Mode needs no signing secret, `policybot ask` survives bytes that are not UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from test_serve import free_port, serve_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(args: list, *, env: dict, cwd=None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**env, "PYTHONPATH": ROOT}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=cwd, input=stdin, capture_output=True, timeout=120)


def one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err and all(w in err for w in words), err


@pytest.mark.parametrize("value", ["abc", "99999", "0", "-1", "8000.5"])
def test_a_bad_port_variable_is_one_line(tmp_path, value):
    one_clear_line(run(["serve"], env=serve_env(tmp_path, PORT=value)), "PORT", "1 to 65535")


@pytest.mark.parametrize("value", ["99999", "abc", "0"])
def test_a_bad_port_option_is_one_line(tmp_path, value):
    one_clear_line(run(["serve", "--port", value], env=serve_env(tmp_path)), "--port", "1 to 65535")


@pytest.mark.parametrize(
    "name, value",
    [("WEB_CONCURRENCY", "many"), ("POLICYBOT_PUBLIC_CHAT", "maybe"), ("POLICYBOT_RATE_LIMIT_PER_MINUTE", "fast"),
     ("POLICYBOT_STORE_TIMEOUT", "never"), ("POLICYBOT_TEAMS_EMULATOR", "2"), ("POLICYBOT_RETENTION_DAYS", "0")],
)
def test_other_bad_values_are_one_line_naming_the_variable(tmp_path, name, value):
    one_clear_line(run(["serve", "--port", str(free_port())], env=serve_env(tmp_path, **{name: value})), name)


def test_dotenv_is_read_from_the_working_folder_and_the_environment_wins(tmp_path):
    (tmp_path / ".env").write_text("# local settings\nPOLICYBOT_DATA_DIR=from-dotenv\nPOLICYBOT_RETENTION_DAYS=30\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYBOT_DATA_DIR", "POLICYBOT_RETENTION_DAYS")}
    result = run(["ask", "--json", "Can I post about my pay?"], env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "from-dotenv" / "answers.sqlite3").exists()
    purge = run(["purge", "--dry-run"], env=env, cwd=tmp_path)  # POLICYBOT_RETENTION_DAYS from .env
    assert purge.returncode == 0 and b"older than 30 days" in purge.stdout
    result = run(["ask", "--json", "Can I post about my pay?"], env={**env, "POLICYBOT_DATA_DIR": str(tmp_path / "from-env")}, cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "from-env" / "answers.sqlite3").exists()


def test_a_bad_value_in_dotenv_is_one_line(tmp_path):
    (tmp_path / ".env").write_text("PORT=abc\n", encoding="utf-8")
    env = {k: v for k, v in serve_env(tmp_path).items() if k != "PORT"}
    one_clear_line(run(["serve"], env=env, cwd=tmp_path), "PORT")


def test_socket_mode_asks_for_its_tokens_not_a_signing_secret(tmp_path):
    result = run(["serve", "--socket-mode", "--port", str(free_port())], env=serve_env(tmp_path, SLACK_APP_TOKEN="xapp-1"))
    err = result.stderr.decode()
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in err and "SIGNING" not in err


def test_ask_survives_invalid_bytes_under_strict_utf8(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8", "POLICYBOT_DATA_DIR": str(tmp_path)}
    batch = run(["ask", "--json"], env=env, stdin=b"Can I post about my pay\xff\xfe on Facebook?\n\xc3\x28\n")
    assert b"Traceback" not in batch.stderr, batch.stderr.decode()
    assert batch.returncode in (0, 2) and b'"citations"' in batch.stdout
    argv = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", b"Can I use the City logo\xff?"], env={**env, "PYTHONPATH": ROOT}, capture_output=True, timeout=120
    )
    assert argv.returncode == 0 and b"Traceback" not in argv.stderr, argv.stderr.decode()


def test_the_example_env_file_is_valid_as_it_stands(monkeypatch):
    from dotenv import dotenv_values

    from bot.settings import Settings

    values = dotenv_values(os.path.join(ROOT, ".env.example"))
    for name, value in values.items():
        monkeypatch.setenv(name, value or "")
    settings = Settings.from_env()
    assert settings.chat_enabled and not settings.teams_emulator and settings.rate_limit_per_minute == 30
    assert settings.retention_days is None and settings.port == 8000
