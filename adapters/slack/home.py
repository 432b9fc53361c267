"""Slack's App Home tab and the disclaimer modal.

The Home tab shows example questions (a press answers in the person's DM), "Draft my
disclaimer", the policy's link and HR's contact. /disclaimer with no text, and the Home
tab's button, open a modal asking kind, role and department instead of guessing; the draft
arrives in the person's DM.
"""

from __future__ import annotations

import json
import logging
import re

from slack_bolt.async_app import AsyncApp

from bot.composer import policy_ref
from bot.handoff import HrContact
from bot.questions import QuestionError
from bot.store import links

log = logging.getLogger(__name__)


class SlackHome:
    def __init__(self, listeners, contact: HrContact, base_url: str) -> None:
        self.listeners = listeners
        self.assistant = listeners.assistant
        self.messages = listeners.messages
        self.contact = contact
        self.base_url = base_url

    def register(self, app: AsyncApp) -> None:
        guard = self.listeners.guarded
        app.event("app_home_opened")(self.on_home_opened)
        app.action(re.compile(r"^home_example_\d+$"))(guard(self.on_example))
        app.action("home_policy_link")(guard(self.on_link))
        app.action("disclaimer_open")(guard(self.on_disclaimer_button))
        app.view("disclaimer_draft")(self.on_disclaimer_submitted)

    def _view(self, name: str, *args: object) -> dict:
        return json.loads(self.assistant.templates.macro("home.slack.j2", name, *args))

    def home_view(self) -> dict:
        policy = policy_ref(self.assistant.policy)
        return self._view(
            "home", self.assistant.examples, policy, links.policy_url(self.base_url, policy.number), self.assistant.reply("hr_contact", self.contact)
        )

    def disclaimer_modal(self) -> dict:
        return self._view("disclaimer_modal", self.assistant.disclaimer_kinds)

    async def on_home_opened(self, event: dict, body: dict, client) -> None:
        if event.get("tab") != "home" or not await self.listeners.claim_event(body):
            return
        await client.views_publish(user_id=event["user"], view=self.home_view())

    async def on_example(self, ack, body: dict, action: dict, client) -> None:
        await ack()
        user = body.get("user", {}).get("id")
        message = await self.listeners.answer_for(action.get("value") or "", user)
        await client.chat_postMessage(channel=user, unfurl_links=False, **message)

    async def on_link(self, ack) -> None:
        await ack()  # a link button: Slack opens it

    async def on_disclaimer_button(self, ack, body: dict, client) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=self.disclaimer_modal())

    async def on_disclaimer_submitted(self, ack, body: dict, view: dict, client) -> None:
        values = (view.get("state") or {}).get("values") or {}
        kind = ((values.get("kind") or {}).get("kind") or {}).get("selected_option", {}) or {}
        role = ((values.get("role") or {}).get("role") or {}).get("value")
        department = ((values.get("department") or {}).get("department") or {}).get("value")
        try:
            draft = self.assistant.disclaimer(kind=kind.get("value") or "post", role=role, department=department)
        except QuestionError as exc:
            await ack(response_action="errors", errors={"role": str(exc)})
            return
        await ack()
        await client.chat_postMessage(channel=body.get("user", {}).get("id"), **self.messages.text(draft.text, code=True))
