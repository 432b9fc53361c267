"""The policies shipped in knowledge/policies/, every revision of each.

A revised policy is added as a new file beside the old one (never by editing it), so
answers and links made under the old text can still show what it said.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from knowledge.parser import parse_policy
from knowledge.sections import Policy


@dataclass(frozen=True)
class Library:
    revisions: dict[str, tuple[Policy, ...]]  # policy number -> revisions, oldest first
    folder: Path | Traversable | None = None

    @classmethod
    def load(cls, folder: Path | None = None) -> Library:
        root = folder if folder is not None else resources.files("knowledge").joinpath("policies")
        by_number: dict[str, list[Policy]] = {}
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".txt"):
                policy = parse_policy(entry.read_text(encoding="utf-8"), source_name=entry.name)
                by_number.setdefault(policy.number, []).append(policy)
        if not by_number:
            raise FileNotFoundError(f"no policy texts (*.txt) in {root}")
        return cls({n: tuple(sorted(ps, key=lambda p: p.revision)) for n, ps in by_number.items()}, root)

    def current(self, number: str | None = None) -> Policy:
        """The newest revision of a policy (of the only policy, when none is named)."""
        number = number or next(iter(self.revisions))
        return self.revisions[number][-1]

    def revision(self, number: str, revision: str) -> Policy | None:
        return next((p for p in self.revisions.get(number, ()) if p.revision == revision), None)

    def summaries(self, policy: Policy, language: str = "en") -> dict[str, str]:
        """HR's one-line summaries of a revision: the .summaries.toml beside its text, if any.

        English lines are in NAME.summaries.toml, other languages' in NAME.summaries.<lang>.toml.
        """
        if self.folder is None or not policy.source_name:
            return {}
        suffix = ".summaries.toml" if language == "en" else f".summaries.{language}.toml"
        entry = self.folder.joinpath(policy.source_name.removesuffix(".txt") + suffix)
        if not entry.is_file():
            return {}
        return dict(tomllib.loads(entry.read_text(encoding="utf-8")).get("sections", {}))
