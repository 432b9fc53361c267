"""BM25 (rank-bm25) over a policy's numbered sections.

Each section is indexed with its heading and its ancestors' headings, so "Blogs" and
"Personal Matters" lend their words to the rules under them. Questions pass through the
same tokenizer after typo mending and alias expansion.

Variant: BM25Plus. With ~35 short sections, words such as "city" and "social" occur in
more than half of them; BM25Okapi then gives them a negative IDF floored to a shared
epsilon, which flattens the ranking. BM25Plus keeps every IDF positive and scored best
on the question set (see README, "Retrieval").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rank_bm25 import BM25L, BM25Okapi, BM25Plus

from knowledge.aliases import AliasTable, Speller
from knowledge.sections import Policy, Section
from knowledge.tokenizer import Tokenizer, normalize

VARIANTS = {"okapi": BM25Okapi, "plus": BM25Plus, "l": BM25L}

# Words an employee typed count fully; the policy words an alias adds share this weight,
# spread over the alias's words beyond the first ALIAS_SPAN, so a long alias cannot
# outweigh what the question itself says.
ALIAS_WEIGHT = 1.0
ALIAS_SPAN = 3
# Definitions sections weigh this much unless the question asks what a term means.
DEFINITION_WEIGHT = 0.5


@dataclass(frozen=True)
class Hit:
    section: Section
    score: float
    matched: tuple[str, ...]  # query terms (stems) the section contains


@dataclass(frozen=True)
class Query:
    """A question as the index sees it."""

    text: str  # normalised, typos mended
    terms: tuple[str, ...]  # from the employee's own words
    alias_terms: tuple[tuple[str, float], ...]  # (term, weight) added by the alias table
    asks_definition: bool


@dataclass(frozen=True)
class Retrieval:
    question: str
    query: Query
    hits: tuple[Hit, ...]  # best first, only sections sharing a term with the question


class Retriever:
    def __init__(
        self,
        policy: Policy,
        *,
        aliases: AliasTable | None = None,
        tokenizer: Tokenizer | None = None,
        variant: str = "plus",
    ) -> None:
        self.policy = policy
        self.tokenizer = tokenizer or Tokenizer()
        self.aliases = aliases or AliasTable.load()
        self.sections = [s for s in policy.sections if s.text.strip()]
        documents = [self._document(s) for s in self.sections]
        corpus = [self.tokenizer(d) for d in documents]
        self._term_sets = [frozenset(doc) for doc in corpus]
        self.bm25 = VARIANTS[variant](corpus)
        self._offset = getattr(self.bm25, "delta", 0.0) if variant == "plus" else 0.0
        self._is_definition = np.array(
            [bool(s.parent) and (policy.section(s.parent).heading or "").lower() == "definitions" for s in self.sections]
        )
        policy_words = frozenset(w for d in documents for w in normalize(d).split())
        self.speller = Speller(policy_words | self.aliases.known_words | self.tokenizer.stopwords)
        self.analyse = lru_cache(maxsize=4096)(self._analyse)

    def _document(self, section: Section) -> str:
        context = self.policy.heading_path(section.id)
        return " ".join([*context, section.heading or "", section.text])

    def _analyse(self, question: str) -> Query:
        text = " ".join(self.speller(normalize(question).split()))
        own = self.tokenizer.terms([w for w in text.split() if w not in self.aliases.ignore])
        weights: dict[str, float] = {}
        for phrase in self.aliases.expand(text):
            terms = [t for t in dict.fromkeys(self.tokenizer(phrase)) if t not in own]
            weight = ALIAS_WEIGHT * min(1.0, ALIAS_SPAN / max(len(terms), 1))
            for t in terms:
                weights[t] = max(weight, weights.get(t, 0.0))
        return Query(
            text=text,
            terms=tuple(own),
            alias_terms=tuple(weights.items()),
            asks_definition=self.aliases.asks_definition(text),
        )

    def _scores(self, terms: tuple[str, ...]) -> np.ndarray:
        if not terms:
            return np.zeros(len(self.sections))
        scores = np.asarray(self.bm25.get_scores(list(terms)), dtype=float)
        if self._offset:  # BM25Plus scores every term in every section; keep only matches
            scores = scores - sum(self.bm25.idf.get(t, 0.0) * self._offset for t in terms)
        return scores

    def search(self, question: str, *, k: int = 5) -> Retrieval:
        query = self.analyse(question)
        if not query.terms and not query.alias_terms:
            return Retrieval(question, query, ())
        own = self._scores(query.terms)
        scores = own.copy()
        by_weight: dict[float, list[str]] = {}
        for term, weight in query.alias_terms:
            by_weight.setdefault(weight, []).append(term)
        for weight, terms in by_weight.items():
            scores += weight * self._scores(tuple(terms))
        if not query.asks_definition:
            scores = np.where(self._is_definition, scores * DEFINITION_WEIGHT, scores)
        order = np.argsort(-scores, kind="stable")
        query_set = set(query.terms) | {t for t, _ in query.alias_terms}
        hits: list[Hit] = []
        for i in order[:k]:
            matched = tuple(sorted(query_set & self._term_sets[i]))
            if not matched or scores[i] <= 0:
                break
            hits.append(Hit(self.sections[i], float(scores[i]), matched))
        return Retrieval(question, query, tuple(hits))
