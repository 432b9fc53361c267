"""Follow-up questions: is a message read on its own, or with the thread's earlier turns?

Pure: no I/O. Given the turns so far and the new message, `read_message` decides whether
the message is a thank-you or an "ok" (no question at all), a new question, a follow-up ("what about Instagram?", "and if I'm off duty?",
"is that the same for managers?"), a request to explain the last answer ("why?") or to see
its exact text ("show me the exact text"), and what to retrieve with. The rule is a first
version of cues in the wording; its signature is the contract the Assistant relies on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

# How many earlier turns are read (older ones rarely matter and would grow the query).
MAX_TURNS = 6
# A follow-up is retrieved with the question it follows plus at most this many follow-ups.
MAX_CHAIN = 2
# Messages this short with a pronoun ("is it?", "does that apply to me") lean on the last turn.
SHORT_WORDS = 8
# Messages this short that are not a full question ("Instagram?", "managers too?") are follow-ups.
FRAGMENT_WORDS = 3


class Kind(str, Enum):
    NEW = "new"  # a question of its own
    FOLLOW_UP = "follow_up"  # read with the earlier question
    EXPLAIN = "explain"  # "why?": explain the last answer's section
    EXACT_TEXT = "exact_text"  # "show me the exact text": the last answer's section, whole
    ACKNOWLEDGEMENT = "acknowledgement"  # "thanks", "ok", "gracias": no question; a short reply, nothing cited or kept


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a thread: what was asked and what the answer cited."""

    question: str
    sections: tuple[str, ...] = ()
    in_scope: bool = False


@dataclass(frozen=True)
class Reading:
    """How to answer a message: its kind, the text to retrieve with, the sections it refers to."""

    kind: Kind
    query: str
    sections: tuple[str, ...] = ()  # for EXPLAIN / EXACT_TEXT: the last in-scope answer's citations
    follows: str = ""  # the earlier question(s) as asked, for "Following up on: ..."


def _pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(alternatives) + r")$", re.IGNORECASE)


_WORD = re.compile(r"[\w']+", re.UNICODE)

EXPLAIN = _pattern(
    r"why", r"why not", r"how come", r"explain", r"explain (?:that|this|it|why|please|more)",
    r"(?:please |can you |could you )?explain (?:that|this|it)?(?: to me)?(?: please)?",
    r"why (?:is|was|does|would|should|can't|cannot|isn't|not) (?:that|this|it)(?: so| the case| the rule| allowed| not allowed)?",
    r"what(?:'s| is) the (?:reason|concern|problem|point|logic|issue|big deal)(?: (?:for|with|behind) (?:that|this|it|the rule))?",
    r"what does (?:that|this|it) mean", r"what do you mean", r"(?:and )?why(?: is that)?",
    r"por ?qu[eé]", r"por ?qu[eé] no", r"c[oó]mo as[ií]", r"y eso por ?qu[eé]",
)
# "why tho", "but why not?", "¿por qué no se permite?": a why-question with nothing of its own to ask.
WHY_OPENING = re.compile(r"^(?:(?:and|but|so|ok|okay|y|pero) )?(?:why|how come|por ?qu[eé])\b", re.IGNORECASE)
WHY_FILLERS = frozenset(
    "why how come por que qué and but so ok okay y pero not no tho though then exactly again really is it that this "
    "the rule case so allowed a problem wrong bad would does do can't cannot isn't wouldn't se permite puede puedo es eso "
    "esto asi así está esta mal".split()
)
WHY_MAX_WORDS = 6
TRAILING_FILLERS = frozenset("exactly tho though then again please here anyway entonces".split())
EXACT_TEXT = re.compile(
    r"\b(?:exact (?:text|wording|words|language)|word for word|verbatim|full text|whole (?:section|text)"
    r"|show me (?:the )?(?:policy|text|section|wording|rule)|quote (?:it|that|the (?:policy|section|rule))"
    r"|where does (?:it|the policy) say|what does (?:the policy|it) say exactly|read me the (?:section|policy|rule)"
    r"|what(?:'s| is) the (?:wording|text|exact)|the (?:actual|official) (?:wording|text|words)"
    r"|texto exacto|el texto|la redacci[oó]n|(?:qu[eé]|c[oó]mo) dice(?: la pol[ií]tica| la regla)? exactamente"
    r"|palabra por palabra|textual(?:mente)?)\b",
    re.IGNORECASE,
)
# Openings that only make sense after something was said.
FOLLOW_UP_OPENINGS = re.compile(
    r"^(?:what about|how about|and|but|or|also|same|what if|even|only if|unless|in that case|what else|anything else"
    r"|same goes|same for|as well|y|pero|qu[eé] tal|y si|y qu[eé]|aunque|incluso|ni|tampoco|tambi[eé]n)\b",
    re.IGNORECASE,
)
# Openings that lean on the last answer in a short message only ("is that true for interns?"),
# not in a full question ("is it ok to post photos from a fire scene?").
SHORT_FOLLOW_UP_OPENINGS = re.compile(
    r"^(?:is that|is this|does that|does this|would that|could that|can i still|do i still|so|then|ok(?:ay)?|too|if|si"
    r"|(?:is|does|would|could) it(?! (?:ok|okay|fine|allowed|alright|acceptable|legal|possible|appropriate|a problem) (?:to|if|for)\b))\b",
    re.IGNORECASE,
)
# Short questions about consequences carry no topic of their own: "could I be fired?"
CONSEQUENCE = re.compile(
    r"^(?:could|can|would|will|might|may|am|do|does)\s+(?:i|we|you|they|someone|he|she|people)\s+(?:still\s+)?"
    r"(?:be|get|got)\s+(?:fired|disciplined|punished|terminated|suspended|written up|in trouble|sued|reported)\b",
    re.IGNORECASE,
)
# Platforms and media: a follow-up naming one replaces the earlier question's.
MEDIA = re.compile(
    r"\b(?:facebook|fb|instagram|insta|ig|tiktok|tik tok|linkedin|twitter|x\.com|threads|reddit|nextdoor|youtube|snapchat"
    r"|whatsapp|bluesky|mastodon|pinterest|twitch|discord|blog|blogs|website|podcast|profile|bio|page|messenger)\b",
    re.IGNORECASE,
)
# Words that point back to the last answer.
ANAPHORA = re.compile(r"\b(?:that|(?<!is )it(?! (?:ok|okay|fine|allowed|alright|acceptable|legal|possible) (?:to|if|for)\b)|this|those|these|them|same|there|too|either|also|instead|lo|eso|esto)\b", re.IGNORECASE)
# Words that point back at something said earlier, in a message of any length (reread_as_follow_up).
REFERS_BACK = re.compile(
    r"\b(?:that|this|those|these|it|they|them|he|she|him|her|same|then|there|instead|either|too|also"
    r"|eso|esto|ese|esa|ellos|ella|[eé]l|lo|la|entonces|tambi[eé]n)\b",
    re.IGNORECASE,
)
REREAD_WORDS = 16
# Words that open a question that stands on its own.
QUESTION_OPENINGS = re.compile(
    r"^(?:can|could|may|might|must|should|shall|will|would|am|are|is|do|does|did|have|has|what|when|where|which|who|whom"
    r"|whose|why|how|i|my|we|our|if|puedo|debo|qu[eé]|c[oó]mo|cu[aá]ndo|d[oó]nde)\b",
    re.IGNORECASE,
)


# Thanks and acknowledgements are not questions, and never a reason to repeat the last answer.
ACKNOWLEDGEMENT = _pattern(
    r"(?:ok(?:ay)?|great|cool|perfect|got it|understood|good|nice|thanks?|thank you|thx|ty"
    r"|gracias|muchas gracias|mil gracias|vale|de acuerdo|entendido|perfecto|genial|listo|muy bien)"
    r"(?: (?:ok(?:ay)?|great|got it|thanks?|thank you|so much|a lot|very much|again|gracias|muchas gracias|de nuevo|otra vez))*",
)
SPANISH_ACKNOWLEDGEMENT = re.compile(
    r"\b(?:gracias|vale|de acuerdo|entendido|perfecto|genial|listo|muy bien|de nuevo|otra vez)\b", re.IGNORECASE
)
# Said alike in English and Spanish: the conversation's language decides the reply's.
EITHER_LANGUAGE = re.compile(r"^(?:ok(?:ay)?)(?: ok(?:ay)?)*$", re.IGNORECASE)


def is_acknowledgement(message: str) -> bool:
    return bool(ACKNOWLEDGEMENT.match(_bare(message)))


def acknowledgement_language(message: str) -> str | None:
    """The language to thank back in: "es" for "gracias", "en" for "thanks", None for a bare "ok"."""
    bare = _bare(message)
    if SPANISH_ACKNOWLEDGEMENT.search(bare):
        return "es"
    return None if EITHER_LANGUAGE.match(bare) else "en"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _bare(text: str) -> str:
    return " ".join(_words(text.replace("’", "'"))).strip()


def read_message(history: Sequence[Turn], message: str) -> Reading:
    """Decide how to read `message` after the thread's earlier `history` (oldest first)."""
    turns = list(history)[-MAX_TURNS:]
    text = " ".join(message.split())
    bare = _bare(text)
    if ACKNOWLEDGEMENT.match(bare):
        return Reading(Kind.ACKNOWLEDGEMENT, text)
    if not turns:
        return Reading(Kind.NEW, text)
    answered = next((t for t in reversed(turns) if t.in_scope and t.sections), None)
    if answered is not None:
        if EXACT_TEXT.search(bare) and len(_words(bare)) <= 12:
            return Reading(Kind.EXACT_TEXT, answered.question, answered.sections)
        if _asks_why(bare):
            return Reading(Kind.EXPLAIN, answered.question, answered.sections)
    if not _leans_on_context(bare):
        return Reading(Kind.NEW, text)
    return _follow_up(turns, text, bare)


def reread_as_follow_up(history: Sequence[Turn], message: str) -> Reading | None:
    """A second reading for a message of a thread that was read as new and found outside the
    policy: when it points back at all ("how do I keep that from happening?", "what's the
    worst they can do"), it is read with the thread instead. None when it does not."""
    turns = list(history)[-MAX_TURNS:]
    text = " ".join(message.split())
    bare = _bare(text)
    if not turns or ACKNOWLEDGEMENT.match(bare) or len(_words(bare)) > REREAD_WORDS or not REFERS_BACK.search(bare):
        return None
    return _follow_up(turns, text, bare)


def _follow_up(turns: list[Turn], text: str, bare: str) -> Reading:
    base = _query_of(turns)
    return Reading(Kind.FOLLOW_UP, f"{_swap_media(base, bare)} {text}".strip(), turns[-1].sections, follows=base)


def _asks_why(bare: str) -> bool:
    """ "why?", "why tho", "¿por qué no se permite?": asks about the last answer, adds no topic."""
    words = [w.lower() for w in _words(bare)]
    while words and words[-1] in TRAILING_FILLERS:  # "what's the concern, exactly?"
        words.pop()
    if EXPLAIN.match(" ".join(words)):
        return True
    return bool(WHY_OPENING.match(bare)) and len(words) <= WHY_MAX_WORDS and all(w in WHY_FILLERS for w in words)


def _leans_on_context(bare: str) -> bool:
    words = _words(bare)
    if not words:
        return False
    if FOLLOW_UP_OPENINGS.match(bare):
        return True
    if len(words) <= SHORT_WORDS and (SHORT_FOLLOW_UP_OPENINGS.match(bare) or CONSEQUENCE.match(bare)):
        return True
    if len(words) <= FRAGMENT_WORDS and not QUESTION_OPENINGS.match(bare):
        return True  # "Instagram?", "managers too?", "off duty?"
    return len(words) <= SHORT_WORDS and bool(ANAPHORA.search(bare))


def _swap_media(base: str, bare: str) -> str:
    """ "what about Instagram?" after a Facebook question asks about Instagram instead: the
    earlier question's platform words give way when the new message names a platform."""
    if not MEDIA.search(bare):
        return base
    return " ".join(MEDIA.sub(" ", base).split())


def _query_of(turns: list[Turn]) -> str:
    """What the last turn was retrieved with: the question that opened the topic and its latest follow-ups."""
    follow_ups: list[str] = []
    for i in range(len(turns) - 1, -1, -1):
        reading = read_message(turns[:i], turns[i].question)  # a thank-you kept by an older thread is passed over
        if reading.kind is Kind.NEW:
            return " ".join([turns[i].question, *follow_ups[-MAX_CHAIN:]])
        if reading.kind is Kind.FOLLOW_UP:  # "why?" and "the exact text" carry no topic of their own
            follow_ups.insert(0, turns[i].question)
    return " ".join(follow_ups[-MAX_CHAIN:])
