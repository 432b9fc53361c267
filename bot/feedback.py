"""Why an answer got a 👎: the reasons a person can pick, checked in one place."""

from __future__ import annotations

from bot.templates import WordedError

REASONS = ("wrong_section", "unclear", "not_answered", "other")
MAX_DETAIL_CHARS = 1000


class FeedbackError(WordedError):
    """The reason or its detail cannot be kept; the message says why."""


def clean_reason(reason: object, detail: object = None) -> tuple[str, str | None]:
    if reason not in REASONS:
        raise FeedbackError("err_reason", reason=repr(reason), reasons=", ".join(REASONS))
    if detail is not None and not isinstance(detail, str):
        raise FeedbackError("err_reason_detail")
    detail = " ".join((detail or "").split())[:MAX_DETAIL_CHARS] or None
    return str(reason), detail
