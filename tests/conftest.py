"""Shared fixtures. Platform-specific fixtures live beside their tests (tests/support_*.py)."""

from __future__ import annotations

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
