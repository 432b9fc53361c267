"""The local web chat page (GET /) and its JSON API (POST /api/ask).

Owned by the web-service issue: the page is filled in there. The API is the contract
the page uses: {"question": str} in, the Answer as JSON out; 400 with {"error": ...}
for bad input.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from adapters.appkeys import ASSISTANT
from bot.questions import QuestionError


async def api_ask(request: web.Request) -> web.Response:
    try:
        payload = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return web.json_response({"error": "The request body must be JSON: {\"question\": \"...\"}."}, status=400)
    question = payload.get("question") if isinstance(payload, dict) else None
    if not isinstance(question, str):
        return web.json_response({"error": "Send {\"question\": \"...\"} with the question as text."}, status=400)
    try:
        answer = await asyncio.to_thread(request.app[ASSISTANT].ask, question, channel="web")
    except QuestionError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response(answer.to_json())


def mount(app: web.Application) -> None:
    app.router.add_post("/api/ask", api_ask)
