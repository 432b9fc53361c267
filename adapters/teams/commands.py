"""What a Teams message asks for. Teams has no slash commands, so the first word decides."""

from __future__ import annotations

from dataclasses import dataclass

HELP_WORDS = {"", "help", "?", "hi", "hello", "hey", "usage", "start"}
COMMANDS = {"disclaimer": "disclaimer", "announce": "announce"}


@dataclass(frozen=True)
class Command:
    name: str  # "help", "disclaimer", "announce" or "ask"
    text: str  # what follows the command word (the whole question for "ask")


def parse(text: str | None) -> Command:
    text = " ".join((text or "").split())
    if text.lower().strip("!.") in HELP_WORDS:
        return Command("help", "")
    first, _, rest = text.partition(" ")
    name = COMMANDS.get(first.lower().lstrip("/").rstrip(":,"))
    if name:
        return Command(name, rest.strip())
    return Command("ask", text)
