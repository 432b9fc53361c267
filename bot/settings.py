"""Configuration, from environment variables (and a `.env` file, read by `policybot`; see .env.example).

Secrets are never logged. A bad value stops the program with one line naming the variable
(SettingsError), never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class SettingsError(ValueError):
    """A configuration value that cannot be used; the message names the variable and what it takes."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def _list(name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (os.environ.get(name) or "").replace(";", ",").split(",") if v.strip())


def port_number(text: str, name: str = "PORT") -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise SettingsError(f"{name} must be a port number from 1 to 65535, not {text!r}.")
    return int(text)


def _int(name: str, default: int | None, *, minimum: int = 0) -> int | None:
    text = _env(name)
    if text is None:
        return default
    if not text.isdigit() or int(text) < minimum:
        raise SettingsError(f"{name} must be a whole number of at least {minimum}, not {text!r}.")
    return int(text)


def _float(name: str, default: float) -> float:
    text = _env(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 300:
        raise SettingsError(f"{name} must be a number of seconds between 0 and 300, not {text!r}.")
    return value


def _switch(name: str, *, auto: bool = False) -> bool | None:
    """on/off (1/0, true/false, yes/no); "auto" or unset -> None when auto is allowed, else False."""
    text = (_env(name) or ("auto" if auto else "off")).lower()
    if text in {"1", "on", "true", "yes"}:
        return True
    if text in {"0", "off", "false", "no"}:
        return False
    if auto and text == "auto":
        return None
    choices = "on, off or auto" if auto else "on or off"
    raise SettingsError(f"{name} must be {choices}, not {text!r}.")


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
    # Teams (adapters/teams): without an app id the route answers 503, unless emulator mode is on.
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = field(default=None, repr=False)
    microsoft_app_type: str = "MultiTenant"
    microsoft_app_tenant_id: str | None = None
    teams_emulator: bool = False  # POLICYBOT_TEAMS_EMULATOR=1: unauthenticated, loopback serviceUrl only
    teams_openid_metadata_url: str | None = None  # tests point Microsoft's key metadata at a local server
    # The answer store (bot/store): SQLite by default, PostgreSQL in production.
    database_url: str | None = field(default=None, repr=False)
    data_dir: str = field(default_factory=lambda: _env("POLICYBOT_DATA_DIR", "data"))  # also for Settings(...)
    store_timeout_s: float = 5.0  # the longest any request waits for the store
    retention_days: int | None = None  # answers older than this are purged (None: kept)
    # HR: who may use /policy-announce (Slack user ids, a Slack user group id, Teams AAD object ids).
    hr_slack_users: tuple[str, ...] = ()
    hr_slack_usergroup: str | None = None
    hr_teams_users: tuple[str, ...] = ()
    # The public surfaces (adapters/web/guard.py): the chat page and /api/ask.
    public_chat: bool | None = None  # None: on only when listening on loopback
    rate_limit_per_minute: int = 30  # questions per client per minute on the web routes (0: no limit)
    trust_proxy: bool = False  # the client's address from X-Forwarded-For (behind the City's proxy)
    # Hand-off to HR (bot/handoff.py): the contact shown to employees, and where HR reads questions
    # sent to a person (a Slack channel id "C0123..."; a Teams channel id "19:...@thread.tacv2").
    hr_email: str | None = None
    hr_phone: str | None = None
    hr_slack_channel: str | None = None
    hr_teams_channel: str | None = None
    workers: int = 1  # processes serving the port (set by `policybot serve`)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        port = port_number(_env("PORT", "8000"))
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
            teams_emulator=bool(_switch("POLICYBOT_TEAMS_EMULATOR")),
            database_url=_env("POLICYBOT_DATABASE_URL") or _env("DATABASE_URL"),
            data_dir=_env("POLICYBOT_DATA_DIR", "data"),
            store_timeout_s=_float("POLICYBOT_STORE_TIMEOUT", 5.0),
            retention_days=_int("POLICYBOT_RETENTION_DAYS", None, minimum=1),
            hr_slack_users=_list("POLICYBOT_HR_SLACK_USERS"),
            hr_slack_usergroup=_env("POLICYBOT_HR_SLACK_USERGROUP"),
            hr_teams_users=_list("POLICYBOT_HR_TEAMS_USERS"),
            public_chat=_switch("POLICYBOT_PUBLIC_CHAT", auto=True),
            rate_limit_per_minute=_int("POLICYBOT_RATE_LIMIT_PER_MINUTE", 30),
            trust_proxy=bool(_switch("POLICYBOT_TRUST_PROXY")),
            hr_email=_env("POLICYBOT_HR_EMAIL"),
            hr_phone=_env("POLICYBOT_HR_PHONE"),
            hr_slack_channel=_env("POLICYBOT_HR_SLACK_CHANNEL"),
            hr_teams_channel=_env("POLICYBOT_HR_TEAMS_CHANNEL"),
        )
        values.update(overrides)
        return cls(**values)

    @property
    def slack_enabled(self) -> bool:
        """POST /slack/events takes requests: it needs the bot token and the signing secret to verify them.

        Socket Mode (SLACK_APP_TOKEN) needs no signing secret, so it can run with this False.
        """
        return bool(self.slack_bot_token and self.slack_signing_secret)

    @property
    def chat_enabled(self) -> bool:
        """The chat page and /api/ask: on when set so, else only when nobody but this machine can reach them."""
        return self.public_chat if self.public_chat is not None else self.host in LOOPBACK_HOSTS

    @property
    def https(self) -> bool:
        return self.public_base_url.startswith("https://")


def load_dotenv_file(path: str = ".env") -> None:
    """Read `.env` from the working folder (python-dotenv); variables already set win."""
    from dotenv import load_dotenv

    load_dotenv(os.path.join(os.getcwd(), path), override=False)
