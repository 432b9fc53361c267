"""Typed keys for what the aiohttp application carries."""

from aiohttp import web

from bot.assistant import Assistant
from bot.settings import Settings

ASSISTANT = web.AppKey("assistant", Assistant)
SETTINGS = web.AppKey("settings", Settings)
