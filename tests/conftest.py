"""Shared fixtures. Platform-specific fixtures live beside their tests (tests/support_*.py)."""

from __future__ import annotations

import os

import pytest

from bot.assistant import Assistant
from knowledge.library import Library


@pytest.fixture(scope="session")
def library() -> Library:
    return Library.load()


@pytest.fixture(scope="session")
def policy(library):
    return library.current()


@pytest.fixture(scope="session")
def assistant(library) -> Assistant:
    """One assistant for the session: building the index once keeps the suite quick."""
    return Assistant(library=library)


@pytest.fixture(scope="session", autouse=True)
def answer_store_in_tmp(tmp_path_factory):
    """Answers recorded by any test (apps, `policybot ask` subprocesses) go to a temporary store, not ./data."""
    os.environ["POLICYBOT_DATA_DIR"] = str(tmp_path_factory.mktemp("policybot-data"))
    for name in ("POLICYBOT_DATABASE_URL", "DATABASE_URL"):
        os.environ.pop(name, None)  # a developer's production URL must never receive test answers
