"""Slack request signatures, checked before Bolt sees a request: an unverifiable request reaches nothing.

Bolt verifies signatures too, but a malformed `X-Slack-Request-Timestamp` ("abc", "1.7e9", 5,000
digits) makes its check raise instead of refuse, and Bolt then runs the app's error handler with
the unverified body, whose `response_url` and channel the caller chose. Here every request whose
signature cannot be verified, for whatever reason, is simply refused, and nothing of its body is logged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

# Slack's own formats: a Unix time in seconds, and "v0=" + a hex SHA-256 HMAC.
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def is_verified(secret: str | None, body: bytes, headers: Mapping[str, str]) -> bool:
    """True only for a body signed with `secret` within the last five minutes (slack_sdk's check)."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not secret or not TIMESTAMP.fullmatch(timestamp) or not SIGNATURE.fullmatch(signature):
        return False
    try:
        return SignatureVerifier(secret).is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, UnicodeDecodeError):  # a body that is not UTF-8 was not signed by Slack
        return False


# Top-level fields Bolt reads without checking their type: in Slack's payloads these are objects or lists.
OBJECTS = ("event", "user", "channel", "team", "container", "view", "message", "enterprise", "authorizations_context")
LISTS = ("actions", "authorizations")


def is_slack_shaped(body: object) -> bool:
    """A parsed body Bolt can read: an object with a kind (type, command or ssl_check) and the
    nested fields Bolt reads blindly of the right type. Slack's own payloads always are."""
    if not isinstance(body, dict):
        return False
    if not any(isinstance(body.get(k), str) and body[k] for k in ("type", "command", "ssl_check")):
        return False
    if any(k in body and not isinstance(body[k], dict) for k in OBJECTS):
        return False
    if any(k in body and not isinstance(body[k], list) for k in LISTS):
        return False
    if not all(isinstance(item, dict) for k in LISTS for item in body.get(k) or []):
        return False
    return _has_what_slack_always_sends(body)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _url(value: object) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:
        return False
    return bool(parts and parts.scheme in ("https", "http") and parts.hostname and value.isascii() and value.isprintable())


def _has_what_slack_always_sends(body: dict) -> bool:
    """The fields Slack puts in every payload of each kind (and Bolt and the listeners read)."""
    if "response_url" in body and not _url(body["response_url"]):
        return False
    if "command" in body:  # a slash command
        return all(_text(body.get(k)) for k in ("command", "user_id", "team_id", "response_url")) and body["command"].startswith("/")
    kind = body.get("type")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not _text(event.get("type")):
            return False
        # Message events (mentions, DMs) always say where and when.
        return event["type"] not in ("app_mention", "message") or (_text(event.get("channel")) and _text(event.get("ts")))
    if "actions" in body:  # interactivity: Bolt reads the first action's ids
        actions = body["actions"]
        return bool(actions) and all(_text(a.get("action_id")) or _text(a.get("callback_id")) for a in actions) and _text(body.get("user", {}).get("id"))
    if "user" in body:
        return _text(body["user"].get("id"))
    return True
