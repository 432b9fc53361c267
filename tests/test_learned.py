"""The question bank and the decisions learned from it: size, freshness, held-out figures."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.evaluation import evaluate_bank
from knowledge.bank import Bank
from knowledge.classifier import NONE, LearnedModel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank.load()


def test_bank_is_large_varied_and_split_by_author(bank, policy):
    in_scope = [q for q in bank.questions if q.in_scope]
    assert len(in_scope) >= 1500
    assert sum(not q.in_scope for q in bank.questions) >= 400
    assert sum(q.lang == "es" for q in bank.questions) >= 300
    firsts = Counter(q.sections[0] for q in in_scope)
    for section in policy.sections:
        if section.text.strip():
            assert firsts[section.id] >= 25, f"§{section.id} has {firsts[section.id]} questions"
    assert set(bank.split.tuning).isdisjoint(bank.split.held_out)
    assert set(bank.split.tuning) | set(bank.split.held_out) == set(bank.authors)
    known = {s.id for s in policy.sections}
    assert all(set(q.sections) <= known for q in bank.questions), "a label names no section of the policy"
    assert all(not q.nlra for q in bank.questions if not q.in_scope), "not covered, yet a caveat"


def test_shipped_models_were_built_from_this_bank(bank):
    for name in ("026", "026.tuning"):
        model = LearnedModel.load(name)
        assert model.meta["bank_digest"] == bank.digest, f"{name}.npz is stale: run python scripts/train.py"
    assert LearnedModel.load("026.tuning").meta["authors"] == list(bank.split.tuning)


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="needs the train extra (scikit-learn)")
def test_a_rebuild_gives_the_shipped_files_byte_for_byte():
    done = subprocess.run([sys.executable, "scripts/train.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_conversations_teach_their_first_turn_and_the_restated_follow_up(policy):
    """The model learns from every turn, and from a follow-up as the thread reader restates it."""
    from knowledge.bank import Conversation, Turn
    from knowledge.training import TrainingConfig, _examples

    conversation = Conversation(
        "t-c1", "t", "en",
        (Turn("Can I post about my pay on Facebook?", ("3.1",), True), Turn("what about instagram?", ("3.1",), True)),
    )
    classes = (*[s.id for s in policy.sections if s.text.strip()], NONE)
    config = TrainingConfig(restated_weight=1.0)
    texts, labels, weights = _examples([], [conversation], policy, config, classes)
    taught = {(text, context): (classes[label], weight) for (text, context), label, weight in zip(texts, labels, weights)}
    assert taught[("Can I post about my pay on Facebook?", "")] == ("3.1", 1.0)
    assert taught[("what about instagram?", "Can I post about my pay on Facebook?")] == ("3.1", config.follow_up_weight)
    [restated] = [text for text, context in taught if context == "" and "instagram" in text]
    assert "pay" in restated and "Facebook" not in restated  # the reader swaps the platform
    assert taught[(restated, "")] == ("3.1", 1.0)
    without = _examples([], [conversation], policy, TrainingConfig(restated_weight=0.0), classes)[0]
    assert restated not in {text for text, _ in without}


def test_model_files_stay_small():
    total = sum(p.stat().st_size for p in (ROOT / "knowledge" / "models").glob("*.npz"))
    total += sum(p.stat().st_size for p in (ROOT / "knowledge" / "questions").rglob("*"))
    assert total < 20e6


def test_every_section_and_not_covered_is_a_class(policy):
    model = LearnedModel.load()
    assert set(model.section_ids) == {s.id for s in policy.sections if s.text.strip()}
    assert NONE in model.classes


def test_held_out_authors_keep_their_figures():
    """Floors a little under the figures measured when the model was last trained (README)."""
    tuning, held_out, _tuning_conversations, held_out_conversations = evaluate_bank()
    assert held_out.top1 >= 0.95, held_out.as_text(misses=False)
    assert held_out.recall_at_3 >= 0.98, held_out.as_text(misses=False)
    assert held_out.false_abstention <= 0.02, held_out.as_text(misses=False)
    assert held_out.abstention >= 0.94, held_out.as_text(misses=False)
    assert held_out.caveat_recall >= 0.97 and held_out.caveat_precision >= 0.89, held_out.as_text(misses=False)
    assert held_out.spanish_top1 >= 0.94, held_out.as_text(misses=False)
    assert tuning.top1 > held_out.top1  # in-sample beats held-out: the split is real
    assert held_out_conversations.follow_up_top1 >= 0.88, held_out_conversations.as_text(misses=False)


def test_naive_bayes_ratios_lean_towards_the_side_a_feature_is_seen_on():
    """The caveat model's features are scaled by their log-count ratios (NBSVM) before it is fitted."""
    from scipy.sparse import csr_matrix

    from knowledge.training import _nb_ratio

    # columns: seen on caveat examples only, on the others only, on both alike
    x = csr_matrix([[1.0, 0.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
    ratio = _nb_ratio(x, np.array([1, 1, 0, 0]), 0.5)
    assert ratio[0] > 0 > ratio[1] and ratio[0] == pytest.approx(-ratio[1]) and ratio[2] == pytest.approx(0.0)


def test_the_caveat_reads_the_section_model_beside_the_words():
    """The caveat's second reading (stacking) weighs the section model's probabilities: the same
    words lean further towards the caveat when the question sits in §3.1 (pay, complaints,
    organising); identity weights give the words' reading back; the file keeps it."""
    from dataclasses import replace

    model = LearnedModel.load()
    question = "can I say on facebook that our overtime schedule is unfair"
    sections = model.probabilities(question)
    words = model.caveat_probability(question, ())
    read = model.caveat_probability(question, (), sections)
    assert model.caveat_stack is not None and len(model.caveat_stack) == len(model.classes) + 1
    identity = replace(model, caveat_stack=np.r_[1.0, np.zeros(len(model.classes))], caveat_stack_intercept=0.0)
    assert identity.caveat_probability(question, (), sections) == pytest.approx(words)
    assert LearnedModel.from_bytes(model.to_bytes()).caveat_probability(question, (), sections) == pytest.approx(read)
    towards = {**sections, "3.1": min(1.0, sections["3.1"] * 4)}
    assert model.caveat_probability(question, (), towards) > read
