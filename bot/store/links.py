"""The links the store hands out and the pages answer: one place, so they never drift apart."""

from __future__ import annotations

from urllib.parse import quote


def permalink(base_url: str, answer_id: str) -> str:
    return f"{base_url.rstrip('/')}/a/{quote(answer_id, safe='')}"


def policy_url(base_url: str, number: str, *, revision: str | None = None, anchor: str | None = None) -> str:
    """The policy page (a past revision when given), optionally at a section's anchor (``s3-3-4``)."""
    url = f"{base_url.rstrip('/')}/policy/{quote(number, safe='')}"
    if revision:
        url += f"?revision={quote(revision, safe='')}"
    return url + (f"#{anchor}" if anchor else "")


def section_url(base_url: str, number: str, section_id: str) -> str:
    """The short form for chat messages: /policy/026/3.3.4 redirects to the section's anchor."""
    return f"{base_url.rstrip('/')}/policy/{quote(number, safe='')}/{quote(section_id, safe='')}"
