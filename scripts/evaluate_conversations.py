"""Follow-up quality: replay written conversations and score each follow-up's top section.

Input: JSONL files, one conversation per line:
  {"id": "c1", "author": "a", "persona": "...", "lang": "en",
   "turns": [{"q": "...", "sections": ["3.5.1"], "nlra": false}, ...]}
Each turn is asked with the conversation's earlier turns (as a thread would); a turn is right
when the answer's first citation is one of its "sections" (an empty list means "not covered":
right when the answer abstains). Reported for first turns and follow-ups, overall and per author.

Usage: python scripts/evaluate_conversations.py FILE [FILE ...] [--json] [--misses N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(paths: list[str]) -> list[dict]:
    conversations = []
    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            data = json.loads(line)
            if not isinstance(data.get("turns"), list) or not data["turns"]:
                raise ValueError(f"{path}:{n}: a conversation needs a non-empty \"turns\" list")
            conversations.append(data)
    return conversations


def right(answer, expected: list[str]) -> bool:
    if not expected:
        return not answer.in_scope
    return bool(answer.citations) and answer.citations[0] in expected


def evaluate(conversations: list[dict]) -> dict:
    from bot.assistant import Assistant
    from bot.threads import turn_of

    assistant = Assistant()
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for conv in conversations:
        history: tuple = ()
        for i, turn in enumerate(conv["turns"]):
            answer = assistant.ask(turn["q"], history=history)
            history += (turn_of(answer),)
            ok = right(answer, list(turn.get("sections") or []))
            kind = "first" if i == 0 else "follow_up"
            for key in (kind, f"{kind}:{conv.get('author', '?')}"):
                tally[key][0] += ok
                tally[key][1] += 1
            if not ok and i:
                misses.append({"id": conv.get("id"), "turn": i, "q": turn["q"], "expected": turn.get("sections"), "got": list(answer.citations[:3]), "reading": answer.extras.get("reading", "new")})
    score = {k: {"right": r, "total": t, "share": round(r / t, 3) if t else None} for k, (r, t) in sorted(tally.items())}
    return {"conversations": len(conversations), "scores": score, "misses": misses}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", type=int, default=10, help="follow-up misses to print (default 10)")
    args = parser.parse_args(argv)
    try:
        result = evaluate(load(args.files))
    except (OSError, ValueError) as exc:
        print(f"evaluate_conversations: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{result['conversations']} conversations")
    for key, s in result["scores"].items():
        print(f"  {key:<30} {s['right']:>4}/{s['total']:<4} {s['share']}")
    for miss in result["misses"][: args.misses]:
        print(f"  miss {miss['id']}#{miss['turn']}: {miss['q']!r} expected {miss['expected']} got {miss['got']} ({miss['reading']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
