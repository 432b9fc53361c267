"""Hand-off to HR in Teams: Ask HR -> an editable card -> the HR channel -> HR's reply in the employee's chat.

The employee's conversation reference is kept with the hand-off, so HR's reply reaches the
chat the question came from (proactively, through the Bot Connector), on any worker, later.
HR's copy is posted to the channel POLICYBOT_HR_TEAMS_CHANNEL; only presses made there can
reply or resolve. Without a channel, Ask HR shows HR's e-mail and phone instead.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationParameters, ConversationReference

from bot.handoff import HandoffError, HrContact, clean_message, draft_question, employee_language

log = logging.getLogger(__name__)


class TeamsHandoff:
    def __init__(self, bot, contact: HrContact, app_id: str | None) -> None:
        self.bot = bot
        self.contact = contact
        self.app_id = app_id or ""

    @property
    def can_send(self) -> bool:
        return bool(self.contact.teams_channel and self.bot.store is not None)

    @property
    def cards(self):
        return self.bot.cards

    def _words(self, key: str, language: str = "en") -> str:
        return self.bot.assistant.templates.phrase(key, language)

    def _note(self, title_key: str, text: str, language: str = "en") -> dict:
        """A card with a title (a phrase of phrases.j2, in `language`) and a text."""
        return self.cards.handoff_card("note", self._words(title_key, language), text)

    def _contact_card(self, language: str) -> dict:
        return self._note("ctl_ask_hr", self.bot.assistant.reply("hr_contact", self.contact, language), language)

    def offer_card(self, language: str) -> dict:
        """The reply to "can I talk to a person?", in the language it was asked in (bot.handoff.person_language)."""
        text = self.bot.assistant.reply("person_offer", self.contact, self.can_send, language)
        return self.cards.handoff_card("offer", text, language) if self.can_send else self._note("title_talk_to_hr", text, language)

    # --- the employee ---------------------------------------------------------------------

    async def start(self, data: dict) -> dict:
        stored = await self.bot.stored_answer(data.get("answer_id"))
        answer = stored.answer if stored else None
        language = employee_language(answer, data.get("language"))
        if not self.can_send:
            return self._contact_card(language)
        return self.cards.handoff_card("form", draft_question(answer), stored.id if stored else "", answer.question if answer else "", language)

    async def send(self, turn_context: TurnContext, data: dict, user: str | None) -> dict:
        stored = await self.bot.stored_answer(data.get("answer_id"))
        language = employee_language(stored.answer if stored else None, data.get("language"))
        if not self.can_send:
            return self._contact_card(language)
        try:
            message = clean_message(data.get("message"))
        except HandoffError as exc:
            return self._note("ctl_ask_hr", self._words(exc.key, language), language)
        activity = turn_context.activity
        store = self.bot.store.handoffs
        try:
            reference = (await self._private_reference(turn_context)).serialize()
            handoff = await asyncio.to_thread(
                store.create,
                channel="teams",
                user_id=user,
                answer_id=stored.id if stored else None,
                question=stored.answer.question if stored else message,
                message=message,
                employee_ref=reference,
                language=language,
            )
            hr_card = self._hr_card(handoff, stored)
            sent_id = await self._send(turn_context, self._hr_reference(activity), self.cards.card_activity(hr_card, self._words("summary_question_for_hr")))
            await asyncio.to_thread(store.posted, handoff.id, {"conversation": self.contact.teams_channel, "activity_id": sent_id})
        except Exception as exc:  # the employee must hear back either way
            log.error("teams: a hand-off to HR failed: %s", exc, exc_info=exc)
            return self._note("ctl_ask_hr", self.bot.assistant.reply("handoff_failed", self.contact, language), language)
        return self.cards.handoff_card("sent", message, language)

    # --- HR ---------------------------------------------------------------------------------

    def _in_hr_channel(self, activity) -> bool:
        conversation = activity.conversation.id if activity.conversation else ""
        return bool(self.contact.teams_channel) and conversation.split(";")[0] == self.contact.teams_channel

    async def reply(self, turn_context: TurnContext, data: dict, user: str | None) -> dict | None:
        if not self._in_hr_channel(turn_context.activity):
            log.warning("teams: a hand-off reply from outside the HR channel was ignored")
            return None
        store = self.bot.store.handoffs
        current = await asyncio.to_thread(store.get, data.get("handoff_id") or "")
        if current is None:
            return None
        try:
            text = clean_message(data.get("reply"))
        except HandoffError:
            return self._hr_card(current, await self.bot.stored_answer(current.answer_id))
        handoff = await asyncio.to_thread(store.reply, current.id, text, by=user)
        if handoff is None:  # resolved meanwhile
            return self._hr_card(current, await self.bot.stored_answer(current.answer_id))
        stored = await self.bot.stored_answer(handoff.answer_id)
        language = employee_language(stored.answer if stored else None, handoff.language)
        employee = ConversationReference().deserialize(handoff.employee_ref)
        card = self.cards.handoff_card("employee_reply", handoff, language)
        try:
            await self._send(turn_context, employee, self.cards.card_activity(card, self._words("summary_hr_replied", language)))
        except Exception as exc:  # the reply is kept with the hand-off; HR's card still shows it
            log.error("teams: HR's reply to hand-off %s could not reach the employee: %s", handoff.id, exc, exc_info=exc)
        return self._hr_card(handoff, stored)

    async def resolve(self, turn_context: TurnContext, data: dict, user: str | None) -> dict | None:
        if not self._in_hr_channel(turn_context.activity):
            log.warning("teams: a hand-off resolve from outside the HR channel was ignored")
            return None
        store = self.bot.store.handoffs
        handoff = await asyncio.to_thread(store.resolve, data.get("handoff_id") or "", by=user)
        handoff = handoff or await asyncio.to_thread(store.get, data.get("handoff_id") or "")
        return self._hr_card(handoff, await self.bot.stored_answer(handoff.answer_id)) if handoff else None

    # --- plumbing ---------------------------------------------------------------------------

    def _hr_card(self, handoff, stored) -> dict:
        answer = stored.answer if stored else None
        return self.cards.handoff_card("hr_card", handoff, answer, stored.permalink if stored else None)

    async def _private_reference(self, turn_context: TurnContext) -> ConversationReference:
        """Where HR's reply goes: this chat when it is one to one, else a new one-to-one chat.

        A question sent from a channel or group chat must not be answered in front of everyone.
        """
        activity = turn_context.activity
        if getattr(activity.conversation, "conversation_type", None) == "personal":
            return TurnContext.get_conversation_reference(activity)
        tenant = getattr(activity.conversation, "tenant_id", None)
        params = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[ChannelAccount(id=activity.from_property.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        created: dict = {}

        async def remember(context: TurnContext) -> None:
            created["reference"] = TurnContext.get_conversation_reference(context.activity)

        await turn_context.adapter.create_conversation(self.app_id, remember, params, activity.channel_id or "msteams", activity.service_url)
        return created["reference"]

    def _hr_reference(self, activity) -> ConversationReference:
        """The HR channel, reached through the same Bot Connector service as this conversation."""
        tenant = getattr(activity.conversation, "tenant_id", None) if activity.conversation else None
        return ConversationReference(
            channel_id=activity.channel_id or "msteams",
            service_url=activity.service_url,
            bot=ChannelAccount(id=activity.recipient.id if activity.recipient else None),
            conversation=ConversationAccount(id=self.contact.teams_channel, is_group=True, conversation_type="channel", tenant_id=tenant),
        )

    async def _send(self, turn_context: TurnContext, reference: ConversationReference, activity) -> str | None:
        """Send to another conversation; its failure is raised here, to the caller, which tells the
        person (the adapter would otherwise take it as a failed turn of its own, and swallow it)."""
        sent: dict = {}

        async def callback(context: TurnContext) -> None:
            try:
                response = await context.send_activity(activity)
            except Exception as exc:
                sent["error"] = exc
                return
            sent["id"] = getattr(response, "id", None)

        await turn_context.adapter.continue_conversation(reference, callback, self.app_id)
        if "error" in sent:
            raise sent["error"]
        return sent.get("id")
