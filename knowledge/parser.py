"""Turn a policy as exported from the City's document system into a Policy.

The exports are PDF text: the running page header lands mid-paragraph, page numbers
stand on lines of their own and sentences are wrapped at the page width. The parser
removes those artefacts and recognises numbered sections ("3.3.4 ...") by requiring
each number to follow the one before it (a first child, or the next sibling of the
section or of one of its ancestors), so a stray number at the start of a line of body
text is never mistaken for a section.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from knowledge.sections import HistoryEntry, Policy, Section

_SECTION_LINE = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_HEADER_START = re.compile(r"^\s*Section Name:", re.IGNORECASE)
_HEADER_END = re.compile(r"Policy Number:\s*\S+", re.IGNORECASE)
_DATE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4}"
)
_DEFINITION = re.compile(r"^(.{1,60}?)\s+(?:is|are)\s+defined\s+as\b")
_HEADING = re.compile(r"^([^.:,;]{1,80}?)([:.])(?:\s+|$)")
_MINOR_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "this",
    "to", "upon", "with",
}
# A line-end hyphen is a real hyphen (kept) before a capital, after these prefixes, or
# after a word the document uses on its own ("City-" + "issued"); otherwise it is a soft
# hyphen from justification ("commu-" + "nication") and the word is rejoined.
_HYPHEN_PREFIXES = {"non", "self", "co", "ex", "anti", "pre", "post", "multi", "well", "e", "re", "part", "full"}


class PolicyParseError(ValueError):
    """The text is not a numbered policy this parser can read."""


def parse_date(text: str) -> date:
    return datetime.strptime(" ".join(text.split()), "%B %d, %Y").date()


def parse_policy(text: str, *, source_name: str = "") -> Policy:
    lines = [unicodedata.normalize("NFC", ln).rstrip() for ln in text.splitlines()]
    lines, header = _strip_running_headers(lines)
    lines = [ln for ln in lines if ln.strip() and not _PAGE_NUMBER.match(ln)]

    preamble, raw_sections = _split_sections(lines)
    if not raw_sections:
        raise PolicyParseError(f"no numbered sections found in {source_name or 'policy text'}")

    known_words = frozenset(w.lower() for ln in lines for w in re.findall(r"(?<![\w-])\w+(?![\w-])", ln))
    sections = tuple(_build_section(num, body, known_words) for num, body in raw_sections)
    title = _title(preamble)
    number = header.get("policy_number") or _number_from_preamble(preamble)
    if not number:
        raise PolicyParseError(f"no policy number found in {source_name or 'policy text'}")
    history = _history(sections)
    effective = header.get("effective_date")
    return Policy(
        number=number,
        title=title,
        effective_date=effective,
        sections=sections,
        history=history,
        series=header.get("series"),
        source_name=source_name,
    )


def _strip_running_headers(lines: list[str]) -> tuple[list[str], dict]:
    """Drop every "Section Name: ... Policy Number: NNN" block, keeping what it says."""
    out: list[str] = []
    meta: dict = {}
    i = 0
    while i < len(lines):
        if _HEADER_START.match(lines[i]):
            end = next((j for j in range(i, min(i + 8, len(lines))) if _HEADER_END.search(lines[j])), None)
            if end is not None:
                block = " ".join(ln.strip() for ln in lines[i : end + 1])
                meta = meta or _header_fields(block)
                i = end + 1
                continue
        out.append(lines[i])
        i += 1
    return out, meta


def _header_fields(block: str) -> dict:
    fields: dict = {}
    if m := re.search(r"Section Name:\s*(.+?)\s+Effective\b", block, re.IGNORECASE):
        fields["series"] = m.group(1).strip()
    if m := re.search(r"Policy Number:\s*(\S+)", block, re.IGNORECASE):
        fields["policy_number"] = m.group(1).strip()
    if m := _DATE.search(block):
        fields["effective_date"] = parse_date(m.group(0))
    return fields


def _split_sections(lines: list[str]) -> tuple[list[str], list[tuple[tuple[int, ...], list[str]]]]:
    preamble: list[str] = []
    sections: list[tuple[tuple[int, ...], list[str]]] = []
    current: tuple[int, ...] | None = None
    for line in lines:
        m = _SECTION_LINE.match(line.strip())
        if m:
            number = tuple(int(p) for p in m.group(1).split("."))
            if _follows(current, number):
                current = number
                sections.append((number, [m.group(2)]))
                continue
        if sections:
            sections[-1][1].append(line.strip())
        else:
            preamble.append(line.strip())
    return preamble, sections


def _follows(previous: tuple[int, ...] | None, number: tuple[int, ...]) -> bool:
    if previous is None:
        return number == (1,)
    if number == previous + (1,):
        return True
    return any(number == previous[: k - 1] + (previous[k - 1] + 1,) for k in range(1, len(previous) + 1))


def join_lines(lines: list[str], known_words: frozenset[str] = frozenset()) -> str:
    """Join wrapped lines into running text, mending words broken at a line end."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and not text.endswith(" -"):
            stem = re.search(r"(\w+)-$", text)
            left = stem.group(1).lower() if stem else ""
            keep = line[:1].isupper() or left in _HYPHEN_PREFIXES or left in known_words
            text = text + line if keep else text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return re.sub(r"\s{2,}", " ", text)


def _build_section(number: tuple[int, ...], body_lines: list[str], known_words: frozenset[str]) -> Section:
    section_id = ".".join(str(n) for n in number)
    parent = ".".join(str(n) for n in number[:-1]) or None
    text = join_lines(body_lines, known_words)
    heading, text = _split_heading(text, whole_first_line=body_lines[0].strip())
    return Section(id=section_id, heading=heading, text=text, parent=parent)


def _is_title(phrase: str) -> bool:
    words = [w.strip("()“”\"'‘’") for w in phrase.split()]
    if not words or len(words) > 10 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in _MINOR_WORDS for w in words if w)


def _split_heading(text: str, *, whole_first_line: str) -> tuple[str | None, str]:
    if m := _DEFINITION.match(text):
        if _is_title(m.group(1)):
            return m.group(1), text
    if m := _HEADING.match(text):
        if _is_title(m.group(1)):
            return m.group(1).strip(), text[m.end() :].strip()
    # A heading that is the whole first line, its body starting on the next line.
    if text == whole_first_line and _is_title(text):
        return text, ""
    if text.startswith(whole_first_line + " ") and _is_title(whole_first_line):
        return whole_first_line, text[len(whole_first_line) :].strip()
    return None, text


def _title(preamble: list[str]) -> str:
    # Document-system stamps ("HomeMy WebLinkAbout...") carry no spaces between words
    # and end in a file name; the title is the last ordinary line before section 1.
    candidates = [ln for ln in preamble if not re.search(r"WebLink|\.\d{2}\.\d{2}\.\d{2}$", ln)]
    return candidates[-1] if candidates else (preamble[-1] if preamble else "Untitled policy")


def _number_from_preamble(preamble: list[str]) -> str | None:
    for line in preamble:
        if m := re.search(r"(?:Policy\s+(?:No\.|Number:?)\s*|About)(\d{2,4})\b", line, re.IGNORECASE):
            return m.group(1)
    return None


def _history(sections: tuple[Section, ...]) -> tuple[HistoryEntry, ...]:
    entries: list[HistoryEntry] = []
    for section in sections:
        if not section.heading or "history" not in section.heading.lower():
            continue
        for sentence in re.split(r"(?<=\.)\s+", section.text):
            if m := _DATE.search(sentence):
                action = "Revised" if re.search(r"revis|amend", sentence, re.IGNORECASE) else "Adopted"
                entries.append(HistoryEntry(action=action, date=parse_date(m.group(0)), text=sentence.strip()))
    return tuple(entries)
