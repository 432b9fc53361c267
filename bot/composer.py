"""From a question to an Answer: retrieve, choose citations, decide the caveat, render.

Pure: no I/O, no platform. Every adapter gets the same Answer and only picks the
template it is rendered with.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answer import Answer, PolicyRef, Quote
from bot.excerpts import excerpt, sentences
from bot.nlra import NlraRules
from bot.templates import Templates
from knowledge.retriever import STRONG_SCORE, Retrieval, Retriever
from knowledge.sections import Policy, Section

# A further section is cited beside the best one when it scores at least this share of it.
RELATED_SHARE = 0.5
MAX_CITATIONS = 3
# A protected topic's own section leads when it scores at least this share of the best match.
TOPIC_CLOSE_SHARE = 0.8


def policy_ref(policy: Policy) -> PolicyRef:
    revised = policy.revision_date
    display = f"{revised:%B} {revised.day}, {revised.year}" if revised else "undated"
    return PolicyRef(policy.number, policy.title, policy.revision, display)


class Composer:
    def __init__(
        self,
        policy: Policy,
        *,
        retriever: Retriever | None = None,
        rules: NlraRules | None = None,
        templates: Templates | None = None,
        summaries: dict[str, str] | None = None,
    ) -> None:
        self.policy = policy
        self.retriever = retriever or Retriever(policy)
        self.rules = rules or NlraRules.load()
        self.templates = templates or Templates()
        self.summaries = summaries or {}
        self.ref = policy_ref(policy)
        self._caveat_quotes = tuple(self._nlra_quotes())

    def _quote(self, section: Section, text: str) -> Quote:
        return Quote(
            section_id=section.id,
            label=section.label,
            anchor=section.anchor,
            excerpt=text,
            text=section.text,
            summary=self.summaries.get(section.id),
        )

    def _nlra_quotes(self):
        for section_id in self.rules.quote_sections:
            section = self.policy.get(section_id)
            if section is None:
                continue
            hits = [s for s in sentences(section.text) if any(p.lower() in s.lower() for p in self.rules.quote_phrases)]
            if hits:
                yield self._quote(section, " ".join(hits))

    def _term_weights(self, retrieval: Retrieval) -> dict[str, float]:
        idf = self.retriever.bm25.idf
        weights = {t: idf.get(t, 0.0) for t in retrieval.query.terms}
        for t, w in retrieval.query.alias_terms:
            weights[t] = max(weights.get(t, 0.0), w * idf.get(t, 0.0))
        return weights

    def answer(self, question: str, *, truncated: bool = False) -> Answer:
        retrieval = self.retriever.search(question)
        quotes: tuple[Quote, ...] = ()
        caveat = None
        weights = self._term_weights(retrieval)
        tokenize = self.retriever.tokenizer
        cited: list[Section] = []
        if retrieval.in_scope:
            top = retrieval.hits[0].score
            cited = [h.section for h in retrieval.hits if h.score >= RELATED_SHARE * top][:MAX_CITATIONS]
        if topical := self._protected_topic_section(retrieval):
            # The policy's own words on the topic come first unless another section clearly beats
            # them (a strong match scoring well above the topic's section); then they come last.
            others = [s for s in cited if s != topical]
            topical_score = next((h.score for h in retrieval.hits if h.section == topical), 0.0)
            top = retrieval.hits[0].score if retrieval.hits else 0.0
            if retrieval.in_scope and top >= STRONG_SCORE and topical_score < TOPIC_CLOSE_SHARE * top:
                cited = cited if topical in cited else [*others[: MAX_CITATIONS - 1], topical]
            else:
                cited = [topical, *others][:MAX_CITATIONS]
        if cited:
            quotes = tuple(self._quote(s, excerpt(s.text, weights, tokenize)) for s in cited)
            caveat = self.rules.decide(retrieval.query.text, quotes[0].section_id)
        answer = Answer(
            question=question,
            in_scope=bool(quotes),
            citations=tuple(q.section_id for q in quotes),
            quotes=quotes,
            nlra_caveat=bool(caveat and caveat.applies),
            nlra_reason=caveat.reason if caveat else None,
            caveat_quotes=self._caveat_quotes if caveat and caveat.applies else (),
            policy=self.ref,
            truncated=truncated,
        )
        return replace(answer, text=self.render(answer, "text"))

    def _protected_topic_section(self, retrieval: Retrieval) -> Section | None:
        """Posting about pay, safety, a union...: the section with the policy's own words on it.

        §3.1 is long, so one matching word scores low against short sections; but a question about
        posting that names a protected topic is squarely what §3.1 (or §3.8 for discipline) answers,
        so it is always cited, even when BM25 alone finds nothing.
        """
        if not retrieval.query.about_posting:
            return None
        return self.policy.get(self.rules.topic_section(retrieval.query.text) or "")

    def section_answer(self, section: Section, *, question: str | None = None) -> Answer:
        """An Answer that is one section, whole: what HR announces when it names a section."""
        caveat = self.rules.decide("", section.id)
        answer = Answer(
            question=question or f"What does {section.label} say?",
            in_scope=True,
            citations=(section.id,),
            quotes=(self._quote(section, section.text),),
            nlra_caveat=caveat.applies,
            nlra_reason=caveat.reason,
            caveat_quotes=self._caveat_quotes if caveat.applies else (),
            policy=self.ref,
        )
        return replace(answer, text=self.render(answer, "text"))

    def render(self, answer: Answer, fmt: str, **context: object) -> str:
        """The answer in a platform's format: templates/answer.<fmt>.j2."""
        return self.templates.render(f"answer.{fmt}.j2", answer=answer, **context)
