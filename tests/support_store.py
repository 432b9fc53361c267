"""Fixtures and helpers for the answer-store tests: real SQLite files, a real PostgreSQL schema.

PostgreSQL tests need POLICYBOT_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test);
each test gets its own schema, dropped afterwards, so runs never collide.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.settings import Settings
from knowledge.library import Library

POLICIES = Path(__file__).resolve().parent.parent / "knowledge" / "policies"
SHIPPED = "026-social-media-policy"
NEXT = "026-social-media-policy-2027"
BASE_URL = "https://policy.monroe.test"
PG_ENV = "POLICYBOT_TEST_POSTGRES_URL"

# The next revision: §3.3.4 reworded, a new date in the header and the legislative history.
OLD_334 = "number) unless required by the Communications Department for social media\nmanagement."
NEW_334 = "number) or any City account name, unless approved in writing by the Communications\nDepartment."
NEW_334_PHRASE = "any City account name, unless approved in writing"
OLD_334_PHRASE = "unless required by the Communications Department for social media management"


def settings_for(data_dir: Path | None = None, database_url: str | None = None) -> Settings:
    return replace(
        Settings.from_env(),
        data_dir=str(data_dir) if data_dir else "data",
        database_url=database_url,
        public_base_url=BASE_URL,
    )


def cli(*args: str, env_extra: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )


def postgres_admin_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(f"PostgreSQL store tests need {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test); .ci/run sets it")
    return url


def postgres_schema_url(admin_url: str, schema: str) -> str:
    """The same database, with our tables in their own schema (libpq's options=-csearch_path)."""
    joiner = "&" if "?" in admin_url else "?"
    return f"{admin_url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_url():
    """A PostgreSQL URL whose tables live in a fresh schema, dropped after the test."""
    import psycopg

    admin = postgres_admin_url()
    schema = f"policybot_test_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield postgres_schema_url(admin, schema)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each store test runs on a SQLite file and (when configured) on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'answers.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def revised_policies(folder: Path) -> tuple[Path, Path]:
    """A policy folder holding the shipped 2025 text only, and one that also holds a 2027 revision."""
    old, both = folder / "old", folder / "both"
    for target in (old, both):
        target.mkdir(parents=True)
        for suffix in (".txt", ".summaries.toml"):
            shutil.copy(POLICIES / f"{SHIPPED}{suffix}", target / f"{SHIPPED}{suffix}")
    text = (POLICIES / f"{SHIPPED}.txt").read_text(encoding="utf-8")
    assert OLD_334 in text and "dated July 16, 2018." in text
    text = text.replace(OLD_334, NEW_334).replace("October 6, 2025", "March 2, 2027")
    text = text.replace(
        "dated July 16, 2018.", "dated July 16, 2018.\nRevised pursuant to action of the Monroe City Council, dated March 2, 2027."
    )
    (both / f"{NEXT}.txt").write_text(text, encoding="utf-8")
    shutil.copy(POLICIES / f"{SHIPPED}.summaries.toml", both / f"{NEXT}.summaries.toml")
    return old, both


def load(folder: Path) -> Library:
    return Library.load(folder)
