"""Slack's assistant surface (Bolt's AsyncAssistant): suggested prompts, a status, titled threads.

An assistant thread is a DM thread the person opens from the assistant panel. Its first
message titles the thread; every message is read with the thread's earlier turns, so
"what about Instagram?" follows the question before it.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.async_app import AsyncApp, AsyncAssistant
from slack_sdk.errors import SlackApiError

from bot.questions import QuestionError
from bot.threads import thread_key

log = logging.getLogger(__name__)

TITLE_CHARS = 80


def register_assistant(app: AsyncApp, listeners) -> AsyncAssistant:
    """Add the assistant middleware; `listeners` is the app's SlackListeners (answers, messages, claims)."""
    assistant = AsyncAssistant(logger=logging.getLogger("slack_bolt.assistant"))
    bot = listeners.assistant
    messages = listeners.messages

    @assistant.thread_started
    async def started(body: dict, say, set_suggested_prompts) -> None:
        if not await listeners.claim_event(body):
            return
        await say(**messages.reply("assistant_greeting"))
        await set_suggested_prompts(prompts=list(bot.examples), title=bot.reply("assistant_prompts_title"))

    @assistant.thread_context_changed
    async def context_changed() -> None:
        """The channel the person is viewing is not used: answers come from the policy alone."""

    @assistant.user_message
    async def user_message(body: dict, payload: dict, say, set_status, set_title, client) -> None:
        if not await listeners.claim_event(body):
            return
        text = payload.get("text") or ""
        thread = thread_key("slack", body.get("team_id"), payload["channel"], payload["thread_ts"])
        try:
            history = await asyncio.to_thread(bot.threads.history, thread)
            if not history and text.strip():
                await _quietly(set_title, (" ".join(text.split()))[:TITLE_CHARS])
            await _quietly(set_status, bot.reply("assistant_status"))
            message = await listeners.answer_message(text, payload.get("user"), thread=thread)
            await say(unfurl_links=False, **message)
        except QuestionError as exc:
            await say(**messages.text(str(exc)))
        except Exception as exc:
            log.error("slack: an assistant thread message failed: %s", exc, exc_info=exc)
            await say(**messages.reply("failed"))

    app.assistant(assistant)
    return assistant


async def _quietly(call, *args) -> None:
    """Title and status are niceties: a DM thread that is not an assistant thread refuses them."""
    try:
        await call(*args)
    except SlackApiError as exc:
        log.info("slack: assistant thread nicety refused: %s", exc.response.get("error"))
