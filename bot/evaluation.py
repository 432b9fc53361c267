"""Score the assistant on a JSONL question set: {"q", "gold": [section ids], "nlra": bool}.

An empty "gold" means the policy does not cover the question and the right answer is
to abstain. top-1: the first citation is one of the gold sections. recall@3: a gold
section is among the first three hits. Caveat precision/recall count the NLRA caveat
against "nlra". Abstention: out-of-scope questions answered with no citation.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.assistant import Assistant


@dataclass
class Report:
    questions: int = 0
    in_scope: int = 0
    top1: float = 0.0
    recall_at_3: float = 0.0
    caveat_precision: float = 0.0
    caveat_recall: float = 0.0
    abstention: float = 0.0  # share of out-of-scope questions the bot declined
    false_abstention: float = 0.0  # share of in-scope questions it declined
    misses: list[dict] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [
            f"questions         {self.questions} ({self.in_scope} in scope, {self.questions - self.in_scope} out of scope)",
            f"top-1             {self.top1:.3f}",
            f"recall@3          {self.recall_at_3:.3f}",
            f"caveat precision  {self.caveat_precision:.3f}",
            f"caveat recall     {self.caveat_recall:.3f}",
            f"abstention        {self.abstention:.3f} (out-of-scope questions declined)",
            f"false abstention  {self.false_abstention:.3f} (in-scope questions declined)",
        ]
        for m in self.misses:
            lines.append(f"  miss: {m['q']!r} gold={m['gold']} got={m['got']} nlra={m['nlra']}/{m['caveat']}")
        return "\n".join(lines)


def load_questions(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return rows


def evaluate(assistant: Assistant, rows: list[dict]) -> Report:
    report = Report(questions=len(rows))
    top1 = recall = declined_in = declined_out = out = 0
    tp = fp = fn = 0
    for row in rows:
        answer = assistant.ask(row["q"])
        gold = [str(g) for g in row.get("gold", [])]
        ranked = [h.section.id for h in assistant.composer.retriever.search(answer.question).hits]
        expected_caveat = bool(row.get("nlra", False))
        tp += answer.nlra_caveat and expected_caveat
        fp += answer.nlra_caveat and not expected_caveat
        fn += expected_caveat and not answer.nlra_caveat
        if not gold:
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
            ok = hit1
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
    return report


def report_json(report: Report) -> str:
    return json.dumps(asdict(report), indent=2)
