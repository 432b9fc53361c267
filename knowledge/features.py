"""Questions as sparse TF-IDF vectors of word and character n-grams, for the learned decisions.

One featurizer serves training (scripts/train.py) and answering, so the two can never
disagree on what a feature is. Word n-grams (stemmed) carry meaning; character n-grams
within words carry typos, slang spellings ("facebok", "postear") and other languages, where
the stemmer knows nothing. Each block is L2-normalised on its own, then weighted, as
scikit-learn's FeatureUnion of two TfidfVectorizers would do.

A follow-up question is read with its thread's earlier questions as context: their word
n-grams form a third block under their own names ("x w instagram"), so the model learns
how much the context counts beside the follow-up's own words.

Pure Python and numpy: answering needs no scikit-learn.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import Stemmer

# A follow-up is read with this many of the thread's earlier questions.
CONTEXT_TURNS = 2
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_stem = lru_cache(maxsize=100_000)(Stemmer.Stemmer("english").stemWord)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, accents off, punctuation to spaces: "¿Puedo publicar?" -> "puedo publicar"."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("’", "")
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class NgramConfig:
    char_min: int = 2
    char_max: int = 5
    word_bigrams: bool = True
    char_weight: float = 1.0  # the char block's weight against the word block's 1.0
    context_weight: float = 0.7  # the context block's (earlier questions of the thread)


def analyse(text: str, config: NgramConfig) -> tuple[Counter[str], Counter[str]]:
    """The raw n-gram counts of a text: (word block, char block)."""
    words = fold(text).split()
    stems = [_stem(w) for w in words]
    word_grams: Counter[str] = Counter(f"w {s}" for s in stems)
    if config.word_bigrams:
        word_grams.update(f"b {a} {b}" for a, b in zip(stems, stems[1:]))
    char_grams: Counter[str] = Counter()
    for w in words:
        padded = f" {w} "
        for n in range(config.char_min, config.char_max + 1):
            char_grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return word_grams, char_grams


def thread_context(earlier: list[str] | tuple[str, ...]) -> str:
    """What a follow-up is read with: the thread's last CONTEXT_TURNS questions, oldest first."""
    return " ".join(earlier[-CONTEXT_TURNS:])


def blocks(text: str, context: str, config: NgramConfig) -> list[tuple[Counter[str], float]]:
    """The n-gram blocks of a question (and its context), each with its weight."""
    words, chars = analyse(text, config)
    out = [(words, 1.0), (chars, config.char_weight)]
    if context:
        out.append((Counter({f"x {g}": n for g, n in analyse(context, config)[0].items()}), config.context_weight))
    return out


@dataclass(frozen=True)
class Featurizer:
    """A fitted vocabulary: feature string -> column, with each column's IDF and block."""

    config: NgramConfig
    columns: Mapping[str, int]
    idf: np.ndarray  # float32, one per column

    @classmethod
    def fit(cls, examples: Iterable[tuple[str, str]], config: NgramConfig, *, min_df: int = 2) -> Featurizer:
        """From (question, context) pairs. Smoothed IDF as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1."""
        df: Counter[str] = Counter()
        n = 0
        for text, context in examples:
            n += 1
            for block, _weight in blocks(text, context, config):
                df.update(block.keys())
        kept = sorted(f for f, d in df.items() if d >= min_df)
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1 for f in kept], dtype=np.float32)
        return cls(config, {f: i for i, f in enumerate(kept)}, idf)

    @property
    def size(self) -> int:
        return len(self.idf)

    def transform(self, text: str, context: str = "") -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the question's vector; unknown n-grams are dropped."""
        indices: list[int] = []
        values: list[float] = []
        for block, weight in blocks(text, context, self.config):
            cols = [(self.columns[f], 1.0 + math.log(c)) for f, c in block.items() if f in self.columns]
            if not cols:
                continue
            idx = np.fromiter((i for i, _ in cols), dtype=np.int64, count=len(cols))
            val = np.fromiter((tf for _, tf in cols), dtype=np.float64, count=len(cols)) * self.idf[idx]
            norm = float(np.sqrt(val @ val))
            indices.extend(idx.tolist())
            values.extend((val * (weight / norm)).tolist())
        return np.asarray(indices, dtype=np.int64), np.asarray(values, dtype=np.float64)
