"""When a message asks for help (or only says hello) rather than asking about the policy.

One list for every chat surface, so "hola" gets the same help in Slack as in Teams.
"""

from __future__ import annotations

# Compared with the message lower-cased, trimmed of spaces and end punctuation ("Hi!", "¿Ayuda?").
SPANISH_HELP_WORDS = frozenset(
    {"hola", "ayuda", "buenas", "buenos días", "buenos dias", "buenas tardes", "buenas noches"}
)  # fmt: skip
HELP_WORDS = frozenset(
    {
        "",  # an empty mention or command: say what the assistant does
        "help", "hi", "hello", "hey", "usage", "start",
        *SPANISH_HELP_WORDS,
    }
)  # fmt: skip


def _normal(text: str | None) -> str:
    return " ".join((text or "").lower().split()).strip("!.?¡¿ ")


def wants_help(text: str | None) -> bool:
    """"help", "hi", "hola", "ayuda", "?" or nothing at all: the person needs to hear what to ask."""
    return _normal(text) in HELP_WORDS


def help_language(text: str | None) -> str:
    """The language to give help in: "es" after "hola" or "ayuda", else "en"."""
    return "es" if _normal(text) in SPANISH_HELP_WORDS else "en"
