"""The learned decisions at answer time: which section a question is about, whether the policy
covers it at all, and whether the NLRA caveat applies.

Two linear models over the same n-gram features (knowledge/features.py), trained offline on
the question bank by scripts/train.py and shipped as one .npz file; answering needs numpy
only. The file also carries the fusion settings (chosen on the tuning authors, see
knowledge/models/training.toml) and the digest of the bank it was built from (a test fails
when the two disagree).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from knowledge.features import Featurizer, NgramConfig

NONE = "none"  # the class of questions the policy does not cover
# The learned weights are kept, and shipped, as half-precision floats: half the size in the wheel
# and in memory, and the same answers (a question reads a few hundred rows, summed in float64).
WEIGHT_DTYPE = np.float16
MODEL_FOLDER = "models"


def cited_vector(cited: tuple[str, ...] | list[str], classes: tuple[str, ...], others: float) -> np.ndarray:
    """The sections an answer rests on, as the caveat model reads them: main 1, the others `others`."""
    v = np.zeros(len(classes))
    for rank, s in enumerate(cited):
        if s in classes:
            v[classes.index(s)] = max(v[classes.index(s)], 1.0 if rank == 0 else others)
    return v


def stack_features(log_odds: float, sections: Mapping[str, float], classes: tuple[str, ...]) -> np.ndarray:
    """What the caveat's second reading weighs: the words' log-odds, then log P(class) per class."""
    probs = np.array([sections.get(c, 0.0) for c in classes])
    return np.concatenate([[log_odds], np.log(np.clip(probs, 1e-6, 1.0))])


@dataclass(frozen=True)
class Fusion:
    """How the section model, BM25 and the scope evidence are combined (tuned, then stored)."""

    bm25_weight: float = 0.3  # share of the fused score that comes from BM25 over the sections
    bm25_temperature: float = 2.0  # softmax temperature over BM25 scores
    none_threshold: float = 0.3  # the policy covers a question when P(not covered) is below this
    low_confidence: float = 0.35  # below this fused share for the best section, say it is unsure
    caveat_threshold: float = 0.5
    caveat_cited_weight: float = 0.0  # how the caveat model reads sections cited after the main one
    # A question about pay, hours or complaints can read like a payroll or HR question: when the
    # caveat model is this sure (rescue_caveat) and P(not covered) is under rescue_none, the
    # policy covers it (§3.1 speaks to exactly that). 0 turns it off.
    rescue_none: float = 0.0
    rescue_caveat: float = 1.0

    def covers(self, p_not_covered: float, caveat_words: Callable[[], float]) -> bool:
        """Whether the policy covers a question (else it is declined, pointing to HR).
        `caveat_words`: the caveat model's reading of its words, asked for only when the scope
        evidence alone declines it. The composer and scripts/tune.py both decide with this."""
        if p_not_covered < self.none_threshold:
            return True
        return p_not_covered < self.rescue_none and caveat_words() >= self.rescue_caveat


@dataclass(frozen=True)
class LearnedModel:
    featurizer: Featurizer
    classes: tuple[str, ...]  # section ids, then NONE
    coef: np.ndarray  # (features, classes) WEIGHT_DTYPE
    intercept: np.ndarray  # (classes,)
    caveat_coef: np.ndarray  # (features,)
    caveat_section_coef: np.ndarray  # (classes,): the main section's own pull on the caveat
    caveat_intercept: float
    fusion: Fusion
    meta: dict = field(default_factory=dict)  # bank digest, authors trained on, seed
    # The caveat's second reading (stacking): weights over [the words' log-odds, log P(class) for
    # each class of the section model], and an intercept. [1, 0, ...], 0 leaves the words' reading as it is.
    caveat_stack: np.ndarray | None = None
    caveat_stack_intercept: float = 0.0

    def __post_init__(self) -> None:
        # An answer reads the same question for its section and for its caveat: vectorise it once.
        object.__setattr__(self, "_features", lru_cache(maxsize=512)(self.featurizer.transform))

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(c for c in self.classes if c != NONE)

    def probabilities(self, text: str, context: str = "") -> dict[str, float]:
        """P(class | question, the thread's earlier questions) over the sections and NONE."""
        idx, val = self._features(text, context)
        logits = self.intercept.astype(np.float64) + (val @ self.coef[idx] if len(idx) else 0.0)
        logits = logits - logits.max()
        p = np.exp(logits)
        p /= p.sum()
        return dict(zip(self.classes, p.tolist()))

    def caveat_probability(
        self, text: str, cited: tuple[str, ...] | list[str], sections: Mapping[str, float] | None = None
    ) -> float:
        """P(the NLRA caveat applies | the question, the sections cited, main one first).

        With `sections` (the section model's probabilities for the question) the words' reading is
        read again beside them: a question the section model places in §3.1 leans towards the
        caveat, one it places among harassment or confidential information away from it.
        """
        idx, val = self._features(text)
        z = self.caveat_intercept + (float(val @ self.caveat_coef[idx]) if len(idx) else 0.0)
        z += float(cited_vector(cited, self.classes, self.fusion.caveat_cited_weight) @ self.caveat_section_coef)
        if sections is not None and self.caveat_stack is not None:
            z = self.caveat_stack_intercept + float(self.caveat_stack @ stack_features(z, sections, self.classes))
        return float(1.0 / (1.0 + np.exp(-z)))

    # --- files -------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        meta = {
            "classes": list(self.classes),
            "config": self.featurizer.config.__dict__,
            "fusion": self.fusion.__dict__,
            "caveat_intercept": self.caveat_intercept,
            "caveat_stack_intercept": self.caveat_stack_intercept,
            **self.meta,
        }
        vocab = "\n".join(sorted(self.featurizer.columns, key=self.featurizer.columns.__getitem__))
        buf = io.BytesIO()
        np.savez(  # uncompressed: loads faster; the wheel compresses it anyway
            buf,
            meta=np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8),
            vocab=np.frombuffer(vocab.encode("utf-8"), dtype=np.uint8),
            idf=self.featurizer.idf.astype(np.float32),
            coef=self.coef.astype(WEIGHT_DTYPE),
            intercept=self.intercept.astype(np.float32),
            caveat_coef=self.caveat_coef.astype(WEIGHT_DTYPE),
            caveat_section_coef=self.caveat_section_coef.astype(np.float32),
            **({"caveat_stack": self.caveat_stack.astype(np.float32)} if self.caveat_stack is not None else {}),
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, raw: bytes) -> LearnedModel:
        with np.load(io.BytesIO(raw), allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode())
            vocab = data["vocab"].tobytes().decode("utf-8").split("\n")
            featurizer = Featurizer(NgramConfig(**meta.pop("config")), {f: i for i, f in enumerate(vocab)}, data["idf"])
            return cls(
                featurizer=featurizer,
                classes=tuple(meta.pop("classes")),
                coef=data["coef"],
                intercept=data["intercept"],
                caveat_coef=data["caveat_coef"],
                caveat_section_coef=data["caveat_section_coef"],
                caveat_intercept=float(meta.pop("caveat_intercept")),
                caveat_stack=data["caveat_stack"] if "caveat_stack" in data.files else None,
                caveat_stack_intercept=float(meta.pop("caveat_stack_intercept", 0.0)),
                fusion=Fusion(**meta.pop("fusion")),
                meta=meta,
            )

    @classmethod
    def load(cls, name: str = "026", path: Path | None = None) -> LearnedModel:
        """The shipped model for a policy ("026"), or "026.tuning" (trained on tuning authors only)."""
        raw = path.read_bytes() if path else resources.files("knowledge").joinpath(MODEL_FOLDER, f"{name}.npz").read_bytes()
        return cls.from_bytes(raw)
