"""The question bank: employees' questions written blind from the policy, labelled by a written rule.

The bank is what the learned decisions (section, scope, caveat) are trained on and what
they are measured with. Each author's questions live in their own file, so a split by
author keeps an author's phrasing on one side only: figures on held-out authors say how
the assistant does on people it has never read, not how well it remembers its bank.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

BANK_PACKAGE = "knowledge"
BANK_FOLDER = "questions"


class BankError(ValueError):
    """A bank file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class BankQuestion:
    q: str
    sections: tuple[str, ...]  # best first; empty when the policy does not cover it
    nlra: bool
    lang: str
    author: str
    persona: str = ""

    @property
    def in_scope(self) -> bool:
        return bool(self.sections)


@dataclass(frozen=True)
class Turn:
    q: str
    sections: tuple[str, ...]
    nlra: bool


@dataclass(frozen=True)
class Conversation:
    id: str
    author: str
    lang: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Split:
    """Which authors the learned files were tuned on, and which are kept for reporting."""

    tuning: tuple[str, ...]
    held_out: tuple[str, ...]


@dataclass(frozen=True)
class Bank:
    policy: str  # "026"
    questions: tuple[BankQuestion, ...]
    conversations: tuple[Conversation, ...]
    split: Split
    digest: str  # sha256 of the bank's files: a learned file built from another bank is stale

    @property
    def authors(self) -> tuple[str, ...]:
        return tuple(sorted({q.author for q in self.questions} | {c.author for c in self.conversations}))

    def by_authors(self, authors: Iterable[str]) -> list[BankQuestion]:
        wanted = set(authors)
        return [q for q in self.questions if q.author in wanted]

    def conversations_by_authors(self, authors: Iterable[str]) -> list[Conversation]:
        wanted = set(authors)
        return [c for c in self.conversations if c.author in wanted]

    @classmethod
    def load(cls, policy: str = "026", root: Traversable | None = None) -> Bank:
        folder = (root or resources.files(BANK_PACKAGE).joinpath(BANK_FOLDER)).joinpath(policy)
        digest = hashlib.sha256()
        questions: list[BankQuestion] = []
        conversations: list[Conversation] = []
        files = sorted((f for f in folder.iterdir() if f.name.endswith(".jsonl")), key=lambda f: f.name)
        for f in files:
            raw = f.read_bytes()
            digest.update(f.name.encode() + b"\0" + raw)
            rows = _rows(f.name, raw)
            if f.name.endswith(".conversations.jsonl"):
                conversations.extend(_conversation(f.name, n, row) for n, row in rows)
            else:
                questions.extend(_question(f.name, n, row) for n, row in rows)
        split_file = folder.joinpath("split.toml")
        split_raw = split_file.read_bytes()
        digest.update(b"split.toml\0" + split_raw)
        split = tomllib.loads(split_raw.decode("utf-8"))
        return cls(
            policy=policy,
            questions=tuple(questions),
            conversations=tuple(conversations),
            split=Split(tuple(split["tuning"]), tuple(split["held_out"])),
            digest=digest.hexdigest(),
        )


def _rows(name: str, raw: bytes) -> Iterator[tuple[int, dict]]:
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise BankError(f"{name}:{n}: not JSON ({exc.msg})") from None


def _question(name: str, n: int, row: dict) -> BankQuestion:
    try:
        return BankQuestion(
            q=str(row["q"]),
            sections=tuple(str(s) for s in row["sections"]),
            nlra=bool(row["nlra"]),
            lang=str(row.get("lang", "en")),
            author=str(row["author"]),
            persona=str(row.get("persona", "")),
        )
    except (KeyError, TypeError) as exc:
        raise BankError(f"{name}:{n}: missing or bad field {exc}") from None


def _conversation(name: str, n: int, row: dict) -> Conversation:
    try:
        turns = tuple(Turn(str(t["q"]), tuple(str(s) for s in t["sections"]), bool(t["nlra"])) for t in row["turns"])
        return Conversation(id=str(row["id"]), author=str(row["author"]), lang=str(row.get("lang", "en")), turns=turns)
    except (KeyError, TypeError) as exc:
        raise BankError(f"{name}:{n}: missing or bad field {exc}") from None
