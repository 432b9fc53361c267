"""The `policybot report` command: its arguments (cheap to build) and its run (opens the store).

Kept apart from report.py so that building the CLI's parser never loads SQLAlchemy.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from bot.store.errors import StoreError


def since_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-01-31") from None


def positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", type=since_date, metavar="DATE", help="only answers given on or after DATE (YYYY-MM-DD, UTC)")
    p.add_argument("--limit", type=positive, default=10, help="rows per list (default 10)")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")


def run(args: argparse.Namespace) -> int:
    from bot.settings import Settings
    from bot.store import open_store
    from bot.store.report import build_report
    from bot.templates import Templates

    try:
        store = open_store(Settings.from_env())
    except StoreError as exc:
        print(f"policybot report: {exc}", file=sys.stderr)
        return 1
    try:
        report = build_report(store, since=args.since, limit=args.limit)
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print(Templates().render("report.text.j2", report=report, store=store.location.display))
    return 0
