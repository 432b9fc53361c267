"""`policybot purge`: delete answers older than POLICYBOT_RETENTION_DAYS (or --days). Run it daily
(cron, a scheduler) or rely on `policybot serve`, which applies the same setting once a day."""

from __future__ import annotations

import argparse
import sys

from bot.store.errors import StoreError


def add_arguments(p: argparse.ArgumentParser) -> None:
    from bot.store.report_cli import positive

    p.add_argument("--days", type=positive, help="keep this many days (default: $POLICYBOT_RETENTION_DAYS)")
    p.add_argument("--dry-run", action="store_true", help="only count what would be deleted")


def run(args: argparse.Namespace) -> int:
    from bot.settings import Settings
    from bot.store import open_store
    from bot.store.retention import purge
    from bot.templates import Templates

    settings = Settings.from_env()
    days = args.days or settings.retention_days
    if not days:
        print("policybot purge: set POLICYBOT_RETENTION_DAYS (e.g. 365) or pass --days N.", file=sys.stderr)
        return 2
    try:
        store = open_store(settings)
    except StoreError as exc:
        print(f"policybot purge: {exc}", file=sys.stderr)
        return 1
    try:
        result = purge(store, days, dry_run=args.dry_run)
    finally:
        store.close()
    print(Templates().render("purge.text.j2", result=result, days=days, dry_run=args.dry_run, store=store.location.display))
    return 0
