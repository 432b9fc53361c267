"""What the Slack app does with each kind of request. Registered on a Bolt AsyncApp by app.py.

Every listener acknowledges first and works after (Slack wants an answer within 3 seconds):
events are acknowledged by Bolt before the listener runs, commands and buttons call ack()
before anything slow. Answers are composed in a worker thread so the event loop stays free.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from adapters.slack.assistant import register_assistant
from adapters.slack.deliveries import claimer
from adapters.slack.feedback import SlackFeedback
from adapters.slack.handoff import SlackHandoff
from adapters.slack.home import SlackHome
from adapters.slack.hr import HrDirectory
from adapters.slack.messages import SlackMessages
from bot.assistant import Assistant
from bot.disclaimer import parse_request
from bot.handoff import HrContact, wants_person
from bot.help import help_language, wants_help
from bot.questions import QuestionError
from bot.threads import thread_key

log = logging.getLogger(__name__)

MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
ANNOUNCE = "/policy-announce"
HR_SETTINGS = "POLICYBOT_HR_SLACK_USERS or POLICYBOT_HR_SLACK_USERGROUP"
# A DM has no threads of its own: its recent messages are one conversation, then it starts afresh.
DM_MEMORY = timedelta(minutes=30)


def strip_mentions(text: str | None) -> str:
    return MENTION.sub(" ", text or "").strip()


class SlackListeners:
    def __init__(self, assistant: Assistant, messages: SlackMessages, hr: HrDirectory, store, contact: HrContact | None = None) -> None:
        self.assistant = assistant
        self.messages = messages
        self.hr = hr
        self.store = store
        self.claim = claimer(store)
        self.handoff = SlackHandoff(self, contact or HrContact(None, None, None, None))
        self.feedback = SlackFeedback(self)
        self.home = SlackHome(self, self.handoff.contact, messages.base_url)

    def register(self, app: AsyncApp) -> None:
        register_assistant(app, self)  # before the message listener: assistant threads are its
        guard = self._guarded
        app.event("app_mention")(guard(self.on_mention))
        app.event("message")(guard(self.on_message))
        app.command("/policy")(guard(self.on_policy))
        app.command("/disclaimer")(guard(self.on_disclaimer))
        app.command("/policy-announce")(guard(self.on_announce))
        app.command(re.compile(r".*"))(guard(self.on_unknown_command))
        app.action("policy_post")(guard(self.on_post_to_channel))
        app.action("policy_text")(guard(self.on_policy_text))
        self.feedback.register(app)
        self.handoff.register(app)
        self.home.register(app)
        app.error(self.on_error)  # what fails outside a listener (middleware)

    def guarded(self, handler):
        """For listeners of other modules (feedback, hand-off): the same guard as these."""
        return self._guarded(handler)

    async def stored_answer(self, answer_id: str):
        """An answer from the store by id, or None (no store, unknown id)."""
        if self.store is None or not answer_id:
            return None
        return await asyncio.to_thread(self.store.get, answer_id)

    def _guarded(self, handler):
        """The listener, with any failure logged and apologised for, never left to silence.

        Bolt fills a listener's arguments by name; the guard takes the ones it needs to
        apologise and passes the listener only those it asks for.
        """
        wanted = tuple(inspect.signature(handler).parameters)

        async def guarded(ack, body, client, respond, command, action, event):
            given = {"ack": ack, "body": body, "client": client, "respond": respond, "command": command, "action": action, "event": event}
            if not await self._first_delivery(body):
                return
            try:
                await handler(**{name: given[name] for name in wanted})
            except Exception as exc:
                if ack is not None and not ack.response:
                    await ack()
                await self.on_error(exc, body, client)

        guarded.__name__ = guarded.__qualname__ = handler.__name__
        return guarded

    async def claim_event(self, body: dict) -> bool:
        """For listeners registered elsewhere (the assistant, the Home tab): the first delivery only."""
        return await self._first_delivery(body)

    async def answer_for(self, text: str, user: str | None) -> dict[str, Any]:
        """A question's answer message outside any conversation (the Home tab's examples)."""
        return await self._answer(text, user, "thread", typed=True)

    async def answer_message(self, text: str, user: str | None, *, thread: str) -> dict[str, Any]:
        """A message's answer in a conversation (the assistant threads): help, a reason, or the answer."""
        return await self._answer(text, user, "thread", thread=thread, typed=True)

    async def _first_delivery(self, body: dict) -> bool:
        """Slack retries an event it thinks went unanswered; only its first delivery is answered.

        Checked after the ack (Bolt acknowledges events before listeners run), so the check's
        database write never delays Slack's 3-second deadline.
        """
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await self.claim(f"slack:{event_id}"):
            log.info("slack: event %s delivered again (a retry); it was answered the first time", event_id)
            return False
        return True

    # --- asking -------------------------------------------------------------------------

    async def _answer(
        self, text: str, user: str | None, mode: str, *, thread: str | None = None, within: timedelta | None = None, typed: bool = False
    ) -> dict[str, Any]:
        """The message for a question; help for an empty one; the reason for one that can't be asked.

        With a thread key the question is read with that thread's earlier turns (a follow-up).
        `typed`: the person is writing to the bot directly (a DM), so help says "just type".
        """
        if wants_help(text):
            return self.messages.text(
                self.assistant.help_text(command="" if typed else "/policy", disclaimer_command="/disclaimer", language=help_language(text))
            )
        if wants_person(text):
            return self.handoff.offer(text)
        try:
            if thread:
                answer = await asyncio.to_thread(
                    self.assistant.converse, text, thread=thread, channel="slack", user_id=user, within=within
                )
            else:
                answer = await asyncio.to_thread(self.assistant.ask, text, channel="slack", user_id=user)
        except QuestionError as exc:
            return self.messages.text(str(exc))
        return self.messages.answer(answer, mode=mode)

    async def on_mention(self, event: dict, body: dict, client) -> None:
        """A mention is answered in its thread; a later mention in that thread is read as a follow-up."""
        if event.get("bot_id") or event.get("subtype"):
            return
        root = event.get("thread_ts") or event["ts"]
        thread = thread_key("slack", body.get("team_id"), event["channel"], root)
        message = await self._answer(strip_mentions(event.get("text")), event.get("user"), "thread", thread=thread)
        await client.chat_postMessage(channel=event["channel"], thread_ts=root, unfurl_links=False, **message)

    async def on_message(self, event: dict, body: dict, client) -> None:
        """Direct messages are questions; channel chatter, bot posts, edits and deletions are not.

        A DM's recent messages are one conversation (DM_MEMORY); replies in a DM's threads are
        the assistant threads' (adapters/slack/assistant.py) and have their own history.
        """
        if event.get("channel_type") != "im" or event.get("bot_id") or event.get("subtype"):
            return
        root = event.get("thread_ts")
        thread = thread_key("slack", body.get("team_id"), event["channel"], root)
        message = await self._answer(
            strip_mentions(event.get("text")), event.get("user"), "thread", thread=thread, within=None if root else DM_MEMORY, typed=True
        )
        await client.chat_postMessage(channel=event["channel"], thread_ts=root, unfurl_links=False, **message)

    async def on_policy(self, ack, command: dict, respond) -> None:
        await ack()
        message = await self._answer(command.get("text") or "", command.get("user_id"), "ephemeral")
        await respond(response_type="ephemeral", **message)

    async def on_disclaimer(self, ack, command: dict, respond, client) -> None:
        await ack()
        if not (command.get("text") or "").strip() and command.get("trigger_id"):
            # Nothing to go on: ask (kind, role, department) rather than guess.
            await client.views_open(trigger_id=command["trigger_id"], view=self.home.disclaimer_modal())
            return
        request = parse_request(command.get("text"))
        try:
            draft = self.assistant.disclaimer(kind=request.kind, role=request.role, department=request.department)
        except QuestionError as exc:
            await respond(response_type="ephemeral", **self.messages.text(str(exc)))
            return
        await respond(response_type="ephemeral", **self.messages.text(draft.text, code=True))

    async def on_announce(self, ack, command: dict, respond, client) -> None:
        await ack()
        if not self.hr.configured:
            await respond(response_type="ephemeral", **self.messages.reply("not_set_up", ANNOUNCE, HR_SETTINGS))
            return
        user = command.get("user_id")
        if not await self.hr.is_hr(client, user):
            await respond(response_type="ephemeral", **self.messages.reply("not_hr", ANNOUNCE))
            return
        text = command.get("text") or ""
        if wants_help(text):
            await respond(response_type="ephemeral", **self.messages.reply("announce_usage", ANNOUNCE))
            return
        try:
            answer = await asyncio.to_thread(self.assistant.announce, text, channel="slack", user_id=user)
        except QuestionError as exc:
            await respond(response_type="ephemeral", **self.messages.text(str(exc)))
            return
        await respond(response_type="ephemeral", **self.messages.announcement(answer))

    async def on_unknown_command(self, ack, command: dict) -> None:
        await ack(response_type="ephemeral", **self.messages.reply("unknown_command", command.get("command", "")))

    # --- buttons ------------------------------------------------------------------------

    async def _stored(self, action: dict):
        if self.store is None:
            return None
        return await asyncio.to_thread(self.store.get, action.get("value") or "")

    async def on_post_to_channel(self, ack, body: dict, action: dict, respond, client) -> None:
        await ack()
        stored = await self._stored(action)
        if stored is None:
            await respond(response_type="ephemeral", replace_original=False, **self.messages.reply("gone", "/policy"))
            return
        asker = body.get("user", {}).get("id")
        message = self.messages.answer(stored.answer, mode="posted", asker=asker)
        try:
            await client.chat_postMessage(channel=body["channel"]["id"], unfurl_links=False, **message)
        except SlackApiError as exc:
            if exc.response.get("error") in {"not_in_channel", "channel_not_found"}:
                await respond(response_type="ephemeral", replace_original=False, **self.messages.reply("not_in_channel"))
                return
            raise
        await respond(delete_original=True)

    async def on_policy_text(self, ack, action: dict, respond) -> None:
        await ack()
        stored = await self._stored(action)
        message = self.messages.policy_text(stored.answer) if stored else self.messages.reply("gone", "/policy")
        await respond(response_type="ephemeral", replace_original=False, **message)

    # --- failures -----------------------------------------------------------------------

    async def on_error(self, error: Exception, body: dict, client) -> None:
        """Log it, and tell the person: a polite apology beats silence."""
        log.error("slack: a listener failed: %s", error, exc_info=error)
        sorry = self.messages.reply("failed")
        try:
            if body.get("response_url"):  # a command or a button
                await _post_to_response_url(body["response_url"], sorry)
            elif (event := body.get("event") or {}).get("channel"):
                await client.chat_postMessage(
                    channel=event["channel"], thread_ts=event.get("thread_ts") or event.get("ts"), **sorry
                )
        except Exception as exc:  # the apology itself failed: the log has the cause
            log.error("slack: could not tell the user about the failure: %s", exc)


async def _post_to_response_url(url: str, message: dict) -> None:
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    await AsyncWebhookClient(url, timeout=10).send_dict({"response_type": "ephemeral", "replace_original": False, **message})
