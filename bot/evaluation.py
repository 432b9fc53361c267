"""Score the assistant on a question set: a JSONL file ({"q", "gold", "nlra"}) or the question bank.

An empty "gold" means the policy does not cover the question and the right answer is
to abstain. top-1: the first citation is one of the gold sections. recall@3: a gold
section is among the first three ranked. Caveat precision/recall count the NLRA caveat
against "nlra". Abstention: out-of-scope questions answered with no citation. Questions
in languages the assistant does not answer count as right when it declines them.

On the bank, figures are given per group of authors (split.toml): the held-out authors'
figures, from the model trained without them, are the ones that say how it generalises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.assistant import Assistant
from knowledge.language import ANSWERED


@dataclass
class Report:
    name: str = ""
    questions: int = 0
    in_scope: int = 0
    top1: float = 0.0
    recall_at_3: float = 0.0
    caveat_precision: float = 0.0
    caveat_recall: float = 0.0
    abstention: float = 0.0  # share of out-of-scope questions the bot declined
    false_abstention: float = 0.0  # share of in-scope questions it declined
    spanish: int = 0  # in-scope Spanish questions
    spanish_top1: float = 0.0
    other_languages: int = 0
    other_languages_declined: float = 0.0
    misses: list[dict] = field(default_factory=list)

    def as_text(self, *, misses: bool = True) -> str:
        lines = [
            f"== {self.name}" if self.name else "",
            f"questions         {self.questions} ({self.in_scope} in scope, {self.questions - self.in_scope - self.other_languages} out of scope, {self.other_languages} other languages)",
            f"top-1             {self.top1:.3f}",
            f"recall@3          {self.recall_at_3:.3f}",
            f"caveat precision  {self.caveat_precision:.3f}",
            f"caveat recall     {self.caveat_recall:.3f}",
            f"abstention        {self.abstention:.3f} (out-of-scope questions declined)",
            f"false abstention  {self.false_abstention:.3f} (in-scope questions declined)",
        ]
        if self.spanish:
            lines.append(f"Spanish top-1     {self.spanish_top1:.3f} ({self.spanish} in-scope Spanish questions)")
        if self.other_languages:
            lines.append(f"other languages   {self.other_languages_declined:.3f} declined with the languages reply")
        for m in self.misses if misses else ():
            lines.append(f"  miss: {m['q']!r} gold={m['gold']} got={m['got']} nlra={m['nlra']}/{m['caveat']}")
        return "\n".join(line for line in lines if line)


def load_questions(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def bank_rows(questions: Iterable) -> list[dict]:
    """Bank questions as evaluation rows."""
    return [{"q": q.q, "gold": list(q.sections), "nlra": q.nlra, "lang": q.lang} for q in questions]


def evaluate(assistant: Assistant, rows: list[dict], *, name: str = "") -> Report:
    report = Report(name=name, questions=len(rows))
    top1 = recall = declined_in = declined_out = out = 0
    es_top1 = other_declined = 0
    tp = fp = fn = 0
    for row in rows:
        answer = assistant.ask(row["q"])
        _language, ranking = assistant.composer.rank(answer.question)
        ranked = [r.section.id for r in ranking.ranked] if ranking else []
        gold = [str(g) for g in row.get("gold", [])]
        expected_caveat = bool(row.get("nlra", False))
        lang = row.get("lang", "en")
        if lang not in ANSWERED:
            report.other_languages += 1
            ok = not answer.in_scope and answer.language not in ANSWERED
            other_declined += ok
            expected_caveat = False
        elif not gold:
            out += 1
            declined_out += not answer.in_scope
            ok = not answer.in_scope
        else:
            report.in_scope += 1
            hit1 = bool(answer.citations) and answer.citations[0] in gold
            hit3 = answer.in_scope and any(g in ranked[:3] for g in gold)
            top1 += hit1
            recall += hit3
            declined_in += not answer.in_scope
            if lang == "es":
                report.spanish += 1
                es_top1 += hit1
            ok = hit1
        tp += answer.nlra_caveat and expected_caveat
        fp += answer.nlra_caveat and not expected_caveat
        fn += expected_caveat and not answer.nlra_caveat
        if not ok or answer.nlra_caveat != expected_caveat:
            report.misses.append(
                {"q": row["q"], "gold": gold, "got": list(answer.citations), "nlra": expected_caveat, "caveat": answer.nlra_caveat}
            )
    n_in = max(report.in_scope, 1)
    report.top1 = top1 / n_in
    report.recall_at_3 = recall / n_in
    report.false_abstention = declined_in / n_in
    report.abstention = declined_out / out if out else 1.0
    report.caveat_precision = tp / (tp + fp) if tp + fp else 1.0
    report.caveat_recall = tp / (tp + fn) if tp + fn else 1.0
    report.spanish_top1 = es_top1 / report.spanish if report.spanish else 0.0
    report.other_languages_declined = other_declined / report.other_languages if report.other_languages else 0.0
    return report


def evaluate_bank(policy_number: str = "026", authors: Sequence[str] = ()) -> list[Report | ConversationReport]:
    """The model trained on the tuning authors only, scored on them and on the held-out authors
    (or, with `authors`, on those authors alone: "a4,a6" compares with an earlier release).

    The held-out figure is the one that counts: those authors' phrasing never reached
    the model or its settings.
    """
    from knowledge.bank import Bank
    from knowledge.classifier import LearnedModel

    bank = Bank.load(policy_number)
    assistant = Assistant(model=LearnedModel.load(f"{policy_number}.tuning"))
    unknown = set(authors) - set(bank.authors)
    if unknown:
        raise ValueError(f"no such author in the bank: {', '.join(sorted(unknown))}")
    groups = [(a, "held-out" if a in bank.split.held_out else "tuning") for a in authors]
    kinds = {kind for _, kind in groups}
    if authors:
        label = f"{' and '.join(sorted(kinds))} authors {', '.join(authors)}" + (" (never seen)" if kinds == {"held-out"} else "")
        return [
            evaluate(assistant, bank_rows(bank.by_authors(authors)), name=f"bank, {label}"),
            evaluate_conversations(assistant, bank.conversations_by_authors(authors), name=f"conversations, {label}"),
        ]
    tuning, held_out = ", ".join(bank.split.tuning), ", ".join(bank.split.held_out)
    return [
        evaluate(assistant, bank_rows(bank.by_authors(bank.split.tuning)), name=f"bank, tuning authors {tuning} (trained on)"),
        evaluate(assistant, bank_rows(bank.by_authors(bank.split.held_out)), name=f"bank, held-out authors {held_out} (never seen)"),
        evaluate_conversations(assistant, bank.conversations_by_authors(bank.split.tuning), name="conversations, tuning authors (trained on)"),
        evaluate_conversations(assistant, bank.conversations_by_authors(bank.split.held_out), name=f"conversations, held-out authors {held_out} (never seen)"),
    ]


@dataclass
class ConversationReport:
    name: str = ""
    conversations: int = 0
    first_turns: int = 0
    first_top1: float = 0.0
    follow_ups: int = 0
    follow_up_top1: float = 0.0  # the follow-up's first citation is right (or it declines when it should)
    misses: list[dict] = field(default_factory=list)

    def as_text(self, *, misses: bool = True) -> str:
        lines = [
            f"== {self.name}" if self.name else "",
            f"conversations     {self.conversations} ({self.first_turns} first turns, {self.follow_ups} follow-ups)",
            f"first turn top-1  {self.first_top1:.3f}",
            f"follow-up top-1   {self.follow_up_top1:.3f}",
        ]
        for m in self.misses if misses else ():
            lines.append(f"  miss: {m['id']}#{m['turn']} {m['q']!r} expected={m['expected']} got={m['got']}")
        return "\n".join(line for line in lines if line)


def evaluate_conversations(assistant: Assistant, conversations: Iterable, *, name: str = "") -> ConversationReport:
    """Each turn asked with the conversation's earlier turns, as a thread would (bank Conversations)."""
    from bot.threads import turn_of

    report = ConversationReport(name=name)
    right = {True: 0, False: 0}
    for conv in conversations:
        report.conversations += 1
        history: tuple = ()
        for i, turn in enumerate(conv.turns):
            answer = assistant.ask(turn.q, history=history)
            history += (turn_of(answer),)
            ok = not answer.in_scope if not turn.sections else bool(answer.citations) and answer.citations[0] in turn.sections
            right[i > 0] += ok
            if i:
                report.follow_ups += 1
            else:
                report.first_turns += 1
            if not ok and i:
                report.misses.append({"id": conv.id, "turn": i, "q": turn.q, "expected": list(turn.sections), "got": list(answer.citations)})
    report.first_top1 = right[False] / max(report.first_turns, 1)
    report.follow_up_top1 = right[True] / max(report.follow_ups, 1)
    return report


def report_json(report: Report | ConversationReport | list) -> str:
    reports = report if isinstance(report, list) else [report]
    data = [asdict(r) for r in reports]
    return json.dumps(data if isinstance(report, list) else data[0], indent=2, ensure_ascii=False)
