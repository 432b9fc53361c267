"""Database URL resolution: the environment, Heroku's postgres://, the SQLite default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.errors import StoreError
from bot.store.urls import resolve


@pytest.mark.parametrize(
    "given",
    [
        "postgres://u:pw@db.example:5432/policy",
        "postgresql://u:pw@db.example:5432/policy",
        "postgresql+psycopg://u:pw@db.example:5432/policy",
    ],
)
def test_postgres_urls_use_psycopg3(given):
    location = resolve(given)
    assert location.url == "postgresql+psycopg://u:pw@db.example:5432/policy"
    assert location.dialect == "postgresql" and location.sqlite_path is None
    assert "pw" not in location.display and "***" in location.display


def test_default_is_a_sqlite_file_under_the_data_dir(tmp_path):
    location = resolve(None, tmp_path / "data")
    assert location.sqlite_path == tmp_path / "data" / "answers.sqlite3"
    assert location.url == f"sqlite:///{tmp_path}/data/answers.sqlite3"


def test_sqlite_urls_absolute_and_relative(tmp_path, monkeypatch):
    assert resolve(f"sqlite:///{tmp_path}/x.db").sqlite_path == tmp_path / "x.db"
    monkeypatch.chdir(tmp_path)
    assert resolve("sqlite:///rel/x.db").sqlite_path == Path(tmp_path) / "rel" / "x.db"


@pytest.mark.parametrize("given", ["mysql://u@h/db", "sqlite://", "sqlite:///:memory:", "not a url"])
def test_unsupported_urls_are_refused_clearly(given):
    with pytest.raises(StoreError, match="answer store|not supported"):
        resolve(given)


def test_settings_prefer_policybot_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://heroku@h/db")
    assert Settings.from_env().database_url == "postgres://heroku@h/db"
    monkeypatch.setenv("POLICYBOT_DATABASE_URL", "postgresql://ours@h/db")
    assert Settings.from_env().database_url == "postgresql://ours@h/db"
