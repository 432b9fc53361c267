"""The retriever held to a floor on the team's own set of employee questions."""

from pathlib import Path

from bot.evaluation import evaluate, load_questions

QUESTIONS = Path(__file__).parent / "data" / "questions.jsonl"


def test_question_set_is_substantial():
    rows = load_questions(QUESTIONS)
    assert len(rows) >= 60
    assert sum(1 for r in rows if not r["gold"]) >= 10
    assert sum(1 for r in rows if r["nlra"]) >= 15


def test_quality_floor(assistant):
    """A regression set: written by the team before the bank, so its caveat labels follow the
    old keyword rules (a logo question always carried it), not the bank's written rule."""
    report = evaluate(assistant, load_questions(QUESTIONS))
    assert report.top1 >= 0.9, report.as_text()
    assert report.recall_at_3 >= 0.97, report.as_text()
    assert report.abstention >= 0.85, report.as_text()
    assert report.false_abstention <= 0.05, report.as_text()
    assert report.caveat_recall >= 0.75, report.as_text()
    assert report.caveat_precision >= 0.85, report.as_text()
