"""Rebuild the learned files from the question bank (needs the `train` extra: scikit-learn).

    python scripts/train.py            # writes knowledge/models/026.npz and 026.tuning.npz
    python scripts/train.py --check    # exit 1 when a shipped file differs from a fresh build

026.npz is trained on every author and answers questions. 026.tuning.npz is trained on the
tuning authors only (knowledge/questions/026/split.toml): `policybot eval --bank` uses it to
report figures on the held-out authors, who never influenced it. Deterministic: the same
bank and settings give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.bank import Bank
from knowledge.library import Library
from knowledge.training import TrainingConfig, train

MODELS = Path(__file__).resolve().parent.parent / "knowledge" / "models"


def build(policy_number: str = "026") -> dict[str, bytes]:
    bank = Bank.load(policy_number)
    policy = Library.load().current(policy_number)
    config = TrainingConfig.load()
    files = {}
    for name, authors in ((policy_number, bank.authors), (f"{policy_number}.tuning", bank.split.tuning)):
        meta = {"bank_digest": bank.digest, "authors": list(authors)}
        conversations = bank.conversations_by_authors(authors)
        files[name] = train(bank.by_authors(authors), policy, config, conversations=conversations, meta=meta).to_bytes()
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for name, raw in build().items():
        path = MODELS / f"{name}.npz"
        if args.check:
            if not path.is_file() or path.read_bytes() != raw:
                stale.append(path.name)
        else:
            path.write_bytes(raw)
            print(f"wrote {path.relative_to(MODELS.parent.parent)} ({len(raw) / 1e6:.2f} MB)")
    if stale:
        print(f"stale: {', '.join(stale)}; run python scripts/train.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
