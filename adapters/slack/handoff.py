"""Hand-off to HR in Slack: "Ask HR" -> an editable message -> the HR channel -> HR's reply by DM.

The employee presses Ask HR (on a "not covered" answer, after a 👎, or when they ask for a
person), sees and edits what will be sent in a modal, and sends it. HR's channel gets the
question, the assistant's answer and its link, with Reply and Mark resolved. HR's reply
reaches the employee in a direct message. Without an HR channel configured, Ask HR shows
HR's e-mail and phone instead. Only presses made in the HR channel itself can reply or resolve.
"""

from __future__ import annotations

import asyncio
import json
import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.handoff import HandoffError, HrContact, clean_message, draft_question, employee_language, person_language

log = logging.getLogger(__name__)

class SlackHandoff:
    def __init__(self, listeners, contact: HrContact) -> None:
        self.listeners = listeners
        self.assistant = listeners.assistant
        self.messages = listeners.messages
        self.contact = contact

    @property
    def can_send(self) -> bool:
        return bool(self.contact.slack_channel and self.listeners.store is not None)

    def register(self, app: AsyncApp) -> None:
        guard = self.listeners.guarded
        app.action("handoff_start")(guard(self.on_start))
        app.view("handoff_send")(self.on_send)
        app.action("handoff_reply")(guard(self.on_reply_pressed))
        app.view("handoff_reply")(self.on_reply_sent)
        app.action("handoff_resolve")(guard(self.on_resolve))

    def offer(self, text: str) -> dict:
        """The reply to "can I talk to a person?" (`text`): what the assistant is, and the way to HR,
        in the language it was asked in."""
        language = person_language(text)
        message = self.messages.reply("person_offer", self.contact, self.can_send, language)
        return self.messages.with_button(message, self.messages.ask_hr_button("", language)) if self.can_send else message

    # --- the employee ---------------------------------------------------------------------

    async def on_start(self, ack, body: dict, action: dict, respond, client) -> None:
        await ack()
        answer_id, carried = _ask_hr_value(action.get("value"))
        stored = await self.listeners.stored_answer(answer_id) if answer_id else None
        language = employee_language(stored.answer if stored else None, carried)
        if not self.can_send:
            await respond(response_type="ephemeral", replace_original=False, **self.messages.reply("hr_contact", self.contact, language))
            return
        draft = draft_question(stored.answer if stored else None)
        metadata = json.dumps({"a": stored.id if stored else None, "l": language})
        await client.views_open(trigger_id=body["trigger_id"], view=self.messages.handoff("sent_to_hr_modal", draft, metadata, language))

    async def on_send(self, ack, body: dict, view: dict, client) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        language = employee_language(None, meta.get("l"))  # the modal's (on_start decided it): its error and the confirmation match it
        try:
            message = clean_message(_input(view, "message"))
        except HandoffError as exc:
            await ack(response_action="errors", errors={"message": self.assistant.templates.phrase(exc.key, language)})
            return
        await ack()
        user = body.get("user", {}).get("id")
        stored = await self.listeners.stored_answer(meta.get("a") or "") if meta.get("a") else None
        try:
            handoff = await asyncio.to_thread(
                self.listeners.store.handoffs.create,
                channel="slack",
                user_id=user,
                answer_id=stored.id if stored else None,
                question=stored.answer.question if stored else message,
                message=message,
                employee_ref={"user": user},
                language=language,
            )
            posted = await client.chat_postMessage(
                channel=self.contact.slack_channel,
                unfurl_links=False,
                **self.messages.handoff("hr_post", handoff, stored.answer if stored else None, stored.permalink if stored else None),
            )
            await asyncio.to_thread(self.listeners.store.handoffs.posted, handoff.id, {"channel": posted["channel"], "ts": posted["ts"]})
        except SlackApiError as exc:
            log.error(
                "slack: could not post a hand-off to the HR channel %s (%s); invite the app there or fix POLICYBOT_HR_SLACK_CHANNEL",
                self.contact.slack_channel, exc.response.get("error"),
            )
            await client.chat_postMessage(channel=user, **self.messages.reply("handoff_failed", self.contact, language))
            return
        except Exception as exc:  # the database: the employee must hear back either way
            log.error("slack: a hand-off to HR failed: %s", exc, exc_info=exc)
            await client.chat_postMessage(channel=user, **self.messages.reply("handoff_failed", self.contact, language))
            return
        await client.chat_postMessage(channel=user, **self.messages.reply("handoff_sent", language))

    # --- HR ---------------------------------------------------------------------------------

    def _in_hr_channel(self, body: dict) -> bool:
        return bool(self.contact.slack_channel) and (body.get("channel") or {}).get("id") == self.contact.slack_channel

    async def on_reply_pressed(self, ack, body: dict, action: dict, client) -> None:
        await ack()
        if not self._in_hr_channel(body):
            log.warning("slack: a hand-off Reply pressed outside the HR channel was ignored")
            return
        handoff = await asyncio.to_thread(self.listeners.store.handoffs.get, action.get("value") or "")
        if handoff is None:
            return
        await client.views_open(trigger_id=body["trigger_id"], view=self.messages.handoff("reply_modal", handoff, json.dumps({"h": handoff.id})))

    async def on_reply_sent(self, ack, body: dict, view: dict, client) -> None:
        try:
            reply = clean_message(_input(view, "reply"))
        except HandoffError:
            await ack(response_action="errors", errors={"reply": self.assistant.templates.phrase("err_reply_empty")})
            return
        await ack()
        hr_user = body.get("user", {}).get("id")
        handoff_id = json.loads(view.get("private_metadata") or "{}").get("h") or ""
        handoff = await asyncio.to_thread(self.listeners.store.handoffs.reply, handoff_id, reply, by=hr_user)
        if handoff is None:
            await client.chat_postMessage(channel=hr_user, **self.messages.reply("handoff_closed"))
            return
        stored = await self._stored_of(handoff)
        language = employee_language(stored.answer if stored else None, handoff.language)
        await client.chat_postMessage(channel=handoff.employee_ref["user"], **self.messages.handoff("employee_reply", handoff, language))
        await self._refresh_hr_post(client, handoff, stored)

    async def on_resolve(self, ack, body: dict, action: dict, client) -> None:
        await ack()
        if not self._in_hr_channel(body):
            log.warning("slack: a hand-off Mark resolved pressed outside the HR channel was ignored")
            return
        handoff = await asyncio.to_thread(
            self.listeners.store.handoffs.resolve, action.get("value") or "", by=body.get("user", {}).get("id")
        )
        if handoff is not None:
            await self._refresh_hr_post(client, handoff, await self._stored_of(handoff))

    async def _stored_of(self, handoff):
        """The answer the hand-off is about (None without one): read once per press, for the employee's
        language and HR's refreshed post alike."""
        return await self.listeners.stored_answer(handoff.answer_id) if handoff.answer_id else None

    async def _refresh_hr_post(self, client, handoff, stored) -> None:
        if not handoff.hr_ref:
            return
        message = self.messages.handoff("hr_post", handoff, stored.answer if stored else None, stored.permalink if stored else None)
        await client.chat_update(channel=handoff.hr_ref["channel"], ts=handoff.hr_ref["ts"], **message)


def _ask_hr_value(value: object) -> tuple[str, str | None]:
    """Ask HR's value (controls.slack.j2): an answer's id, or "|" and a language on a button tied to
    no answer. Returned as sent; bot.handoff.employee_language decides what of it to believe."""
    answer_id, _, carried = (value if isinstance(value, str) else "").partition("|")
    return answer_id, carried or None


def _input(view: dict, block: str) -> str | None:
    return (((view.get("state") or {}).get("values") or {}).get(block) or {}).get(block, {}).get("value")
