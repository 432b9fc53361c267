"""What the assistant says, as data: every platform renders these, none changes them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Quote:
    section_id: str
    label: str  # "§3.4 Blogs"
    anchor: str  # "s3-4"
    excerpt: str  # the sentences of the section that answer the question
    text: str  # the whole section
    summary: str | None  # HR's plain-language line for the section, if any


@dataclass(frozen=True)
class PolicyRef:
    number: str
    title: str
    revision: str  # ISO date of the revision in force: "2025-10-06"
    revision_display: str  # "October 6, 2025"


@dataclass(frozen=True)
class Answer:
    question: str
    in_scope: bool
    citations: tuple[str, ...]  # section ids, best first
    quotes: tuple[Quote, ...]
    nlra_caveat: bool
    nlra_reason: str | None
    caveat_quotes: tuple[Quote, ...]  # the policy's own NLRA sentences, when the caveat applies
    policy: PolicyRef
    text: str = ""  # rendered plain text (the terminal, notifications, the store)
    truncated: bool = False  # the question was cut to the maximum length
    language: str = "en"  # the question's language (ISO 639-1); answers are in English or Spanish
    confidence: float | None = None  # the main citation's share of the ranking, 0..1
    alternatives: tuple[str, ...] = ()  # the likeliest sections, offered when confidence is low
    extras: dict = field(default_factory=dict)  # set by the edges: id, permalink, channel

    @property
    def is_acknowledgement(self) -> bool:
        """A reply to "thanks" or "ok": nothing was asked, so nothing is cited, kept or offered."""
        return self.extras.get("reading") == "acknowledgement"

    def to_json(self) -> dict:
        data = asdict(self)
        data["answer"] = data.pop("text")
        data["citations"] = list(self.citations)
        data["alternatives"] = list(self.alternatives)
        data.update(self.extras)
        data.pop("extras")
        return data
