"""`policybot teams-package`: the zip an administrator uploads to Teams (manifest + two icons).

The manifest in teams/manifest.json holds {{BOT_ID}} and {{HOST}}; they are filled from
--app-id (default $MicrosoftAppId) and --host (default the host of $PUBLIC_BASE_URL).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]+)?$")
FILES = ("color.png", "outline.png")


class PackageError(ValueError):
    """What is missing or wrong, worded for the administrator."""


def manifest(app_id: str, host: str) -> dict:
    if not app_id or not GUID.match(app_id):
        raise PackageError(
            "The bot's Microsoft App ID is needed (a GUID such as 1a2b3c4d-...): pass --app-id or set MicrosoftAppId."
        )
    if not host or not HOST.match(host):
        raise PackageError(
            "The public host serving the bot is needed (e.g. policybot.monroe.gov): pass --host or set PUBLIC_BASE_URL."
        )
    template = resources.files("teams").joinpath("manifest.json").read_text(encoding="utf-8")
    filled = template.replace("{{BOT_ID}}", app_id.lower()).replace("{{HOST}}", host)
    return json.loads(filled)


def build(output: Path, app_id: str, host: str) -> Path:
    data = manifest(app_id, host)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name in FILES:
            zf.writestr(name, resources.files("teams").joinpath(name).read_bytes())
    return output


def run(args: argparse.Namespace) -> int:
    from bot.settings import Settings

    settings = Settings.from_env()
    app_id = args.app_id or settings.microsoft_app_id or ""
    host = args.host or (urlsplit(settings.public_base_url).netloc if settings.public_base_url.startswith("https://") else "")
    try:
        path = build(Path(args.output), app_id, host)
    except PackageError as exc:
        print(f"policybot teams-package: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"policybot teams-package: cannot write {args.output} ({exc.strerror or exc}).", file=sys.stderr)
        return 1
    print(f"Wrote {path}: upload it in the Teams admin center (Teams apps > Manage apps > Upload new app).")
    return 0
