"""Teams replies rendered from templates: Adaptive Cards are written as data in bot/templates/*.teams.json.j2."""

from __future__ import annotations

import json

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ActionTypes, CardAction, SuggestedActions

from bot.answer import Answer
from bot.assistant import Assistant
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

    def answer_card(self, answer: Answer, *, feedback: str | None = None) -> dict:
        """The answer's Adaptive Card as data; `feedback` is the state a 👍/👎 refreshes it to."""
        number = answer.policy.number
        rendered = self.assistant.render(
            answer,
            "teams.json",
            feedback=feedback,
            permalink=answer.extras.get("permalink"),
            section_url=lambda section_id: links.section_url(self.base_url, number, section_id),
        )
        return json.loads(rendered)

    def answer(self, answer: Answer) -> Activity:
        if answer.is_acknowledgement:  # a reply to a thank-you: nothing to rate, link or hand off
            return self.text(answer.text)
        main = answer.quotes[0] if answer.quotes else None
        activity = self._card(json.dumps(self.answer_card(answer)), (main.summary or main.label) if main else answer.text)
        if not answer.in_scope:
            activity.suggested_actions = self.suggestions()  # something it can answer, one tap away
        return activity

    def suggestions(self, language: str = "en") -> SuggestedActions:
        """Quick replies: example questions, in `language`, sent as if typed."""
        examples = self.assistant.examples_in(language)
        return SuggestedActions(actions=[CardAction(type=ActionTypes.im_back, title=q, value=q) for q in examples])

    def handoff_card(self, name: str, *args: object) -> dict:
        """A hand-off card as data: a macro of handoff.teams.json.j2."""
        return json.loads(self.assistant.templates.macro("handoff.teams.json.j2", name, *args))

    def card_activity(self, card: dict, summary: str) -> Activity:
        return self._card(json.dumps(card), summary)

    def disclaimer(self, draft: Disclaimer) -> Activity:
        policy_url = links.policy_url(self.base_url, self.assistant.policy.number, anchor="s3-2")
        rendered = self.assistant.templates.render("disclaimer.teams.json.j2", d=draft, policy_url=policy_url)
        return self._card(rendered, draft.sentence)

    def announcement(self, answer: Answer) -> Activity:
        return self._card(self.assistant.render_announcement(answer, "teams.json"), self.assistant.templates.phrase("summary_announcement"))

    def help(self, language: str = "en") -> Activity:
        """What the bot does, in the greeting's language (bot.help.help_language), with example quick replies."""
        activity = MessageFactory.text(self.assistant.help_text(command="", disclaimer_command="disclaimer", language=language))
        activity.suggested_actions = self.suggestions(language)
        return activity

    def welcome(self) -> Activity:
        return MessageFactory.text(
            self.assistant.templates.render("welcome.text.j2", examples=self.assistant.examples, disclaimer_command="disclaimer")
        )

    def welcome_card(self) -> Activity:
        """For a person who adds the bot: a card whose example buttons ask for them, and quick replies."""
        rendered = self.assistant.templates.render("welcome.teams.json.j2", examples=self.assistant.examples, disclaimer_command="disclaimer")
        activity = self._card(rendered, self.assistant.templates.phrase("summary_welcome"))
        activity.suggested_actions = self.suggestions()
        return activity

    def reply(self, name: str, *args: object) -> Activity:
        return MessageFactory.text(self.assistant.reply(name, *args))

    def text(self, text: str) -> Activity:
        return MessageFactory.text(text)
