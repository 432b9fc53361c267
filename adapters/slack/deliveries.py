"""Answer each Slack event once, though Slack retries it (X-Slack-Retry-Num) when an ack is slow.

Event ids are claimed in the answer store, so a retry that reaches a second worker process
is dropped too. Without a store (an app built with its own recorder), a per-process memory
of the last day's ids does the same for one process.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

MEMORY_S = 24 * 3600
MEMORY_MAX = 50_000


class ProcessMemory:
    """The fallback: event ids seen by this process in the last day."""

    def __init__(self) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()

    def claim(self, key: str) -> bool:
        now = time.monotonic()
        while self._seen and (len(self._seen) > MEMORY_MAX or next(iter(self._seen.values())) < now - MEMORY_S):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def claimer(store) -> Callable[[str], Awaitable[bool]]:
    """An async claim(key) -> True the first time: through the store when there is one."""
    if store is None:
        memory = ProcessMemory()

        async def claim_in_memory(key: str) -> bool:
            return memory.claim(key)

        return claim_in_memory

    async def claim_in_store(key: str) -> bool:
        return await asyncio.to_thread(store.claim_delivery, key)

    return claim_in_store
