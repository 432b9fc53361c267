"""From a question to an Answer: retrieve, choose citations, decide the caveat, render.

Pure: no I/O, no platform. Every adapter gets the same Answer and only picks the
template it is rendered with.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from bot.answer import Answer, PolicyRef, Quote
from bot.caveat import CaveatDecision, CaveatRules, decide_caveat
from bot.excerpts import excerpt, sentences
from bot.templates import Templates
from knowledge.classifier import LearnedModel
from knowledge.language import Language, detect
from knowledge.ranking import Ranker, Ranking
from knowledge.retriever import Retriever
from knowledge.sections import Policy, Section

# A further section is cited beside the best one when it scores at least this share of it.
RELATED_SHARE = 0.5
MAX_CITATIONS = 3
# When the best section is uncertain, the answer offers this many likeliest ones.
ALTERNATIVES = 2


def policy_ref(policy: Policy) -> PolicyRef:
    revised = policy.revision_date
    display = f"{revised:%B} {revised.day}, {revised.year}" if revised else "undated"
    return PolicyRef(policy.number, policy.title, policy.revision, display)


class Composer:
    def __init__(
        self,
        policy: Policy,
        *,
        model: LearnedModel | None = None,
        retriever: Retriever | None = None,
        rules: CaveatRules | None = None,
        templates: Templates | None = None,
        summaries: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.policy = policy
        self.model = model or LearnedModel.load(policy.number)
        self.ranker = Ranker(policy, self.model, retriever)
        self.retriever = self.ranker.retriever
        self.rules = rules or CaveatRules.load()
        self.templates = templates or Templates()
        self.summaries = summaries or {}  # language -> section id -> HR's one-liner
        self.ref = policy_ref(policy)
        self._caveat_quotes = tuple(self._nlra_quotes())

    def _quote(self, section: Section, text: str, language: str = "en") -> Quote:
        summaries = self.summaries.get(language) or self.summaries.get("en", {})
        return Quote(
            section_id=section.id,
            label=section.label,
            anchor=section.anchor,
            excerpt=text,
            text=section.text,
            summary=summaries.get(section.id),
        )

    def _nlra_quotes(self):
        for section_id in self.rules.quote_sections:
            section = self.policy.get(section_id)
            if section is None:
                continue
            hits = [s for s in sentences(section.text) if self._speaks_of_protected_activity(s)]
            if hits:
                yield self._quote(section, " ".join(hits))

    def _speaks_of_protected_activity(self, text: str) -> bool:
        return any(p.lower() in text.lower() for p in self.rules.quote_phrases)

    def _term_weights(self, ranking: Ranking) -> dict[str, float]:
        idf = self.retriever.bm25.idf
        query = ranking.retrieval.query
        weights = {t: idf.get(t, 0.0) for t in query.terms}
        for t, w in query.alias_terms:
            weights[t] = max(weights.get(t, 0.0), w * idf.get(t, 0.0))
        return weights

    def _summary_weights(self, section: Section) -> dict[str, float]:
        """For a question BM25 cannot read (Spanish): quote the sentence HR's English one-liner is about."""
        idf = self.retriever.bm25.idf
        return {t: idf.get(t, 0.0) for t in self.retriever.tokenizer(self.summaries.get("en", {}).get(section.id, ""))}

    def rank(
        self, question: str, language: Language | None = None, context: str = "", rewritten: str = ""
    ) -> tuple[Language, Ranking | None]:
        """The question's language and, when it is one the assistant answers in, its ranking.

        `context` is the thread's earlier questions when the question follows up on them; the
        language is then the conversation's ("y wiki?" is too short to tell on its own).
        """
        language = language or detect(f"{context} {question}".strip())
        if not language.answered:
            return language, None
        return language, self.ranker.rank(question, english=language.code == "en", context=context, rewritten=rewritten)

    def answer(
        self,
        question: str,
        *,
        truncated: bool = False,
        language: Language | None = None,
        context: str = "",
        follow_up: bool = True,
        rewritten: str = "",
    ) -> Answer:
        """`context`: the thread's earlier questions. The caveat reads them too when the message
        follows up on them ("can they fire me for that?"), not when it starts a new topic."""
        language, ranking = self.rank(question, language, context, rewritten)
        if ranking is None:
            return self._unanswered_language(question, language, truncated)
        cited: list[Section] = []
        caveat_text = f"{context} {question}".strip() if follow_up else question
        # A question about pay, hours or complaints can read like a payroll one: a sure caveat
        # reading keeps it in scope (Fusion.covers; cross-validated caveat recall 0.980 -> 0.984,
        # false "not covered" 0.009 -> 0.007, 0.002 fewer out-of-scope questions declined).
        words = partial(self.model.caveat_probability, caveat_text, ())
        if ranking.ranked and self.model.fusion.covers(ranking.p_not_covered, words):
            top = ranking.ranked[0].score
            cited = [r.section for r in ranking.ranked if r.score >= RELATED_SHARE * top][:MAX_CITATIONS]
        tokenize = self.retriever.tokenizer
        weights = self._term_weights(ranking)
        quotes = tuple(
            self._quote(s, excerpt(s.text, weights if language.code == "en" else self._summary_weights(s), tokenize), language.code)
            for s in cited
        )
        caveat = decide_caveat(self.model, self.rules, caveat_text, tuple(s.id for s in cited), ranking.probabilities)
        unsure = bool(cited) and ranking.low_confidence
        alternatives = tuple(r.section.id for r in ranking.ranked[:ALTERNATIVES]) if unsure else ()
        answer = self._answer(
            question,
            quotes,
            caveat,
            truncated=truncated,
            language=language.code,
            confidence=round(ranking.confidence, 3) if cited else None,
            alternatives=alternatives,
        )
        return replace(answer, text=self.render(answer, "text"))

    def _answer(self, question: str, quotes: tuple[Quote, ...], caveat: CaveatDecision, **fields) -> Answer:
        return Answer(
            question=question,
            in_scope=bool(quotes),
            citations=tuple(q.section_id for q in quotes),
            quotes=quotes,
            nlra_caveat=caveat.applies,
            nlra_reason=caveat.reason,
            caveat_quotes=self._caveat_quotes if caveat.applies else (),
            policy=self.ref,
            **fields,
        )

    def _unanswered_language(self, question: str, language: Language, truncated: bool) -> Answer:
        """English and Spanish only: other languages are told so, in both, with no citation."""
        answer = self._answer(question, (), CaveatDecision(False, None), truncated=truncated, language=language.code)
        return replace(answer, text=self.render(answer, "text"))

    def section_answer(self, section: Section, *, question: str | None = None, language: str = "en") -> Answer:
        """An Answer that is one section, whole: what HR announces when it names a section.

        It carries the caveat when the section's own words speak of protected activity (§3.1,
        §3.3.3, §3.8), or when it is one of the policy's hooks.
        """
        applies = section.id in self.rules.always_sections or self._speaks_of_protected_activity(section.text)
        caveat = CaveatDecision(applies, f"§{section.id} speaks of protected concerted activity" if applies else None)
        quote = self._quote(section, section.text, language)
        answer = self._answer(question or f"What does {section.label} say?", (quote,), caveat, language=language)
        return replace(answer, text=self.render(answer, "text"))

    def render(self, answer: Answer, fmt: str, **context: object) -> str:
        """The answer in a platform's format: templates/answer.<fmt>.j2."""
        return self.templates.render(f"answer.{fmt}.j2", answer=answer, **context)
