"""Which sections answer a question, and whether the policy covers it at all.

Two kinds of evidence meet here. The learned section model (knowledge/classifier.py) has
read the bank's questions and knows how employees say things; BM25 over the policy's own
sections (knowledge/retriever.py) knows the policy's words, including ones no bank author
used. Their scores are blended with a weight chosen by cross-validation over the tuning authors. The scope
decision is the model's: the bank's not-covered questions taught it what "not this policy"
looks like. BM25 reads English only, so other questions rest on the model alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from knowledge.classifier import NONE, Fusion, LearnedModel
from knowledge.retriever import Retrieval, Retriever
from knowledge.sections import Policy, Section


@dataclass(frozen=True)
class Ranked:
    section: Section
    score: float  # the fused share, 0..1, of this section among the sections
    model: float  # the section model's own probability
    bm25: float  # BM25's softmax share


@dataclass(frozen=True)
class Ranking:
    question: str
    retrieval: Retrieval  # BM25's reading of the question (query terms, for quoting)
    ranked: tuple[Ranked, ...]  # best first
    p_not_covered: float
    in_scope: bool
    probabilities: Mapping[str, float]  # the section model's, over every class (the caveat reads them)
    confidence: float  # the best section's fused share
    low_confidence: bool

    @property
    def best(self) -> Ranked | None:
        return self.ranked[0] if self.ranked else None


def softmax(x: np.ndarray, temperature: float) -> np.ndarray:
    z = x / max(temperature, 1e-6)
    z = z - z.max()
    e = np.exp(z)
    return e / e.sum()


def fuse(model: np.ndarray, bm25_raw: np.ndarray, fusion: Fusion) -> tuple[np.ndarray, np.ndarray]:
    """Each section's fused share and its BM25 share.

    `model`: the section model's probabilities over the sections (summing to 1); `bm25_raw`: BM25
    scores, NaN where BM25 found nothing. Without any BM25 hit (or for a question BM25 cannot
    read, all NaN) the model's probabilities stand alone. scripts/tune.py scores settings with
    this same function.
    """
    found = ~np.isnan(bm25_raw)
    if not found.any():
        return model, np.zeros_like(model)
    filled = np.where(found, bm25_raw, np.nanmin(bm25_raw) - 50)
    bm25 = softmax(filled, fusion.bm25_temperature)
    return (1 - fusion.bm25_weight) * model + fusion.bm25_weight * bm25, bm25


class Ranker:
    def __init__(self, policy: Policy, model: LearnedModel, retriever: Retriever | None = None) -> None:
        self.policy = policy
        self.model = model
        self.retriever = retriever or Retriever(policy)
        self.sections = [s for s in self.retriever.sections if s.id in model.classes]
        self._position = {s.id: i for i, s in enumerate(self.sections)}

    def rank(self, question: str, *, english: bool = True, context: str = "", rewritten: str = "", k: int = 5) -> Ranking:
        """`context`: the thread's earlier questions, for a follow-up (knowledge/features.py).

        `rewritten`: the follow-up restated with the question it follows ("what about instagram?"
        -> "can I post about my pay on instagram"), when the thread reader made one. The two
        readings are combined by geometric mean: on four tuning authors' conversations, held out
        of training, follow-ups scored 0.835 so, 0.811 with the context alone, 0.691 rewritten alone.
        """
        fusion = self.model.fusion
        retrieval = self.retriever.search(rewritten or f"{context} {question}".strip(), k=len(self.retriever.sections))
        probs = self.model.probabilities(question, context)
        if rewritten:
            other = self.model.probabilities(rewritten)
            combined = {c: np.sqrt(p * other.get(c, 0.0)) for c, p in probs.items()}
            total = sum(combined.values()) or 1.0
            probs = {c: v / total for c, v in combined.items()}
        p_none = probs.get(NONE, 0.0)
        model = np.array([probs.get(s.id, 0.0) for s in self.sections])
        model = model / model.sum() if model.sum() > 0 else model
        raw = np.full(len(self.sections), np.nan)
        for hit in retrieval.hits if english else ():  # BM25 reads English only
            if hit.section.id in self._position:
                raw[self._position[hit.section.id]] = hit.score
        fused, bm25 = fuse(model, raw, fusion)
        order = np.argsort(-fused, kind="stable")[:k]
        ranked = tuple(Ranked(self.sections[i], float(fused[i]), float(model[i]), float(bm25[i])) for i in order)
        confidence = ranked[0].score if ranked else 0.0
        return Ranking(
            question=question,
            retrieval=retrieval,
            ranked=ranked,
            p_not_covered=p_none,
            probabilities=probs,
            in_scope=bool(ranked) and p_none < fusion.none_threshold,
            confidence=confidence,
            low_confidence=confidence < fusion.low_confidence,
        )
