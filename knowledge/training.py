"""Fitting the learned decisions on the question bank (offline: needs the `train` extra).

Deterministic: the vocabulary is sorted, the solver is lbfgs (no randomness) and the
examples come in bank order, so the same bank and settings give the same file byte for
byte. scripts/train.py writes the shipped files; tests/test_learned.py checks that they
were built from the bank as it is now.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np

from knowledge.bank import BankQuestion, Conversation
from knowledge.classifier import NONE, WEIGHT_DTYPE, Fusion, LearnedModel, cited_vector, stack_features
from knowledge.features import Featurizer, NgramConfig, thread_context
from knowledge.sections import Policy, sentences


@dataclass(frozen=True)
class TrainingConfig:
    ngrams: NgramConfig = field(default_factory=NgramConfig)
    min_df: int = 2
    c: float = 10.0  # inverse regularisation of the section model
    caveat_c: float = 10.0
    # Naive-Bayes log-count ratios scale the caveat model's features before it is fitted (NBSVM,
    # Wang & Manning 2012), with this much additive smoothing; 0 fits it on the plain features.
    caveat_nb_smoothing: float = 0.0
    caveat_in_scope_only: bool = False  # learn the caveat from the questions the policy covers only
    # The caveat's second reading, beside the section model's probabilities (classifier.stack_features),
    # is learnt from this many groups of authors, each read by a model trained without it; 0: none.
    caveat_stack_folds: int = 0
    caveat_stack_c: float = 1.0
    secondary_weight: float = 0.3  # a question's later sections teach their class this much
    policy_weight: float = 0.5  # each sentence of the policy teaches its own section this much
    caveat_section_weight: float = 1.0  # the cited-sections block of the caveat model
    balanced: bool = False  # weigh the section classes inversely to their size
    follow_up_weight: float = 1.0  # a conversation's follow-up, read with its context, teaches this much
    restated_weight: float = 0.0  # the same follow-up as the thread reader restates it, this much
    fusion: Fusion = field(default_factory=Fusion)

    @classmethod
    def load(cls, path: Path | None = None) -> TrainingConfig:
        raw = path.read_bytes() if path else resources.files("knowledge").joinpath("models", "training.toml").read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        return cls(
            ngrams=NgramConfig(**data.get("ngrams", {})),
            fusion=Fusion(**data.get("fusion", {})),
            **data.get("model", {}),
        )


def _examples(
    questions: Sequence[BankQuestion],
    conversations: Sequence[Conversation],
    policy: Policy,
    config: TrainingConfig,
    classes: Sequence[str],
):
    texts: list[tuple[str, str]] = []
    labels: list[int] = []
    weights: list[float] = []
    index = {c: i for i, c in enumerate(classes)}

    def add(text: str, context: str, sections: Sequence[str], weight: float = 1.0) -> None:
        if not sections:
            texts.append((text, context)), labels.append(index[NONE]), weights.append(weight)
        for rank, s in enumerate(sections):
            if s in index:
                texts.append((text, context)), labels.append(index[s])
                weights.append(weight * (1.0 if rank == 0 else config.secondary_weight))

    for q in questions:
        add(q.q, "", q.sections)
    # A conversation's first turn is a question of its own (over the tuning authors, 5 folds:
    # top-1 0.956 -> 0.957, first turns 0.911 -> 0.927); every later turn is read with the ones before it,
    # and, when the thread reader restates it ("what about insta?" -> the earlier question and this one),
    # the restated text teaches its sections too: the model reads it so when answering (follow-ups 0.897 -> 0.905
    # at the shipped restated_weight 0.5, see training.toml).
    for c in conversations:
        for i, turn in enumerate(c.turns):
            if not i:
                add(turn.q, "", turn.sections)
                continue
            add(turn.q, thread_context([t.q for t in c.turns[:i]]), turn.sections, config.follow_up_weight)
            if config.restated_weight and (restated := _restated(c.turns[:i], turn.q)):
                add(restated, "", turn.sections, config.restated_weight)
    for section in policy.sections:
        if section.id in index:
            for sentence in sentences(" ".join(filter(None, [section.heading, section.text]))):
                add(sentence, "", [section.id], config.policy_weight)
    return texts, np.array(labels), np.array(weights)


def _restated(earlier: Sequence, message: str) -> str:
    """The follow-up as the thread reader restates it at answer time (bot/conversation.py), with the
    earlier turns as their authors labelled them; "" when the reader would not restate it."""
    from bot.conversation import Kind, Turn, read_message  # the reader the assistant answers with

    history = [Turn(t.q, tuple(t.sections), bool(t.sections)) for t in earlier]
    reading = read_message(history, message)
    return reading.query if reading.kind is Kind.FOLLOW_UP else ""


def _caveat_examples(
    questions: Sequence[BankQuestion], conversations: Sequence[Conversation]
) -> list[tuple[str, tuple[str, ...], bool]]:
    """(text, sections, caveat) for the caveat model: every question, and every turn of a
    conversation, a follow-up read as the composer reads it for its caveat (earlier questions
    first). The turns add a third more labelled examples: on the tuning authors (leave one
    out) precision rose 0.885 -> 0.907 at the same recall."""
    out = [(q.q, q.sections, q.nlra) for q in questions]
    for c in conversations:
        for i, turn in enumerate(c.turns):
            text = f"{thread_context([t.q for t in c.turns[:i]])} {turn.q}".strip() if i else turn.q
            out.append((text, turn.sections, turn.nlra))
    return out


def _nb_ratio(x, y: np.ndarray, alpha: float) -> np.ndarray:
    """Each feature's smoothed log ratio of presence among caveat and non-caveat examples: a
    feature seen mostly on one side weighs more before the linear model is fitted."""
    present = (x > 0).astype(np.float64)
    pos = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    neg = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.log((pos / pos.sum()) / (neg / neg.sum()))


def _matrix(featurizer: Featurizer, texts: Sequence[tuple[str, str]]):
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for r, (text, context) in enumerate(texts):
        idx, val = featurizer.transform(text, context)
        rows.extend([r] * len(idx)), cols.extend(idx.tolist()), vals.extend(val.tolist())
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), featurizer.size))


def train(
    questions: Sequence[BankQuestion],
    policy: Policy,
    config: TrainingConfig,
    *,
    conversations: Sequence[Conversation] = (),
    meta: dict | None = None,
) -> LearnedModel:
    from scipy.sparse import csr_matrix, diags, hstack
    from sklearn.linear_model import LogisticRegression

    sections = [s.id for s in policy.sections if s.text.strip()]
    classes = (*sections, NONE)
    texts, labels, weights = _examples(questions, conversations, policy, config, classes)
    featurizer = Featurizer.fit(texts, config.ngrams, min_df=config.min_df)
    x = _matrix(featurizer, texts)
    model = LogisticRegression(C=config.c, max_iter=3000, tol=1e-4, class_weight="balanced" if config.balanced else None)
    model.fit(x, labels, sample_weight=weights)
    coef = np.zeros((featurizer.size, len(classes)), dtype=WEIGHT_DTYPE)
    intercept = np.full(len(classes), -30.0, dtype=np.float32)  # a class no example taught stays impossible
    coef[:, model.classes_] = model.coef_.T
    intercept[model.classes_] = model.intercept_

    # The caveat model reads the question and, weighted by caveat_section_weight (0 as shipped:
    # words only, see training.toml), the sections it is answered from (the gold ones in
    # training, the cited ones when answering).
    examples = _caveat_examples(questions, conversations)
    if config.caveat_in_scope_only:  # the caveat is only ever decided on an answer from the policy
        examples = [e for e in examples if e[1]]
    y = np.array([nlra for _, _, nlra in examples], dtype=int)
    x_text = _matrix(featurizer, [(text, "") for text, _, _ in examples])
    ratio = _nb_ratio(x_text, y, config.caveat_nb_smoothing) if config.caveat_nb_smoothing else np.ones(featurizer.size)
    x_text = x_text @ diags(ratio)
    x_cited = csr_matrix(
        np.array([cited_vector(sections, classes, config.fusion.caveat_cited_weight) for _, sections, _ in examples])
        * config.caveat_section_weight
    )
    caveat = LogisticRegression(C=config.caveat_c, max_iter=3000, tol=1e-4)
    caveat.fit(hstack([x_text, x_cited]).tocsr(), y)
    w = caveat.coef_[0]
    stack, stack_intercept = _fit_stack(questions, conversations, policy, config) if config.caveat_stack_folds else (None, 0.0)
    return LearnedModel(
        featurizer=featurizer,
        classes=classes,
        coef=coef,
        intercept=intercept,
        caveat_coef=(w[: featurizer.size] * ratio).astype(WEIGHT_DTYPE),  # the scaling folded in: still linear
        caveat_section_coef=(w[featurizer.size :] * config.caveat_section_weight).astype(np.float32),
        caveat_intercept=float(caveat.intercept_[0]),
        caveat_stack=stack,
        caveat_stack_intercept=stack_intercept,

        fusion=config.fusion,
        meta=dict(meta or {}),
    )


def _fit_stack(
    questions: Sequence[BankQuestion], conversations: Sequence[Conversation], policy: Policy, config: TrainingConfig
) -> tuple[np.ndarray, float]:
    """The caveat's second reading, learnt out of fold: the authors are dealt into groups; each
    group's questions the policy covers are read by a model trained on the other groups (so its
    probabilities are as unsure as on a new author's), and a small logistic regression learns
    from those readings. The groups are trained in parallel; the result does not depend on it."""
    from joblib import Parallel, delayed
    from sklearn.linear_model import LogisticRegression

    authors = list(dict.fromkeys([q.author for q in questions] + [c.author for c in conversations]))
    groups = [set(authors[i :: config.caveat_stack_folds]) for i in range(config.caveat_stack_folds)]
    parts = Parallel(n_jobs=-1)(
        delayed(_stack_rows)(questions, conversations, policy, config, group) for group in groups
    )
    x = np.array([row for rows, _ in parts for row in rows])
    y = np.array([label for _, labels in parts for label in labels], dtype=int)
    stacker = LogisticRegression(C=config.caveat_stack_c, max_iter=3000, tol=1e-6).fit(x, y)
    return stacker.coef_[0].astype(np.float32), float(stacker.intercept_[0])


def _stack_rows(questions, conversations, policy, config, group):
    inner = replace(config, caveat_stack_folds=0)
    model = train(
        [q for q in questions if q.author not in group],
        policy,
        inner,
        conversations=[c for c in conversations if c.author not in group],
    )
    rows, labels = [], []
    for q in questions:
        if q.author in group and q.sections:  # the caveat is decided on covered questions only
            p = min(max(model.caveat_probability(q.q, ()), 1e-9), 1 - 1e-9)
            rows.append(stack_features(float(np.log(p / (1 - p))), model.probabilities(q.q), model.classes))
            labels.append(q.nlra)
    return rows, labels
