"""Teams replies rendered from templates: Adaptive Cards are written as data in bot/templates/*.teams.json.j2."""

from __future__ import annotations

import json

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity

from bot.answer import Answer
from bot.assistant import EXAMPLE_QUESTIONS, Assistant
from bot.disclaimer import Disclaimer
from bot.store import links


class TeamsCards:
    def __init__(self, assistant: Assistant, base_url: str) -> None:
        self.assistant = assistant
        self.base_url = base_url

    @staticmethod
    def _card(rendered: str, summary: str) -> Activity:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(json.loads(rendered)))
        activity.summary = summary[:200]  # what notifications and the chat list show
        return activity

    def answer(self, answer: Answer) -> Activity:
        number = answer.policy.number
        rendered = self.assistant.render(
            answer,
            "teams.json",
            permalink=answer.extras.get("permalink"),
            section_url=lambda section_id: links.section_url(self.base_url, number, section_id),
        )
        main = answer.quotes[0] if answer.quotes else None
        return self._card(rendered, (main.summary or main.label) if main else answer.text)

    def disclaimer(self, draft: Disclaimer) -> Activity:
        policy_url = links.policy_url(self.base_url, self.assistant.policy.number, anchor="s3-2")
        rendered = self.assistant.templates.render("disclaimer.teams.json.j2", d=draft, policy_url=policy_url)
        return self._card(rendered, draft.sentence)

    def announcement(self, answer: Answer) -> Activity:
        return self._card(self.assistant.render_announcement(answer, "teams.json"), "Announcement draft")

    def help(self) -> Activity:
        return MessageFactory.text(self.assistant.help_text(command="", disclaimer_command="disclaimer"))

    def welcome(self) -> Activity:
        return MessageFactory.text(
            self.assistant.templates.render("welcome.text.j2", examples=EXAMPLE_QUESTIONS, disclaimer_command="disclaimer")
        )

    def reply(self, name: str, *args: object) -> Activity:
        return MessageFactory.text(self.assistant.reply(name, *args))

    def text(self, text: str) -> Activity:
        return MessageFactory.text(text)
