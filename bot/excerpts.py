"""Pick the sentences of a section that answer the question, to quote them word for word."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from knowledge.sections import sentences

WHOLE_SECTION_WORDS = 60  # a section this short is quoted whole
MAX_EXCERPT_WORDS = 75


def excerpt(
    text: str,
    weights: Mapping[str, float],
    tokenize: Callable[[str], list[str]],
) -> str:
    """The best-matching sentence, with its best neighbour when both fit the quote's length.

    `weights` maps query terms to how much they matter (IDF x query weight), so a
    sentence naming "LinkedIn" beats one that only shares "City".
    """
    parts = sentences(text)
    if len(text.split()) <= WHOLE_SECTION_WORDS or len(parts) <= 1:
        return text
    scores = [sum(weights.get(t, 0.0) for t in set(tokenize(s))) for s in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    chosen = [best]
    for j in sorted((best - 1, best + 1), key=lambda j: -scores[j] if 0 <= j < len(parts) else 1):
        if 0 <= j < len(parts) and scores[j] > 0:
            words = sum(len(parts[i].split()) for i in chosen) + len(parts[j].split())
            if words <= MAX_EXCERPT_WORDS:
                chosen.append(j)
            break
    return " ".join(parts[i] for i in sorted(chosen))
