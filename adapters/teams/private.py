"""HR's announcement drafts go to the HR person privately, even when asked for in a channel or group chat.

A draft is headed "only you can see this"; in a channel, replying with it would show it to
everyone. In a personal chat it is the reply; elsewhere a 1:1 chat with the asker is opened
(through the same authenticated connector as the turn) and the channel only hears that it was sent.
"""

from __future__ import annotations

import logging

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ConversationParameters

log = logging.getLogger(__name__)


def is_personal(activity: Activity) -> bool:
    conversation = activity.conversation
    return conversation is None or (conversation.conversation_type or "personal") == "personal"


async def send_privately(turn_context: TurnContext, message: Activity, cards) -> None:
    """Reply with `message` in a personal chat; otherwise send it in a 1:1 chat and say so here."""
    activity = turn_context.activity
    if is_personal(activity):
        await turn_context.send_activity(message)
        return
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    tenant = activity.conversation.tenant_id if activity.conversation else None
    params = ConversationParameters(
        is_group=False,
        bot=activity.recipient,
        members=[activity.from_property],
        tenant_id=tenant,
        channel_data={"tenant": {"id": tenant}} if tenant else None,
    )
    try:
        created = await client.conversations.create_conversation(params)
        message.service_url, message.channel_id = activity.service_url, activity.channel_id
        message.from_property, message.recipient = activity.recipient, activity.from_property
        await client.conversations.send_to_conversation(created.id, message)
    except Exception as exc:  # the connector refused (no 1:1 possible): never fall back to the channel
        log.error("teams: could not open a private chat for an announcement draft: %s", type(exc).__name__)
        await turn_context.send_activity(cards.reply("announce_not_sent"))
        return
    await turn_context.send_activity(cards.reply("announce_sent_privately"))
