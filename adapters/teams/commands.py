"""What a Teams message asks for. Teams has no slash commands: a message is a command only
when it *is* one (a word from the manifest's command list, with that command's arguments);
any sentence is a question, whatever its first word.

"disclaimer blog Parks Department" drafts a disclaimer; "Disclaimer needed on my TikTok bio?"
is a question. "announce §3.3.4" or "announce Can I post about my pay?" is HR's command;
"Announce my new job at the city on LinkedIn, is that allowed?" is a question.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.help import wants_help

DISCLAIMER_KINDS = {"post", "profile", "blog"}
# Words that make the text after "disclaimer" a sentence rather than a job title or department.
SENTENCE_WORDS = {
    "i", "me", "my", "we", "our", "you", "your", "it", "this", "that", "is", "are", "am", "be", "do", "does", "did",
    "need", "needs", "needed", "require", "required", "should", "can", "could", "may", "must", "have", "has", "what",
    "how", "when", "why", "where", "which", "who", "if", "allowed", "ok", "okay", "about", "on", "say", "use", "put",
}
# An announcement names a section or asks a question in the usual way.
ANNOUNCE_ARGUMENT = re.compile(
    r"^(?:§|sec(?:tion)?\.?\s*)?\d+(?:\.\d+)*\.?$"
    r"|^(?:can|could|may|must|should|do|does|is|are|am|will|what|how|when|where|who|which|why)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class Command:
    name: str  # "help", "disclaimer", "announce" or "ask"
    text: str  # the command's arguments (the whole question for "ask")


@cache
def manifest_commands() -> frozenset[str]:
    """The one-word commands the Teams manifest lists (what the compose box suggests)."""
    manifest = json.loads(resources.files("teams").joinpath("manifest.json").read_text(encoding="utf-8"))
    titles = {
        c["title"].lower()
        for bot in manifest.get("bots", [])
        for command_list in bot.get("commandLists", [])
        for c in command_list.get("commands", [])
    }
    return frozenset(t for t in titles if t.isalpha())


def _is_disclaimer_arguments(rest: str) -> bool:
    words = [w.lower() for w in _WORD.findall(rest)]
    if "?" in rest or not words:
        return not words
    if words[0] in DISCLAIMER_KINDS:
        words = words[1:]
    return not any(w in SENTENCE_WORDS for w in words)


def _is_announce_arguments(rest: str) -> bool:
    return bool(ANNOUNCE_ARGUMENT.match(rest.strip()))


ARGUMENT_CHECKS = {"disclaimer": _is_disclaimer_arguments, "announce": _is_announce_arguments}


def parse(text: str | None) -> Command:
    text = " ".join((text or "").split())
    if wants_help(text):
        return Command("help", "")
    first, _, rest = text.partition(" ")
    name = first.lower().lstrip("/").rstrip(":,")
    rest = rest.strip()
    if name not in manifest_commands():
        return Command("ask", text)
    if name == "help":
        return Command("help", "") if not rest else Command("ask", text)
    check = ARGUMENT_CHECKS.get(name)
    if not rest or (check is not None and check(rest)):
        return Command(name, rest)
    return Command("ask", text)
