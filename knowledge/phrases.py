"""Find whole-word phrases in normalised text: the one matcher behind aliases and rules."""

from __future__ import annotations

import re
from collections.abc import Iterable


class PhraseMatcher:
    """Longest phrase at each position; overlapping phrases are all found.

    "my personal messages" yields both "my personal" and "personal messages", while
    "city email" hides an "email" inside it.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = frozenset(p for p in phrases if p)
        alternatives = [re.escape(p) for p in sorted(self.phrases, key=len, reverse=True)] or ["(?!)"]
        self._pattern = re.compile(r"(?<![a-z0-9@])(?=(" + "|".join(alternatives) + r")(?![a-z0-9]))")

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        reach = 0
        for m in self._pattern.finditer(text):
            end = m.start() + len(m.group(1))
            if end > reach:
                found.append(m.group(1))
                reach = end
        return found

    def search(self, text: str) -> bool:
        return self._pattern.search(text) is not None
