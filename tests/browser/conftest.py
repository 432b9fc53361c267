"""Fixtures for the browser tests: the real app on 127.0.0.1, Debian's Chromium through Playwright.

The browser is per module (Playwright's sync API keeps an event loop of its own, which must be
gone before the rest of the suite's async tests run); the server is per session.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from support_browser import LiveServer, chromium_path, in_ci, missing

TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def live(assistant, tmp_path_factory) -> Iterator[LiveServer]:
    server = LiveServer(assistant, tmp_path_factory.mktemp("browser-data")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def ask_api(live):
    """Ask through the JSON API (to make an answer page to visit): question -> the answer's JSON."""

    def ask(question: str) -> dict:
        request = urllib.request.Request(
            live("/api/ask"), data=json.dumps({"question": question}).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as resp:
            return json.load(resp)

    return ask


@pytest.fixture(scope="module")
def browser():
    reason = missing()
    if reason:
        if in_ci():
            pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        yield browser
        browser.close()


class Console:
    """The page's console errors and uncaught exceptions (a CSP violation is one)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def __call__(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)


def _page(browser, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1100, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.console = Console()
    page.on("console", page.console)
    page.on("pageerror", lambda exc: page.console.errors.append(f"uncaught: {exc}"))
    return context, page


@pytest.fixture
def page(browser, live):
    context, page = _page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live):
    context, page = _page(browser, javascript=False)
    yield page
    context.close()
