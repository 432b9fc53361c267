"""The Jinja2 environment that owns every word the assistant says.

Templates ship in bot/templates/. HR can override any of them without touching code by
pointing POLICYBOT_TEMPLATES at a folder holding files of the same names. Short fixed words
(labels, titles, error messages) are phrases.j2's, looked up from code with Templates.phrase.
"""

from __future__ import annotations

import json
import os
from functools import cache
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

    def macro(self, name: str, macro: str, *args: object) -> str:
        """One macro of a template, called: a short reply of replies.text.j2, a card of handoff.teams.json.j2."""
        return str(getattr(self.env.get_template(name).module, macro)(*args)).strip()

    def phrases(self, language: str = "en") -> dict:
        """phrases.j2's words in a language; a word it lacks is the English one."""
        by_language = self.env.get_template("phrases.j2").module.by_language
        return {**by_language["en"], **by_language.get(language, {})}

    def phrase(self, key: str, language: str = "en", **fields: object) -> str:
        """One phrase, its {field} marks filled in: phrase("err_too_long", field="role", most=100)."""
        text = self.phrases(language)[key]
        for name, value in fields.items():
            text = text.replace("{" + name + "}", str(value))
        return text


@cache
def _shared(folder: str | None) -> Templates:
    return Templates(folder)


def shared() -> Templates:
    """This process's templates (POLICYBOT_TEMPLATES honoured): the words of code that has no Assistant at hand."""
    return _shared(os.environ.get("POLICYBOT_TEMPLATES"))


class WordedError(ValueError):
    """Something sent that cannot be taken as it is. The message, for the person who sent it, is
    phrases.j2's `key` (so HR can reword it); `key` also names the error for code and tests."""

    def __init__(self, key: str, **fields: object) -> None:
        self.key = key
        super().__init__(shared().phrase(key, **fields))
