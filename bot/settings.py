"""Configuration, from environment variables only (see .env.example). Secrets are never logged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def _list(name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (os.environ.get(name) or "").replace(";", ",").split(",") if v.strip())


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = "http://127.0.0.1:8000"
    # Slack (adapters/slack): without token and signing secret the Slack route answers 503.
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str | None = None  # tests point the Web API at a local server
    # Teams (adapters/teams): without an app id the route accepts unauthenticated Emulator traffic.
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = field(default=None, repr=False)
    microsoft_app_type: str = "MultiTenant"
    microsoft_app_tenant_id: str | None = None
    # The answer store (bot/store): SQLite by default, PostgreSQL in production.
    database_url: str | None = field(default=None, repr=False)
    data_dir: str = field(default_factory=lambda: _env("POLICYBOT_DATA_DIR", "data"))  # also for Settings(...)
    # HR: who may use /policy-announce (Slack user ids, a Slack user group id, Teams AAD object ids).
    hr_slack_users: tuple[str, ...] = ()
    hr_slack_usergroup: str | None = None
    hr_teams_users: tuple[str, ...] = ()
    # Hand-off to HR (bot/handoff.py): the contact shown to employees, and where HR reads questions
    # sent to a person (a Slack channel id "C0123..."; a Teams channel id "19:...@thread.tacv2").
    hr_email: str | None = None
    hr_phone: str | None = None
    hr_slack_channel: str | None = None
    hr_teams_channel: str | None = None

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        port = int(_env("PORT", "8000"))
        values = dict(
            host=_env("HOST", "127.0.0.1"),
            port=port,
            public_base_url=(_env("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
            slack_bot_token=_env("SLACK_BOT_TOKEN"),
            slack_signing_secret=_env("SLACK_SIGNING_SECRET"),
            slack_app_token=_env("SLACK_APP_TOKEN"),
            slack_api_url=_env("SLACK_API_URL"),
            microsoft_app_id=_env("MicrosoftAppId"),
            microsoft_app_password=_env("MicrosoftAppPassword"),
            microsoft_app_type=_env("MicrosoftAppType", "MultiTenant"),
            microsoft_app_tenant_id=_env("MicrosoftAppTenantId"),
            database_url=_env("POLICYBOT_DATABASE_URL") or _env("DATABASE_URL"),
            data_dir=_env("POLICYBOT_DATA_DIR", "data"),
            hr_slack_users=_list("POLICYBOT_HR_SLACK_USERS"),
            hr_slack_usergroup=_env("POLICYBOT_HR_SLACK_USERGROUP"),
            hr_teams_users=_list("POLICYBOT_HR_TEAMS_USERS"),
            hr_email=_env("POLICYBOT_HR_EMAIL"),
            hr_phone=_env("POLICYBOT_HR_PHONE"),
            hr_slack_channel=_env("POLICYBOT_HR_SLACK_CHANNEL"),
            hr_teams_channel=_env("POLICYBOT_HR_TEAMS_CHANNEL"),
        )
        values.update(overrides)
        return cls(**values)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret)
