"""Wires the answer store into the app: every answer given through it is kept and gets a link.

The store is opened while the app is built, so a corrupt or unwritable database stops
`policybot serve` with a readable StoreError before anyone asks anything.
"""

from __future__ import annotations

import copy

from aiohttp import web

from adapters.appkeys import SETTINGS, STORE
from bot.assistant import Assistant, LogRecorder


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
        if not isinstance(assistant.threads, StoreThreads):
            assistant = copy.copy(assistant)
            assistant.threads = StoreThreads(app[STORE])
        return assistant
    if not isinstance(assistant.recorder, LogRecorder):
        return assistant  # an explicit recorder of the caller's own
    store = open_store(app[SETTINGS])  # raises StoreError with the operator's message
    recording = copy.copy(assistant)
    recording.recorder = store
    recording.threads = StoreThreads(store)  # follow-ups find their thread on any worker
    app[STORE] = store

    async def close_store(_app: web.Application) -> None:
        store.close()

    app.on_cleanup.append(close_store)
    return recording
