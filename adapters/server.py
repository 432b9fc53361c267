"""The one aiohttp application `policybot serve` runs; each adapter mounts its routes on it.

Routes:
  GET  /healthz          liveness, for the platform's health checks
  GET  /readyz           readiness: the answer store answers and takes writes (503 otherwise)
  GET  /, POST /api/ask  the local web chat page and its JSON API (adapters/web)
  POST /api/handoff      Ask HR from the page (adapters/web/handoff.py)
  POST /slack/events     Slack events, slash commands and interactivity (adapters/slack)
  POST /api/messages     Microsoft Teams / Bot Framework (adapters/teams)
  GET  /a/{id}, /policy/{number}  answer permalinks and the policy page (adapters/web)
  GET  /privacy          what is stored and for how long (the Teams manifest links here)
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters import security
from adapters.answer_store import with_answer_store
from adapters.appkeys import ASSISTANT, SETTINGS, STORE
from bot.assistant import Assistant
from bot.settings import Settings

log = logging.getLogger(__name__)

# Adapters register a mount function here: mount(app) adds routes and start-up/clean-up hooks.
MOUNTS: list[str] = [
    "adapters.web.chat",
    "adapters.web.handoff",
    "adapters.web.pages",
    "adapters.web.privacy",
    "adapters.slack.routes",
    "adapters.teams.routes",
]


# Threads that compose answers and talk to the database (asyncio.to_thread uses them). Few on
# purpose: answering is CPU work under one GIL, and every extra thread takes GIL time from the
# event loop that must acknowledge Slack within 3 seconds. Queued work waits; acks don't.
WORKER_THREADS = 2


async def _bounded_executor(app: web.Application) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    executor = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="policybot")
    asyncio.get_running_loop().set_default_executor(executor)

    async def shutdown(_app: web.Application) -> None:
        executor.shutdown(wait=False, cancel_futures=True)

    app.on_cleanup.append(shutdown)


async def healthz(request: web.Request) -> web.Response:
    assistant = request.app[ASSISTANT]
    return web.json_response({"status": "ok", "policy": assistant.policy.number, "revision": assistant.policy.revision})


async def readyz(request: web.Request) -> web.Response:
    """Readiness: 200 only when the answer store answers now and is taking writes (503 otherwise)."""
    from adapters.answer_store import read
    from bot.store.errors import StoreUnavailable

    store = request.app.get(STORE)
    if store is None:
        return web.json_response({"status": "ok", "store": "none"})
    queue = store.queue
    report = {"store": "ok", "backlog": queue.backlog if queue else 0}
    try:
        await read(request.app, store.ping)
    except StoreUnavailable as exc:
        report.update(store="unavailable", reason=str(exc))
    if queue is not None and not queue.healthy:
        report.update(store="unavailable", reason=queue.last_error or "writes are failing")
    ok = report["store"] == "ok"
    return web.json_response({"status": "ok" if ok else "unavailable", **report}, status=200 if ok else 503)


def create_app(assistant: Assistant | None = None, settings: Settings | None = None) -> web.Application:
    import importlib

    app = web.Application(client_max_size=256 * 1024)
    app[SETTINGS] = settings or Settings.from_env()
    # Answers are kept in the store (opened now: a bad database stops the start, not a conversation).
    app[ASSISTANT] = with_answer_store(app, assistant or Assistant())
    security.install(app)
    app.on_startup.append(_bounded_executor)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    for module in MOUNTS:
        importlib.import_module(module).mount(app)
    return app
