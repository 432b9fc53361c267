"""Who may use /policy-announce: an allow-list of Slack user ids and/or one Slack user group."""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

log = logging.getLogger(__name__)

GROUP_TTL_S = 300  # membership changes reach the bot within five minutes


class HrDirectory:
    def __init__(self, settings: Settings) -> None:
        self.users = frozenset(settings.hr_slack_users)
        self.usergroup = settings.hr_slack_usergroup
        self._members: frozenset[str] = frozenset()
        self._fetched_at = float("-inf")

    @property
    def configured(self) -> bool:
        return bool(self.users or self.usergroup)

    async def is_hr(self, client: AsyncWebClient, user_id: str | None) -> bool:
        if not user_id:
            return False
        if user_id in self.users:
            return True
        return bool(self.usergroup) and user_id in await self._group_members(client)

    async def _group_members(self, client: AsyncWebClient) -> frozenset[str]:
        if time.monotonic() - self._fetched_at > GROUP_TTL_S:
            try:
                response = await client.usergroups_users_list(usergroup=self.usergroup)
                self._members = frozenset(response.get("users") or ())
                self._fetched_at = time.monotonic()
            except (SlackApiError, OSError, TimeoutError) as exc:
                # Keep the last list we had; a refusal is safer than letting anyone announce.
                log.error("slack: could not read the HR user group %s: %s", self.usergroup, _reason(exc))
        return self._members


def _reason(exc: Exception) -> str:
    data = getattr(getattr(exc, "response", None), "data", None)
    return str(data.get("error")) if isinstance(data, dict) else type(exc).__name__
