"""👍/👎 in Slack: the vote is kept and the message's buttons change in place.

A 👎 asks what was wrong (wrong section, unclear, didn't answer, something else); "something
else" opens a modal for the person's own words. The original message (in a thread, a DM or
/policy's private reply) is replaced through the action's response_url.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re

from slack_bolt.async_app import AsyncApp
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.feedback import FeedbackError

log = logging.getLogger(__name__)

CONTROL_BLOCKS = {"answer_actions", "feedback_note", "feedback_reasons"}
REASON_ACTION = re.compile(r"^feedback_reason_(\w+)$")


class SlackFeedback:
    def __init__(self, listeners) -> None:
        self.listeners = listeners
        self.assistant = listeners.assistant
        self.messages = listeners.messages

    def register(self, app: AsyncApp) -> None:
        guard = self.listeners.guarded
        app.action(re.compile(r"^feedback_(up|down)$"))(guard(self.on_vote))
        app.action(REASON_ACTION)(guard(self.on_reason))
        app.view("feedback_other")(self.on_other_submitted)
        app.action("answer_link")(guard(self.on_link))

    async def on_vote(self, ack, body: dict, action: dict, respond) -> None:
        await ack()
        up = action.get("action_id") == "feedback_up"
        user = body.get("user", {}).get("id")
        await asyncio.to_thread(self.assistant.feedback, action.get("value") or "", 1 if up else -1, channel="slack", user_id=user)
        await self._replace(body, action.get("value") or "", "up" if up else "down", respond)

    async def on_reason(self, ack, body: dict, action: dict, respond, client) -> None:
        await ack()
        reason = REASON_ACTION.match(action.get("action_id", "")).group(1)
        answer_id = action.get("value") or ""
        if reason == "other":  # their own words: a modal, then the message changes
            metadata = json.dumps({"a": answer_id, "r": body.get("response_url"), "e": _is_ephemeral(body), "m": _message_ref(body)})
            await client.views_open(trigger_id=body["trigger_id"], view=self.messages.handoff("other_reason_modal", metadata))
            return
        user = body.get("user", {}).get("id")
        try:
            await asyncio.to_thread(self.assistant.feedback_reason, answer_id, reason, None, channel="slack", user_id=user)
        except FeedbackError as exc:
            await respond(response_type="ephemeral", replace_original=False, **self.messages.text(str(exc)))
            return
        await self._replace(body, answer_id, reason, respond)

    async def on_other_submitted(self, ack, body: dict, view: dict) -> None:
        detail = (((view.get("state") or {}).get("values") or {}).get("detail") or {}).get("detail", {}).get("value")
        if not (detail or "").strip():
            await ack(response_action="errors", errors={"detail": self.assistant.reply("reason_error")})
            return
        await ack()
        meta = json.loads(view.get("private_metadata") or "{}")
        user = body.get("user", {}).get("id")
        answer_id = meta.get("a") or ""
        await asyncio.to_thread(self.assistant.feedback_reason, answer_id, "other", detail, channel="slack", user_id=user)
        if meta.get("r"):
            stored = await self.listeners.stored_answer(answer_id)
            if stored is not None:
                message = self.messages.answer(stored.answer, mode="ephemeral" if meta.get("e") else "thread", feedback="other")
                await AsyncWebhookClient(meta["r"], timeout=10).send_dict({"replace_original": True, **message})

    async def on_link(self, ack) -> None:
        """"Open link" is a link button: Slack opens the page; the click only needs acknowledging."""
        await ack()

    async def _replace(self, body: dict, answer_id: str, state: str, respond) -> None:
        stored = await self.listeners.stored_answer(answer_id)
        if stored is None:
            await respond(response_type="ephemeral", replace_original=False, **self.messages.reply("gone", "/policy"))
            return
        original = body.get("message")
        if original and not _is_ephemeral(body):
            # A message in a channel, thread or DM: keep what it says, change only the buttons.
            kept = [b for b in original.get("blocks", []) if b.get("block_id") not in CONTROL_BLOCKS]
            controls = self.messages.controls(stored.answer, mode="thread", feedback=state)
            await respond(replace_original=True, text=original.get("text", ""), blocks=kept + controls)
        else:
            await respond(replace_original=True, **self.messages.answer(stored.answer, mode="ephemeral", feedback=state))


def _is_ephemeral(body: dict) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def _message_ref(body: dict) -> dict | None:
    container = body.get("container") or {}
    return {"channel": container.get("channel_id"), "ts": container.get("message_ts")} if container.get("message_ts") else None
