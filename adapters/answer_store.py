"""Wires the answer store into the app: every answer given through it is kept and gets a link.

The store is opened while the app is built, so a corrupt or unwritable database stops
`policybot serve` with a readable StoreError before anyone asks anything.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from aiohttp import web

from adapters.appkeys import SETTINGS, STORE
from bot.assistant import Assistant, LogRecorder

T = TypeVar("T")
READ_THREADS = 4
READS = web.AppKey("store_reads", ThreadPoolExecutor)


async def read(app: web.Application, call: Callable[..., T], *args: object) -> T:
    """A store read on its own threads (never queued behind answers or writes), bounded in time.

    Raises StoreUnavailable when the database does not answer within Settings.store_timeout_s.
    """
    from bot.store.errors import StoreUnavailable

    executor = app.get(READS)
    try:
        return await asyncio.wait_for(
            asyncio.get_running_loop().run_in_executor(executor, call, *args), app[SETTINGS].store_timeout_s
        )
    except TimeoutError:
        raise StoreUnavailable("the answer store did not answer in time") from None


def with_answer_store(app: web.Application, assistant: Assistant) -> Assistant:
    """The assistant this app answers with, recording into the store unless a recorder was passed in.

    The caller's assistant is not changed: the app gets a shallow copy (same index) whose
    recorder is the store, closed when the app is cleaned up.
    """
    from bot.store import open_store
    from bot.store.answers import AnswerStore

    from bot.store.threads import StoreThreads

    if isinstance(assistant.recorder, AnswerStore):
        app[STORE] = assistant.recorder
        app[READS] = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="policybot-read")
        if not isinstance(assistant.threads, StoreThreads):
            assistant = copy.copy(assistant)
            assistant.threads = StoreThreads(app[STORE])
        return assistant
    if not isinstance(assistant.recorder, LogRecorder):
        return assistant  # an explicit recorder of the caller's own
    # Written in the background: the answer and its link go back first (bot/store/writer.py).
    store = open_store(app[SETTINGS], background=True)  # raises StoreError with the operator's message
    recording = copy.copy(assistant)
    recording.recorder = store
    recording.threads = StoreThreads(store)  # follow-ups find their thread on any worker
    app[STORE] = store
    app[READS] = ThreadPoolExecutor(max_workers=READ_THREADS, thread_name_prefix="policybot-read")

    async def close_store(_app: web.Application) -> None:
        app[READS].shutdown(wait=False, cancel_futures=True)
        store.close()  # drains the write queue (SIGTERM loses nothing); the server has stopped serving

    app.on_cleanup.append(close_store)
    if app[SETTINGS].retention_days:
        app.cleanup_ctx.append(_daily_purge)
    return recording


PURGE_EVERY_S = 24 * 3600


async def _daily_purge(app: web.Application):
    """POLICYBOT_RETENTION_DAYS applied by the service itself: at start, then once a day."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.retention import purge

    log = logging.getLogger(__name__)

    async def loop() -> None:
        while True:
            try:
                result = await asyncio.to_thread(purge, app[STORE], app[SETTINGS].retention_days)
                if result.answers:
                    log.info("answer store: purged %d answers older than %d days", result.answers, app[SETTINGS].retention_days)
                    from adapters.web.pages import PAGES

                    if (pages := app.get(PAGES)) is not None:
                        pages.pages.clear()  # purged answers must not live on in the page cache
            except SQLAlchemyError as exc:
                log.error("answer store: the daily purge failed (%s); it runs again tomorrow", type(exc).__name__)
            await asyncio.sleep(PURGE_EVERY_S)

    task = asyncio.get_running_loop().create_task(loop())
    yield
    task.cancel()
