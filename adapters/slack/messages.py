"""Slack messages rendered from templates: Block Kit is written as data in bot/templates/*.slack.j2."""

from __future__ import annotations

import json
from typing import Any

from bot.answer import Answer
from bot.assistant import Assistant
from bot.store import links

Message = dict[str, Any]  # {"text": fallback, "blocks": [...]}: what chat.postMessage and respond take


class SlackMessages:
    def __init__(self, assistant: Assistant, base_url: str) -> None:
        self.assistant = assistant
        self.base_url = base_url

    def _section_url(self, number: str):
        return lambda section_id: links.section_url(self.base_url, number, section_id)

    def answer(self, answer: Answer, *, mode: str, asker: str | None = None, feedback: str | None = None) -> Message:
        """mode: "ephemeral" (/policy), "thread" (a mention or DM) or "posted" (reposted to the channel).

        feedback ("up", "down" or a reason) swaps the 👍/👎 for what was said about the answer.
        A reply to a thank-you is a plain message: there is nothing to rate, post or link.
        """
        if answer.is_acknowledgement:
            return self.text(answer.text)
        rendered = self.assistant.render(
            answer,
            "slack",
            mode=mode,
            asker=asker,
            feedback=feedback,
            permalink=answer.extras.get("permalink"),
            section_url=self._section_url(answer.policy.number),
        )
        return json.loads(rendered)

    def controls(self, answer: Answer, *, mode: str, feedback: str | None) -> list[dict]:
        """Only the blocks under an answer (buttons, feedback note): what a 👍/👎 replaces in place."""
        rendered = self.assistant.templates.render(
            "controls.slack.j2", answer=answer, mode=mode, feedback=feedback, permalink=answer.extras.get("permalink")
        )
        return json.loads(rendered)

    def handoff(self, name: str, *args: object) -> Message:
        """A hand-off message or modal view: a macro of handoff.slack.j2."""
        return json.loads(self.assistant.templates.macro("handoff.slack.j2", name, *args))

    def ask_hr_button(self, answer_id: str = "", language: str = "en") -> dict:
        """The Ask HR button (controls.slack.j2's, as under an answer), for a message that is not an answer."""
        return json.loads(self.assistant.templates.macro("controls.slack.j2", "ask_hr", answer_id, language))

    def with_button(self, message: Message, button: dict) -> Message:
        """The message with one more actions block (e.g. "Ask HR" under a reply)."""
        return {**message, "blocks": [*message.get("blocks", []), {"type": "actions", "elements": [button]}]}

    def policy_text(self, answer: Answer) -> Message:
        rendered = self.assistant.templates.render(
            "policy_text.slack.j2", answer=answer, section_url=self._section_url(answer.policy.number)
        )
        return json.loads(rendered)

    def announcement(self, answer: Answer) -> Message:
        return json.loads(self.assistant.render_announcement(answer, "slack"))

    def text(self, text: str, *, code: bool = False) -> Message:
        return json.loads(self.assistant.templates.render("message.slack.j2", text=text, code=code))

    def reply(self, name: str, *args: object) -> Message:
        """One of the short replies in replies.text.j2 (a macro per reply)."""
        return self.text(self.assistant.reply(name, *args))
