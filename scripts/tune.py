"""Choose the learned decisions' settings by cross-validation over groups of authors.

    python scripts/tune.py [--quick] [--folds 5]

Only the tuning authors of knowledge/questions/026/split.toml take part: they are dealt into
`--folds` groups (author 1 to group 1, author 2 to group 2, ...); each group in turn is left
out, the model is trained on the others, and the left-out group's questions are scored. The
held-out authors are never read here, so their figures (scripts/evaluate.py --bank) stay
honest. Prints a table; copy the chosen settings into
knowledge/models/training.toml and run scripts/train.py.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace

import numpy as np

from bot.caveat import CaveatRules
from bot.composer import MAX_CITATIONS, RELATED_SHARE
from knowledge.bank import Bank
from knowledge.classifier import NONE
from knowledge.language import ANSWERED, detect
from knowledge.library import Library
from knowledge.ranking import fuse
from knowledge.retriever import Retriever
from knowledge.training import TrainingConfig, train


def fold_scores(bank, policy, retriever, config, left_out):
    """Per question of the left-out authors: everything the fusion grid needs."""
    train_on = [a for a in bank.split.tuning if a not in left_out]
    model = train(bank.by_authors(train_on), policy, config, conversations=bank.conversations_by_authors(train_on))
    sections = [s.id for s in retriever.sections if s.id in model.classes]
    pos = {s: i for i, s in enumerate(sections)}
    rows = []
    for q in bank.by_authors(left_out):
        lang = detect(q.q).code
        if lang not in ANSWERED:
            continue
        probs = model.probabilities(q.q)
        clf = np.array([probs[s] for s in sections])
        raw = np.full(len(sections), np.nan)
        if lang == "en":
            for hit in retriever.search(q.q, k=len(retriever.sections)).hits:
                if hit.section.id in pos:
                    raw[pos[hit.section.id]] = hit.score
        # cav(cited): the caveat as the composer decides it; cav(cited, None): its words' reading
        # alone, which the scope rescue reads (bot/composer.py).
        caveat = lambda cited, sections=probs, m=model, text=q.q: m.caveat_probability(text, cited, sections)
        rows.append((q, clf / clf.sum(), probs[NONE], raw, caveat, sections))
    return rows


def score(rows, fusion, rules):
    """The composer's decisions (bot/composer.py, bot/caveat.py) under one set of fusion settings."""
    n_in = top1 = rec3 = fa = out = declined = tp = fp = fn = 0
    for q, clf, p_none, raw, cav, sections in rows:  # cav: cited -> P(caveat)
        fused, _bm25 = fuse(clf, raw, fusion)
        order = np.argsort(-fused, kind="stable")
        in_scope = fusion.covers(p_none, lambda: cav((), None))
        main = sections[order[0]]
        cited = tuple(sections[i] for i in order[:MAX_CITATIONS] if fused[i] >= RELATED_SHARE * fused[order[0]])
        caveat = in_scope and (main in rules.always_sections or cav(cited) >= fusion.caveat_threshold)
        tp += caveat and q.nlra
        fp += caveat and not q.nlra
        fn += q.nlra and not caveat
        if q.sections:
            n_in += 1
            top1 += in_scope and main in q.sections
            rec3 += in_scope and any(sections[i] in q.sections for i in order[:3])
            fa += not in_scope
        else:
            out += 1
            declined += not in_scope
    return dict(
        top1=top1 / n_in, rec3=rec3 / n_in, fa=fa / n_in, abst=declined / max(out, 1),
        cp=tp / max(tp + fp, 1), cr=tp / max(tp + fn, 1),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the model settings in training.toml only")
    parser.add_argument("--folds", type=int, default=5, help="groups of tuning authors (default 5)")
    args = parser.parse_args()
    bank = Bank.load()
    policy = Library.load().current()
    retriever = Retriever(policy)
    base = TrainingConfig.load()
    rules = CaveatRules.load()
    variations = {
        "base": {},
        "c=5": {"c": 5.0},
        "c=30": {"c": 30.0},
        "char_weight=0.7": {"ngrams": replace(base.ngrams, char_weight=0.7)},
        "char_weight=1.4": {"ngrams": replace(base.ngrams, char_weight=1.4)},
        "policy_weight=0": {"policy_weight": 0.0},
        "policy_weight=1": {"policy_weight": 1.0},
        "secondary_weight=0.6": {"secondary_weight": 0.6},
        "chars 1-6": {"ngrams": replace(base.ngrams, char_min=1, char_max=6)},
        "caveat_c=3": {"caveat_c": 3.0},
        "caveat_c=10": {"caveat_c": 10.0},
        "caveat without NB scaling": {"caveat_nb_smoothing": 0.0, "caveat_c": 30.0},
        "caveat from every question": {"caveat_in_scope_only": False},
        "caveat reads the section": {"caveat_section_weight": 1.0},
    }
    model_grid = [("base", base)] if args.quick else [(name, replace(base, **v)) for name, v in variations.items()]
    fusion_grid = [
        replace(base.fusion, bm25_weight=w, bm25_temperature=t, none_threshold=nt, caveat_threshold=ct)
        for w, t, nt, ct in itertools.product((0.0, 0.1, 0.2, 0.3), (1.0, 2.0), (0.1, 0.15, 0.2), (0.1, 0.15, 0.2, 0.25, 0.3))
    ]  # fmt: skip
    for name, config in model_grid:
        folds = [bank.split.tuning[i :: args.folds] for i in range(args.folds)]
        rows = [r for group in folds for r in fold_scores(bank, policy, retriever, config, group)]
        results = [(score(rows, f, rules), f) for f in fusion_grid]
        # One figure to sort by: the targets weigh top-1, scope and caveat alike.
        key = lambda r: r[0]["top1"] + r[0]["abst"] - 2 * r[0]["fa"] + 0.5 * (r[0]["cp"] + r[0]["cr"])
        best = sorted(results, key=key, reverse=True)[:6]
        print(name, flush=True)
        for s, f in best:
            print("   ", " ".join(f"{k}={v:.3f}" for k, v in s.items()), f"| w={f.bm25_weight} T={f.bm25_temperature} none<{f.none_threshold} cav>={f.caveat_threshold}")


if __name__ == "__main__":
    main()
