"""Which language a question is written in: English and Spanish are answered, others are told so.

lingua (Rust core, language models shipped in its wheel), limited to the languages City
employees write in, in a cascade chosen by measurement on the bank's 1,249 first questions
(see README, "Languages"): the low-accuracy mode (~30 ms to load) settles clear English;
anything else goes to the high-accuracy mode (~450 ms to load, once per process). Low
accuracy alone mistook 35 English questions for other languages ("can i be fired for a
tiktok" as Tagalog), high accuracy alone costs its load on every cold start; the cascade
made 7 errors in 1,249 and loads the big models only for questions that need them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

ANSWERED = ("en", "es")
# The low-accuracy pass settles English at or above this confidence.
CLEAR_ENGLISH = 0.8
# A message this short in plain ASCII is English or Spanish, whichever the detector rates higher:
# two words give it too little to name any other language ("hi" came out Vietnamese, "ok"
# Tagalog). On the bank's 271 such questions and follow-ups this was right 0.937 of the time.
SHORT_WORDS = 3


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    confidence: float

    @property
    def answered(self) -> bool:
        return self.code in ANSWERED


@cache
def _detector(high_accuracy: bool):
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    languages = [
        L.ENGLISH, L.SPANISH, L.VIETNAMESE, L.TAGALOG, L.CHINESE,
        # other scripts: told apart by their alphabets, so they cost English questions nothing
        L.KOREAN, L.ARABIC, L.RUSSIAN, L.JAPANESE, L.HINDI, L.UKRAINIAN,
    ]  # fmt: skip
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder if high_accuracy else builder.with_low_accuracy_mode()).build()


def _top(text: str, high_accuracy: bool) -> Language | None:
    values = _detector(high_accuracy).compute_language_confidence_values(text)
    if not values:
        return None
    return Language(values[0].language.iso_code_639_1.name.lower(), values[0].value)


def detect(text: str) -> Language:
    if len(text.split()) <= SHORT_WORDS and text.isascii():
        values = {v.language.iso_code_639_1.name.lower(): v.value for v in _detector(True).compute_language_confidence_values(text)}
        es, en = values.get("es", 0.0), values.get("en", 0.0)
        return Language("es", es) if es > en else Language("en", en)
    quick = _top(text, high_accuracy=False)
    if quick is None:
        return Language("en", 0.0)
    if quick.code == "en" and quick.confidence >= CLEAR_ENGLISH:
        return quick
    return _top(text, high_accuracy=True) or quick
