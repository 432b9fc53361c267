"""Score the assistant on a JSONL question set; same as `policybot eval FILE`.

    python scripts/evaluate.py [tests/data/questions.jsonl] [--json]
"""

import sys
from pathlib import Path

from bot.cli import main

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.jsonl"

if __name__ == "__main__":
    args = sys.argv[1:]
    if not any(not a.startswith("-") for a in args):
        args = [str(DEFAULT), *args]
    sys.exit(main(["eval", *args]))
