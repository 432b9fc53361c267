"""Why an answer got a 👎: the reasons a person can pick, checked in one place."""

from __future__ import annotations

REASONS = ("wrong_section", "unclear", "not_answered", "other")
MAX_DETAIL_CHARS = 1000


class FeedbackError(ValueError):
    """The reason or its detail cannot be kept; the message says why."""


def clean_reason(reason: object, detail: object = None) -> tuple[str, str | None]:
    if reason not in REASONS:
        raise FeedbackError(f"Unknown reason {reason!r}: pick one of {', '.join(REASONS)}.")
    if detail is not None and not isinstance(detail, str):
        raise FeedbackError("The detail must be text.")
    detail = " ".join((detail or "").split())[:MAX_DETAIL_CHARS] or None
    return str(reason), detail
