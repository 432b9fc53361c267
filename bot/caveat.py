"""When an answer carries the National Labor Relations Act caveat, and why.

The decision is learned: a classifier trained on the bank's covered questions and
conversation turns, labelled by the written rule in knowledge/questions/026/LABELLING.md,
reads the question's words (NBSVM: logistic regression over naive-Bayes-scaled n-grams), and
a second, small model reads that beside the section model's probabilities for the question,
learnt out of fold (see knowledge/models/training.toml for what cross-validation chose and
why). One hand rule remains, because it is the policy's own logic: §3.8
(violations and discipline) itself says protected concerted activity is not a violation,
so an answer resting on it always says so.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from knowledge.classifier import LearnedModel


@dataclass(frozen=True)
class CaveatDecision:
    applies: bool
    reason: str | None  # for `ask --json` and HR: why the caveat is there
    probability: float | None = None  # the learned model's, when it decided


@dataclass(frozen=True)
class CaveatRules:
    """The policy's own hooks and where the caveat quotes it from (bot/nlra_rules.toml)."""

    always_sections: frozenset[str]
    quote_sections: tuple[str, ...]
    quote_phrases: tuple[str, ...]

    @classmethod
    def load(cls, path: Path | None = None) -> CaveatRules:
        raw = path.read_bytes() if path else resources.files("bot").joinpath("nlra_rules.toml").read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        return cls(
            always_sections=frozenset(data.get("always_sections", [])),
            quote_sections=tuple(data.get("quote_sections", [])),
            quote_phrases=tuple(data.get("quote_phrases", [])),
        )


def decide_caveat(
    model: LearnedModel,
    rules: CaveatRules,
    question: str,
    cited: tuple[str, ...],
    sections: Mapping[str, float] | None = None,
) -> CaveatDecision:
    """`cited`: the sections the answer rests on, main one first; `sections`: the section model's
    probabilities for the question, which the caveat reads beside its words."""
    if not cited:  # nothing answered from the policy: no caveat to attach
        return CaveatDecision(False, None)
    if cited[0] in rules.always_sections:
        return CaveatDecision(True, f"the answer rests on §{cited[0]}, which exempts protected concerted activity")
    p = model.caveat_probability(question, cited, sections)
    if p >= model.fusion.caveat_threshold:
        return CaveatDecision(True, f"the question is about pay, working conditions, complaints or organising (p={p:.2f})", p)
    return CaveatDecision(False, None, p)
