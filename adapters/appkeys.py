"""Typed keys for what the aiohttp application carries."""

from typing import TYPE_CHECKING

from aiohttp import web

from bot.assistant import Assistant
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.store.answers import AnswerStore

ASSISTANT = web.AppKey("assistant", Assistant)
SETTINGS = web.AppKey("settings", Settings)
# The answer store, when the app keeps answers (set by adapters/answer_store.py before the mounts run).
STORE: "web.AppKey[AnswerStore]" = web.AppKey("answer_store")
