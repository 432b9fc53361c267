"""The answer store: every answer given, kept so the link HR shares keeps working for years.

Importing this package is cheap; SQLAlchemy is imported only when a store is opened, so
`policybot ask` and the other commands that never touch the database start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.errors import StoreError

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store.answers import AnswerStore

__all__ = ["StoreError", "open_store"]


def open_store(settings: Settings, *, url: str | None = None, background: bool = False) -> AnswerStore:
    """Open (creating or migrating when needed) the store the settings point at.

    background=True (the service): answers are written by a queue, off the request path.
    Raises StoreError with a message an operator can act on when the database cannot be used.
    """
    from bot.store.answers import AnswerStore

    return AnswerStore.open(
        url or settings.database_url,
        data_dir=settings.data_dir,
        base_url=settings.public_base_url,
        background=background,
        timeout_s=settings.store_timeout_s,
    )
