"""The measuring scripts run and report what they claim: answer length, follow-up quality."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_the_median_text_answer_is_at_most_120_words():
    out = run("scripts/answer_length.py", "--json")
    result = json.loads(out.stdout)
    assert out.returncode == 0 and result["questions"] >= 140
    assert result["median_words"] <= 120


def test_follow_ups_are_scored_per_turn_and_author(tmp_path):
    out = run("scripts/evaluate_conversations.py", "tests/data/conversations.sample.jsonl", "--json")
    result = json.loads(out.stdout)
    assert result["scores"]["follow_up"]["total"] == 7 and result["scores"]["follow_up"]["share"] >= 0.85
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"id": "w", "author": "x", "turns": [{"q": "Can my supervisor friend me on Facebook?", "sections": ["3.4"]}, {"q": "why?", "sections": ["3.4"]}]}) + "\n")
    scored = json.loads(run("scripts/evaluate_conversations.py", str(wrong), "--json").stdout)
    assert scored["scores"]["follow_up"]["share"] == 0 and scored["misses"][0]["reading"] == "explain"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b", "turns": []}\n')
    failed = run("scripts/evaluate_conversations.py", str(bad))
    assert failed.returncode == 2 and "turns" in failed.stderr
