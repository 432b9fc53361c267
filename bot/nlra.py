"""When an answer must carry the National Labor Relations Act caveat (rules in nlra_rules.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.phrases import PhraseMatcher
from knowledge.tokenizer import normalize


@dataclass(frozen=True)
class CaveatDecision:
    applies: bool
    reason: str | None  # "the question mentions pay (pay and benefits)", "it rests on §3.8"


@dataclass(frozen=True)
class NlraRules:
    sections: frozenset[str]
    not_for_sections: frozenset[str]
    topics: tuple[tuple[str, PhraseMatcher], ...]  # (topic name, its phrases)
    quote_sections: tuple[str, ...]
    quote_phrases: tuple[str, ...]
    answered_by: dict[str, str | None]  # topic name -> the section that speaks to it
    partial_hooks: dict[str, PhraseMatcher]  # section -> the words that make it a hook
    not_topics: tuple[str, ...] = ()  # phrases holding a topic word that are not the topic

    @classmethod
    def load(cls, path: Path | None = None) -> NlraRules:
        raw = path.read_bytes() if path else resources.files("bot").joinpath("nlra_rules.toml").read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        topics = tuple(
            (t["name"], PhraseMatcher(normalize(p) for p in t["phrases"])) for t in data.get("topic", [])
        )
        return cls(
            sections=frozenset(data.get("sections", [])),
            not_for_sections=frozenset(data.get("not_for_sections", [])),
            topics=topics,
            quote_sections=tuple(data.get("quote_sections", [])),
            quote_phrases=tuple(data.get("quote_phrases", [])),
            answered_by={t["name"]: t.get("answered_by", data.get("answered_by")) for t in data.get("topic", [])},
            partial_hooks={h["section"]: PhraseMatcher(normalize(p) for p in h["phrases"]) for h in data.get("partial_hook", [])},
            not_topics=tuple(normalize(p) for p in data.get("not_topics", [])),
        )

    def _without_lookalikes(self, normalized_question: str) -> str:
        text = f" {normalized_question} "
        for phrase in self.not_topics:
            text = text.replace(f" {phrase} ", " ")
        return text.strip()

    def topic_section(self, normalized_question: str) -> str | None:
        """The section that answers a question naming a protected topic, when retrieval finds none."""
        normalized_question = self._without_lookalikes(normalized_question)
        for name, matcher in self.topics:
            if matcher.find(normalized_question):
                return self.answered_by.get(name)
        return None

    def decide(self, normalized_question: str, main_section: str | None) -> CaveatDecision:
        """Caveat or not, and why: the question's topic first, then the section it rests on."""
        if main_section in self.not_for_sections:
            return CaveatDecision(False, None)
        topical = self._without_lookalikes(normalized_question)
        for name, matcher in self.topics:
            if found := matcher.find(topical):
                return CaveatDecision(True, f"the question mentions “{found[0]}” ({name})")
        if main_section in self.sections:
            return CaveatDecision(True, f"the answer rests on §{main_section}")
        partial = self.partial_hooks.get(main_section or "")
        if partial is not None and (found := partial.find(normalized_question)):
            return CaveatDecision(True, f"the answer rests on §{main_section} and the question mentions “{found[0]}”")
        return CaveatDecision(False, None)
