"""Words to index terms: one analyser for the policy and for questions, so both meet.

Lower-cased, Unicode-folded, stop words dropped, Snowball-stemmed (PyStemmer), with
"e-mail" and "email" made one word and possessives removed. Hyphenated words give their
parts ("self-hosted" -> "self", "host").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import Stemmer

_WORD = re.compile(r"[a-z0-9@]+(?:\.[a-z]{2,4}\b)?")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})


def normalize(text: str) -> str:
    """Fold a question or a policy passage to plain lower-case words and spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = re.sub(r"\be-mail", "email", text)
    text = re.sub(r"'s\b", "", text)
    text = text.replace("'", "")
    return " ".join(_WORD.findall(text))


def load_stopwords() -> frozenset[str]:
    lines = resources.files("knowledge").joinpath("stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for ln in lines if not ln.startswith("#") for w in ln.split())


class Tokenizer:
    def __init__(self, stopwords: frozenset[str] | None = None) -> None:
        self.stopwords = load_stopwords() if stopwords is None else stopwords
        self._stemmer = Stemmer.Stemmer("english")
        self.stem = lru_cache(maxsize=50_000)(self._stemmer.stemWord)

    def words(self, text: str) -> list[str]:
        return normalize(text).split()

    def terms(self, words: list[str]) -> list[str]:
        return [self.stem(w) for w in words if w not in self.stopwords and len(w) > 1 or w.isdigit()]

    def __call__(self, text: str) -> list[str]:
        return self.terms(self.words(text))
