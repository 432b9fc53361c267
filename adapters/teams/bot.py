"""The Teams bot: an ActivityHandler that turns messages into Assistant calls and cards.

Teams sends the same activity again when it thinks a reply was lost; the activity id is
claimed in the answer store first, so it is answered once. Errors never reach the user as a
traceback: CloudAdapter.on_turn_error (routes.py) logs them and sends a polite reply.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, ChannelAccount

from adapters.teams.cards import TeamsCards
from adapters.teams.commands import parse
from adapters.teams.private import send_privately
from adapters.teams.feedback import TeamsFeedback
from adapters.teams.handoff import TeamsHandoff
from bot.assistant import Assistant
from bot.handoff import HrContact, person_language, wants_person
from bot.help import help_language
from bot.disclaimer import parse_request
from bot.questions import QuestionError
from bot.settings import Settings
from bot.threads import thread_key

log = logging.getLogger(__name__)

ANNOUNCE = '"announce"'
HR_SETTING = "POLICYBOT_HR_TEAMS_USERS"
# A personal or group chat is one long conversation: its recent messages are read together.
CHAT_MEMORY = timedelta(minutes=30)


def conversation_thread(activity: Activity) -> tuple[str, timedelta | None]:
    """The thread key of an activity and how long its turns count.

    A channel conversation's id names its thread ("19:...;messageid=..."), so a reply thread
    keeps its history; chats have no threads, so their recent messages make the conversation.
    """
    conversation = activity.conversation
    key = thread_key("teams", conversation.id if conversation else "")
    kind = getattr(conversation, "conversation_type", None) if conversation else None
    return key, (None if kind == "channel" else CHAT_MEMORY)


def asker_id(activity: Activity) -> str | None:
    """The person's opaque id: their Azure AD object id in Teams, else the channel's user id."""
    who = activity.from_property
    return (getattr(who, "aad_object_id", None) or getattr(who, "id", None)) if who else None


class PolicyBot(ActivityHandler):
    def __init__(self, assistant: Assistant, settings: Settings, store=None) -> None:
        self.assistant = assistant
        self.cards = TeamsCards(assistant, settings.public_base_url)
        self.hr_users = frozenset(settings.hr_teams_users)
        self.store = store
        self.feedback = TeamsFeedback(self)
        self.handoff = TeamsHandoff(self, HrContact.from_settings(settings), settings.microsoft_app_id)

    async def stored_answer(self, answer_id: object):
        """An answer from the store by id, or None (no store, unknown or malformed id)."""
        if self.store is None or not isinstance(answer_id, str) or not answer_id:
            return None
        return await asyncio.to_thread(self.store.get, answer_id)

    async def on_turn(self, turn_context: TurnContext) -> None:
        if not await self._first_delivery(turn_context.activity):
            return
        await super().on_turn(turn_context)

    async def _first_delivery(self, activity: Activity) -> bool:
        if self.store is None or not activity.id:
            return True
        key = f"teams:{activity.conversation.id if activity.conversation else ''}:{activity.id}"
        if await asyncio.to_thread(self.store.claim_delivery, key):
            return True
        log.info("teams: activity %s delivered again; it was answered the first time", activity.id)
        return False

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and activity.value.get("action"):
            await self._on_card_action(turn_context, activity.value)
            return
        text = TurnContext.remove_recipient_mention(activity) if activity.text else ""
        if not (text or "").strip() and activity.attachments and not activity.value:
            await turn_context.send_activity(self.cards.reply("no_text"))
            return
        command = parse(text)
        if command.name == "help":
            await turn_context.send_activity(self.cards.help(help_language(text)))
        elif command.name == "disclaimer":
            await self._disclaimer(turn_context, command.text)
        elif command.name == "announce":
            await self._announce(turn_context, command.text)
        elif wants_person(command.text):
            language = person_language(command.text)
            offer = self.handoff.offer_card(language)
            await turn_context.send_activity(self.cards.card_activity(offer, self.assistant.templates.phrase("ctl_ask_hr", language)))
        else:
            await self._ask(turn_context, command.text)

    async def _typing(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(Activity(type=ActivityTypes.typing))

    async def _ask(self, turn_context: TurnContext, text: str) -> None:
        await self._typing(turn_context)
        thread, within = conversation_thread(turn_context.activity)
        try:
            answer = await asyncio.to_thread(
                self.assistant.converse, text, thread=thread, channel="teams", user_id=asker_id(turn_context.activity), within=within
            )
        except QuestionError as exc:
            await turn_context.send_activity(self.cards.text(str(exc)))
            return
        await turn_context.send_activity(self.cards.answer(answer))

    async def _disclaimer(self, turn_context: TurnContext, text: str) -> None:
        request = parse_request(text)
        try:
            draft = self.assistant.disclaimer(kind=request.kind, role=request.role, department=request.department)
        except QuestionError as exc:
            await turn_context.send_activity(self.cards.text(str(exc)))
            return
        await turn_context.send_activity(self.cards.disclaimer(draft))

    async def _announce(self, turn_context: TurnContext, text: str) -> None:
        if not self.hr_users:
            await turn_context.send_activity(self.cards.reply("not_set_up", ANNOUNCE, HR_SETTING))
            return
        user = asker_id(turn_context.activity)
        if user not in self.hr_users:
            await turn_context.send_activity(self.cards.reply("not_hr", ANNOUNCE))
            return
        if not text:
            await turn_context.send_activity(self.cards.reply("announce_usage", "announce"))
            return
        await self._typing(turn_context)
        try:
            answer = await asyncio.to_thread(self.assistant.announce, text, channel="teams", user_id=user)
        except QuestionError as exc:
            await turn_context.send_activity(self.cards.text(str(exc)))
            return
        await send_privately(turn_context, self.cards.announcement(answer), self.cards)  # never to a whole channel

    async def _on_card_action(self, turn_context: TurnContext, data: dict) -> None:
        if data.get("action") == "feedback" and isinstance(data.get("answer_id"), str):
            value = 1 if data.get("value") == 1 else -1
            user = asker_id(turn_context.activity)
            await asyncio.to_thread(self.assistant.feedback, data["answer_id"], value, channel="teams", user_id=user)
            await turn_context.send_activity(self.cards.reply("thanks", value))
        # other submits (an old card's button): nothing to do, and nothing to say

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        """Welcome when the bot itself joins a chat or team (not each person who joins later).

        A person who adds the bot for themselves gets a card with example questions to tap.
        """
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if any(member.id == bot_id for member in members_added):
            personal = getattr(activity.conversation, "conversation_type", None) == "personal"
            await turn_context.send_activity(self.cards.welcome_card() if personal else self.cards.welcome())

    async def on_invoke_activity(self, turn_context: TurnContext):
        """Action.Execute: the refreshed card goes back as the invoke's HTTP response.

        botbuilder 4.17's default path serializes the response twice (the adapter fails on the
        already-plain dict), so the model is handed to the adapter unserialized here.
        """
        if turn_context.activity.name == "adaptiveCard/action":
            value = turn_context.activity.value
            action = value.get("action") if isinstance(value, dict) else None
            if not isinstance(action, dict) or action.get("type") != "Action.Execute":
                return InvokeResponse(status=400, body=None)
            response = await self.on_adaptive_card_invoke(turn_context, AdaptiveCardInvokeValue(action=action))
            return InvokeResponse(status=200, body=response)
        return await super().on_invoke_activity(turn_context)

    async def on_adaptive_card_invoke(self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue) -> AdaptiveCardInvokeResponse:
        """Action.Execute presses: 👍/👎 and reasons, Ask HR, HR's reply and resolve. The card refreshes in place."""
        action = invoke_value.action or {}
        data = action.get("data") if isinstance(action.get("data"), dict) else {}
        verb = action.get("verb")
        user = asker_id(turn_context.activity)
        card = None
        if verb == "feedback":
            card = await self.feedback.vote(data, user)
        elif verb == "feedback_reason":
            card = await self.feedback.reason(data, user)
        elif verb == "handoff_start":
            card = await self.handoff.start(data)
        elif verb == "handoff_send":
            card = await self.handoff.send(turn_context, data, user)
        elif verb == "handoff_reply":
            card = await self.handoff.reply(turn_context, data, user)
        elif verb == "handoff_resolve":
            card = await self.handoff.resolve(turn_context, data, user)
        if card is None:
            card = self.cards.handoff_card("note", self.assistant.templates.phrase("title_not_available"), self.assistant.reply("gone", ""))
        return AdaptiveCardInvokeResponse(status_code=200, type="application/vnd.microsoft.card.adaptive", value=card)



