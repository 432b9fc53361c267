"""The policy as data: a Policy holds numbered Sections and its adoption history.

These objects are what every other part of the product passes around, so they are
frozen: a parsed policy never changes under a running bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“(])")


def sentences(text: str) -> list[str]:
    """A section's text split into sentences (quotes and the learned model's policy examples)."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True)
class Section:
    id: str  # "3.3.4"
    heading: str | None  # "Blogs", or None where the policy gives none
    text: str  # the body, line-wrapping and page artefacts removed
    parent: str | None  # "3.3" for "3.3.4"; None for top-level sections

    @property
    def depth(self) -> int:
        return self.id.count(".") + 1

    @property
    def anchor(self) -> str:
        """HTML anchor used by the policy page (``#s3-3-4``)."""
        return "s" + self.id.replace(".", "-")

    @property
    def label(self) -> str:
        """How answers cite it: ``§3.4 Blogs`` or ``§3.3.4``."""
        return f"§{self.id} {self.heading}" if self.heading else f"§{self.id}"


@dataclass(frozen=True)
class HistoryEntry:
    action: str  # "Adopted" or "Revised"
    date: date
    text: str


@dataclass(frozen=True)
class Policy:
    number: str  # "026"
    title: str
    effective_date: date | None
    sections: tuple[Section, ...]
    history: tuple[HistoryEntry, ...] = ()
    series: str | None = None  # "Employee Relations"
    source_name: str = ""  # file the policy was read from
    _by_id: dict[str, Section] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({s.id: s for s in self.sections})

    @property
    def revision_date(self) -> date | None:
        """The date of the text in force: the newest history entry, else the effective date."""
        dates = [h.date for h in self.history]
        if self.effective_date:
            dates.append(self.effective_date)
        return max(dates) if dates else None

    @property
    def revision(self) -> str:
        """A stable key for this revision, e.g. ``2025-10-06``."""
        d = self.revision_date
        return d.isoformat() if d else "undated"

    def section(self, section_id: str) -> Section:
        return self._by_id[section_id]

    def get(self, section_id: str) -> Section | None:
        return self._by_id.get(section_id)

    def children(self, section_id: str) -> list[Section]:
        return [s for s in self.sections if s.parent == section_id]

    def heading_path(self, section_id: str) -> list[str]:
        """Headings of a section's ancestors, nearest last (for retrieval context)."""
        out: list[str] = []
        parent = self._by_id[section_id].parent
        while parent:
            sec = self._by_id[parent]
            if sec.heading:
                out.insert(0, sec.heading)
            parent = sec.parent
        return out
