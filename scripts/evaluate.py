"""Score the assistant; same as `policybot eval`.

    python scripts/evaluate.py              # the bank (tuning, then held-out authors) and the regression set
    python scripts/evaluate.py FILE [--json] [--misses]
"""

import sys
from pathlib import Path

from bot.cli import main

REGRESSION = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.jsonl"

if __name__ == "__main__":
    args = sys.argv[1:]
    if not any(not a.startswith("-") for a in args):
        args = ["--bank", str(REGRESSION), *args]
    sys.exit(main(["eval", *args]))
