"""The employee-to-policy vocabulary table (aliases.toml) and typo mending.

Employees write "fb", "my boss", "city email"; the policy writes "social networking",
"supervisors", "City credentials". The table bridges the two; it is data so HR can add
a phrase without touching code.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from knowledge.phrases import PhraseMatcher
from knowledge.tokenizer import normalize


@dataclass(frozen=True)
class AliasTable:
    phrases: dict[str, str]  # normalised phrase -> policy words to add
    ignore: frozenset[str]
    definition_cues: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> AliasTable:
        raw = path.read_bytes() if path else resources.files("knowledge").joinpath("aliases.toml").read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        phrases: dict[str, str] = {}
        for block in data.get("alias", []):
            for said in block["says"]:
                key = normalize(said)
                if key:
                    phrases[key] = f"{phrases[key]} {block['means']}" if key in phrases else block["means"]

        def words(table: str, key: str) -> frozenset[str]:
            return frozenset(filter(None, (normalize(w) for w in data.get(table, {}).get(key, []))))

        return cls(
            phrases=phrases,
            ignore=words("ignore", "words"),
            definition_cues=words("definitions", "cues"),
        )

    @property
    def known_words(self) -> frozenset[str]:
        return frozenset(w for phrase in self.phrases for w in phrase.split()) | self.ignore

    @cached_property
    def _alias_matcher(self) -> PhraseMatcher:
        return PhraseMatcher(self.phrases)

    @cached_property
    def _definition_matcher(self) -> PhraseMatcher:
        return PhraseMatcher(self.definition_cues)

    def expand(self, normalized_question: str) -> list[str]:
        """The policy wordings of every phrase found in the question."""
        return [self.phrases[p] for p in self._alias_matcher.find(normalized_question)]

    def asks_definition(self, normalized_question: str) -> bool:
        return self._definition_matcher.search(normalized_question)


class Speller:
    """Mends typos ("linkdin", "facebok") against the words the bot knows.

    Only words that are neither in the bot's vocabulary nor ordinary English (the
    pyspellchecker dictionary) are touched: "filed" must not become "fired", nor "party"
    "part". A typo is mended only towards a close known word with the same first
    letter, and short words are left alone, since one letter changes their meaning.
    """

    def __init__(self, vocabulary: frozenset[str], *, cutoff: float = 0.8, min_length: int = 5) -> None:
        self.vocabulary = vocabulary
        self._candidates = sorted(w for w in vocabulary if len(w) >= 4 and w.isalpha())
        self.cutoff = cutoff
        self.min_length = min_length
        self.correct = lru_cache(maxsize=20_000)(self._correct)

    @cached_property
    def _english(self):
        # Loaded on the first unfamiliar word only: about 0.3 s, paid once per process.
        from spellchecker import SpellChecker

        return SpellChecker(distance=1)

    def _correct(self, word: str) -> str:
        if word in self.vocabulary or len(word) < self.min_length or not word.isalpha():
            return word
        if self._english.known([word]):
            return word
        # Typos seldom touch the first letter or change the length by more than two.
        # A known word that only differs by an ending is another word ("party", "part").
        pool = [
            c
            for c in self._candidates
            if c[0] == word[0] and abs(len(c) - len(word)) <= 2 and not (c.startswith(word) or word.startswith(c))
        ]
        match = difflib.get_close_matches(word, pool, n=1, cutoff=self.cutoff)
        return match[0] if match else word

    def __call__(self, words: list[str]) -> list[str]:
        return [self.correct(w) for w in words]
