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
