"""👍/👎 on a Teams answer card (Action.Execute): the vote is kept and the card refreshes in place.

A 👎 refreshes to a card asking what was wrong (a choice and optional words); sending it
keeps the reason and refreshes to a thank-you with Ask HR.
"""

from __future__ import annotations

import asyncio

from bot.feedback import FeedbackError


class TeamsFeedback:
    def __init__(self, bot) -> None:
        self.bot = bot

    async def vote(self, data: dict, user: str | None) -> dict | None:
        """The refreshed card, or None when the answer is unknown."""
        answer_id = data.get("answer_id")
        stored = await self.bot.stored_answer(answer_id)
        if stored is None:
            return None
        up = data.get("value") == 1
        await asyncio.to_thread(self.bot.assistant.feedback, answer_id, 1 if up else -1, channel="teams", user_id=user)
        return self.bot.cards.answer_card(stored.answer, feedback="up" if up else "down")

    async def reason(self, data: dict, user: str | None) -> dict | None:
        answer_id = data.get("answer_id")
        stored = await self.bot.stored_answer(answer_id)
        if stored is None:
            return None
        try:
            reason = await asyncio.to_thread(
                self.bot.assistant.feedback_reason, answer_id, data.get("reason"), data.get("detail"), channel="teams", user_id=user
            )
        except FeedbackError:
            return self.bot.cards.answer_card(stored.answer, feedback="down")  # ask again
        return self.bot.cards.answer_card(stored.answer, feedback=reason)
