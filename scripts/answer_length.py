"""How long are the answers? Word counts of the text answers over a question set (default: tests/data/questions.jsonl).

Employees read the first sentence; the target is a median of at most 120 words in text form.
Usage: python scripts/answer_length.py [FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MEDIAN = 120


def word_counts(questions: list[str]) -> list[int]:
    from bot.assistant import Assistant

    assistant = Assistant()
    return [len(assistant.ask(q).text.split()) for q in questions]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests" / "data" / "questions.jsonl"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = word_counts([r["q"] for r in rows])
    ordered = sorted(counts)
    result = {
        "questions": len(counts),
        "median_words": statistics.median(counts),
        "p90_words": ordered[int(0.9 * (len(ordered) - 1))],
        "max_words": ordered[-1],
        "target_median": TARGET_MEDIAN,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['questions']} questions: median {result['median_words']} words, "
            f"p90 {result['p90_words']}, max {result['max_words']} (target: median <= {TARGET_MEDIAN})"
        )
    return 0 if result["median_words"] <= TARGET_MEDIAN else 1


if __name__ == "__main__":
    sys.exit(main())
