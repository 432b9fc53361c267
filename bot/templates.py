"""The Jinja2 environment that owns every word the assistant says.

Templates ship in bot/templates/. HR can override any of them without touching code by
pointing POLICYBOT_TEMPLATES at a folder holding files of the same names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape


def slack_escape(text: object) -> str:
    """Escape for Slack mrkdwn, so "<!channel>" and "<@U123>" stay text and ping nobody."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Templates:
    def __init__(self, override_folder: str | Path | None = None) -> None:
        folder = override_folder or os.environ.get("POLICYBOT_TEMPLATES")
        loaders = [FileSystemLoader(str(folder))] if folder else []
        loaders.append(PackageLoader("bot", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2", "xml"), default_for_string=False),
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=StrictUndefined,
        )
        self.env.filters["slack_escape"] = slack_escape
        self.env.filters["from_json"] = json.loads  # a macro's JSON output back to data

    def render(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(**context).strip()
