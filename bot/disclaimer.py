"""Draft the personal-views disclaimer that §3.2 requires, in the policy's exact words."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources

from bot.excerpts import sentences
from bot.questions import QuestionError
from bot.templates import Templates, shared
from knowledge.sections import Policy

KINDS = {"post": "post", "profile": "profile", "blog": "blog"}
MAX_FIELD_CHARS = 100
# Words that make "Parks Department" a department rather than a job title.
DEPARTMENT_WORDS = re.compile(r"\b(department|dept|division|office|bureau|services|utilities|works)\b", re.IGNORECASE)
KIND_WORDS = {"post": "post", "posts": "post", "profile": "profile", "bio": "profile", "blog": "blog", "blogs": "blog"}


@dataclass(frozen=True)
class DisclaimerRequest:
    kind: str
    role: str | None
    department: str | None


def parse_request(text: str | None) -> DisclaimerRequest:
    """Chat arguments -> what to draft: `blog Parks Department`, `profile Police Officer`, `Recreation Coordinator`.

    The first word picks the kind when it names one (post, profile/bio, blog); the rest is a
    department when it reads like one, otherwise a job title. Slack's /disclaimer and Teams'
    `disclaimer` both come through here so they read their arguments the same way.
    """
    words = " ".join("".join(ch for ch in (text or "") if ch.isprintable()).split()).split(" ")
    words = [w for w in words if w]
    kind = "post"
    if words and words[0].lower().strip(":,") in KIND_WORDS:
        kind = KIND_WORDS[words.pop(0).lower().strip(":,")]
    rest = " ".join(words).strip(" ,;:-") or None
    if rest and DEPARTMENT_WORDS.search(rest):
        return DisclaimerRequest(kind, None, rest)
    return DisclaimerRequest(kind, rest, None)


@dataclass(frozen=True)
class Disclaimer:
    kind: str
    kind_label: str
    sentence: str  # exactly as the policy words it
    sentence_section: str
    affiliation: str | None
    affiliation_section: str
    affiliation_rule: str
    blog_guidance: tuple[str, ...]
    blog_section: str
    citations: tuple[str, ...]
    text: str = ""


def _config() -> dict:
    return tomllib.loads(resources.files("bot").joinpath("disclaimer.toml").read_text(encoding="utf-8"))


def quoted_disclaimer(policy: Policy, section_id: str) -> str:
    """The sentence in quotation marks that follows the word "disclaimer" in the section."""
    text = policy.section(section_id).text
    at = text.lower().find("disclaimer")
    match = re.search(r"[“\"]([^”\"]+)[”\"]", text[at:] if at >= 0 else text)
    if not match:
        raise ValueError(f"§{section_id} quotes no disclaimer sentence")
    return match.group(1).strip()


def _field(value: str | None, too_long: str) -> str | None:
    """The field as printable text on one line; QuestionError(too_long) past MAX_FIELD_CHARS."""
    if value is None:
        return None
    value = " ".join("".join(ch for ch in value if ch.isprintable()).split())
    if len(value) > MAX_FIELD_CHARS:
        raise QuestionError(too_long, most=MAX_FIELD_CHARS)
    return value or None


def build_disclaimer(
    policy: Policy,
    *,
    kind: str = "post",
    role: str | None = None,
    department: str | None = None,
    templates: Templates | None = None,
) -> Disclaimer:
    kind = (kind or "post").strip().lower()
    if kind not in KINDS:
        raise QuestionError("err_disclaimer_kind", kind=kind)
    role, department = _field(role, "err_role_too_long"), _field(department, "err_department_too_long")
    templates = templates or shared()
    cfg = _config()
    affiliation = None
    if role or department:
        affiliation = ", ".join(p for p in (role, department, cfg["organization"]) if p)
    blog = tuple(sentences(policy.section(cfg["blog_section"]).text)) if kind == "blog" else ()
    citations = [cfg["sentence_section"]]
    if affiliation:
        citations.append(cfg["affiliation_section"])
    if blog:
        citations.append(cfg["blog_section"])
    draft = Disclaimer(
        kind=kind,
        kind_label=templates.phrases()["disclaimer_kinds"][kind],
        sentence=quoted_disclaimer(policy, cfg["sentence_section"]),
        sentence_section=cfg["sentence_section"],
        affiliation=affiliation,
        affiliation_section=cfg["affiliation_section"],
        affiliation_rule=policy.section(cfg["affiliation_section"]).text,
        blog_guidance=blog,
        blog_section=cfg["blog_section"],
        citations=tuple(citations),
    )
    return replace(draft, text=templates.render("disclaimer.text.j2", d=draft))
