"""What counts as a question: cleaned of markup and control characters, bounded in size."""

from __future__ import annotations

import re
import unicodedata

from bot.templates import WordedError

MAX_QUESTION_CHARS = 1000


class QuestionError(WordedError):
    """The text cannot be asked; the message (a phrase of phrases.j2) says why, for the person who typed it."""


def clean_question(text: str | None) -> tuple[str, bool]:
    """The question to answer, and whether it was cut short.

    Control and format characters go (a pasted zero-width space must not split a word);
    whitespace is collapsed. Over MAX_QUESTION_CHARS the question is cut at a word
    boundary: nobody asks a 1,000-character question, so the start carries its meaning.
    """
    if text is None:
        raise QuestionError("err_no_question")
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"} else ch for ch in text)
    text = " ".join(text.split())
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("err_no_question")
    truncated = len(text) > MAX_QUESTION_CHARS
    if truncated:
        cut = text[:MAX_QUESTION_CHARS]
        text = re.sub(r"\s+\S*$", "", cut) or cut
    return text, truncated
