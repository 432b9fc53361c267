"""What the browser tests need: the real app on 127.0.0.1, Debian's Chromium, axe-core.

- `LiveServer` runs `create_app(...)` in a thread of its own (its own event loop) on an
  ephemeral port of 127.0.0.1; PUBLIC_BASE_URL is that address, so answer and section links
  stay on the server under test.
- `chromium_path()` finds the browser: POLICYBOT_CHROMIUM, else Debian's /usr/bin/chromium.
  Playwright drives it with `executable_path`; Playwright's own browser builds are never used.
- `axe_source()` is axe-core's axe.min.js from tests/browser/node_modules, installed by
  `npm ci --prefix tests/browser` at the version package-lock.json pins.
- `run_axe(page)` checks the page against WCAG 2.0/2.1/2.2 A and AA and best practices.

When something is missing, `missing()` says what and how to install it. Outside CI the tests
skip with that reason; in CI (CI=true) they fail: .ci/run installs all three.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import threading
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from adapters.server import create_app
from bot.assistant import Assistant
from bot.settings import Settings

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
# Every rule of these tags runs; a violation of any of them fails the page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    wanted = os.environ.get("POLICYBOT_CHROMIUM") or DEBIAN_CHROMIUM
    found = wanted if os.path.isfile(wanted) and os.access(wanted, os.X_OK) else shutil.which(wanted)
    return found


def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when everything is in place."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed: pip install -e '.[test]'"
    if chromium_path() is None:
        return (
            f"Chromium is not installed ({os.environ.get('POLICYBOT_CHROMIUM') or DEBIAN_CHROMIUM} not found): "
            "apt-get update && apt-get install -y chromium, or set POLICYBOT_CHROMIUM"
        )
    if not AXE_JS.is_file():
        return f"axe-core is not installed ({AXE_JS.relative_to(HERE.parent.parent)} not found): npm ci --prefix tests/browser"
    return None


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class LiveServer:
    """The real aiohttp app, served from a background thread until `stop()`."""

    def __init__(self, assistant: Assistant, data_dir: Path) -> None:
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = replace(Settings.from_env(), public_base_url=self.url, data_dir=str(data_dir), database_url=None)
        self.assistant = assistant
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="browser-test-server", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.runner = web.AppRunner(create_app(self.assistant, self.settings), access_log=None)
            self.loop.run_until_complete(self.runner.setup())
            self.loop.run_until_complete(web.SockSite(self.runner, self.sock).start())
        except BaseException as exc:  # reported to the test by start()
            self.error = exc
            self.ready.set()
            return
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())
        self.loop.close()

    def start(self) -> LiveServer:
        self.thread.start()
        if not self.ready.wait(30):
            raise RuntimeError("the app did not start within 30 s")
        if self.error is not None:
            raise RuntimeError(f"the app did not start: {self.error!r}") from self.error
        return self

    def stop(self) -> None:
        if self.thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(30)

    def __call__(self, path: str) -> str:
        return self.url + path


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now (axe.min.js is injected once per document)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, not a <script> tag: the page's CSP stays enforced.
        page.evaluate(axe_source() + "\n;typeof window.axe")
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    """A readable failure message: rule, impact, how many nodes, and the first nodes' selectors."""
    lines = []
    for v in violations:
        targets = [json.dumps(n["target"]) + ": " + (n.get("failureSummary") or "").replace("\n", " ") for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}\n    " + "\n    ".join(targets))
    return "\n".join(lines)
