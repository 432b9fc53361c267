"""The assistant: one pipeline, built once per process, that every channel calls.

The terminal, the local web page, Slack and Teams all come through here, so an answer
reads the same wherever it is asked; they differ only in the template it is rendered with.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Protocol

from bot.answer import Answer
from bot.composer import Composer
from bot.conversation import Kind, Reading, Turn, acknowledgement_language, read_message, reread_as_follow_up
from bot.disclaimer import Disclaimer, build_disclaimer
from bot.feedback import clean_reason
from bot.questions import clean_question
from bot.templates import Templates, shared
from bot.threads import MemoryThreads, Threads, turn_of
from knowledge.classifier import LearnedModel
from knowledge.features import thread_context
from knowledge.language import ANSWERED, detect
from knowledge.library import Library

log = logging.getLogger(__name__)

SECTION_REFERENCE = re.compile(r"^(?:§|sec(?:tion)?\.?)?\s*(\d+(?:\.\d+)*)\.?$", re.IGNORECASE)

def section_reference(text: str) -> str | None:
    """"§3.3.4", "section 3.4", "3.1" -> the section id; None for anything else (a question)."""
    found = SECTION_REFERENCE.match(text.strip())
    return found.group(1) if found else None


class Recorder(Protocol):
    """Keeps what was answered (the answer store); returns the answer with its id and link."""

    def record(self, answer: Answer, *, channel: str, user_id: str | None) -> Answer: ...

    def feedback(self, answer_id: str, value: int, *, channel: str, user_id: str | None) -> None: ...


class LogRecorder:
    """Records to the log only: for runs without an answer store."""

    def record(self, answer: Answer, *, channel: str, user_id: str | None) -> Answer:
        log.info("answered on %s: citations=%s caveat=%s", channel, ",".join(answer.citations) or "-", answer.nlra_caveat)
        return answer

    def feedback(self, answer_id: str, value: int, *, channel: str, user_id: str | None) -> None:
        log.info("feedback on %s for answer %s: %+d", channel, answer_id, value)

    def feedback_reason(self, answer_id: str, reason: str, detail: str | None, *, channel: str, user_id: str | None) -> None:
        log.info("feedback reason on %s for answer %s: %s", channel, answer_id, reason)


class Assistant:
    def __init__(
        self,
        library: Library | None = None,
        templates: Templates | None = None,
        recorder: Recorder | None = None,
        model: LearnedModel | None = None,
    ) -> None:
        self.library = library or Library.load()
        self.policy = self.library.current()
        self.templates = templates or shared()  # the same words as the errors raised without an Assistant
        summaries = {lang: self.library.summaries(self.policy, lang) for lang in ANSWERED}
        self.composer = Composer(self.policy, model=model, templates=self.templates, summaries=summaries)
        self.recorder: Recorder = recorder or LogRecorder()
        # Where threads' earlier turns are kept: the answer store in the service (set beside the recorder).
        self.threads: Threads = MemoryThreads()

    def ask(
        self, text: str | None, *, channel: str = "cli", user_id: str | None = None, history: Sequence[Turn] = ()
    ) -> Answer:
        """Answer a question as typed, read with the thread's earlier turns; QuestionError when there is nothing to ask.

        A thank-you or an "ok" gets a short reply (Answer.is_acknowledgement) that cites nothing
        and is not kept: every channel comes through here, so none answers "ok" from the policy.
        """
        question, truncated = clean_question(text)
        reading = read_message(history, question)
        if reading.kind is Kind.ACKNOWLEDGEMENT:
            return self._acknowledge(question, history, channel)
        return self._record(self._compose(question, truncated, history, reading), channel, user_id)

    def _acknowledge(self, question: str, history: Sequence[Turn], channel: str) -> Answer:
        """"thanks" -> "Glad to help!" (phrases.j2's "acknowledged"), in the thank-you's language or the thread's."""
        language = acknowledgement_language(question)
        if language is None:
            found = detect(thread_context([t.question for t in history])) if history else None
            language = found.code if found is not None and found.answered else "en"
        answer = Answer(
            question=question,
            in_scope=False,
            citations=(),
            quotes=(),
            nlra_caveat=False,
            nlra_reason=None,
            caveat_quotes=(),
            policy=self.composer.ref,
            language=language,
            extras={"reading": Kind.ACKNOWLEDGEMENT.value, "channel": channel},
        )
        return replace(answer, text=self.composer.render(answer, "text"))

    def _compose(self, question: str, truncated: bool, history: Sequence[Turn], reading: Reading) -> Answer:
        """The answer, with how the message was read (extras["reading"]): the store keeps it, so HR's
        report counts new questions only, not "why?" or "what about Instagram?"."""
        section = self.policy.get(reading.sections[0]) if reading.sections else None
        context = thread_context([t.question for t in history])
        if reading.kind in (Kind.EXPLAIN, Kind.EXACT_TEXT) and section is not None:
            # "why?" / "¿por qué?" is answered in the conversation's language.
            language = detect(f"{context} {question}")
            answer = self.composer.section_answer(section, question=question, language=language.code if language.answered else "en")
        elif history:
            # The learned model reads every message of a thread with its earlier questions as context,
            # even one that reads as a new question: trained on the bank's written conversations, it
            # weighs the context against the message's own words.
            follow_up = reading.kind is Kind.FOLLOW_UP
            rewritten = reading.query if follow_up else ""
            answer = self.composer.answer(question, truncated=truncated, context=context, follow_up=follow_up, rewritten=rewritten)
            if not follow_up and not answer.in_scope and (again := reread_as_follow_up(history, question)):
                reading = again
                answer = self.composer.answer(question, truncated=truncated, context=context, follow_up=True, rewritten=again.query)
            elif not follow_up:
                return replace(answer, extras={**answer.extras, "reading": Kind.NEW.value})
        else:
            answer = self.composer.answer(question, truncated=truncated)
            return replace(answer, extras={**answer.extras, "reading": Kind.NEW.value})
        # What the message was read with, so the answer can say so ("Following up on: ...").
        extras = {"reading": reading.kind.value, "read_with": reading.query, "follows": reading.follows}
        answer = replace(answer, extras={**answer.extras, **extras})
        return replace(answer, text=self.composer.render(answer, "text"))

    def converse(
        self, text: str | None, *, thread: str, channel: str, user_id: str | None = None, within: timedelta | None = None
    ) -> Answer:
        """Answer a message of a conversation: read with its thread's recent turns, then remembered in it.

        `thread` is the platform's key for the conversation ("slack:C1:1700000000.1"); `within`
        limits how far back turns count (a flat DM forgets after a while, a thread does not).
        """
        history = self.threads.history(thread, within=within)
        answer = self.ask(text, channel=channel, user_id=user_id, history=history)
        if not answer.is_acknowledgement:  # a thank-you is no turn: a follow-up after it reads the question before
            self.threads.remember(thread, turn_of(answer), answer_id=answer.extras.get("id"))
        return replace(answer, extras={**answer.extras, "thread": thread})

    def announce(self, text: str | None, *, channel: str, user_id: str | None = None) -> Answer:
        """For HR: the answer to a question, or a named section ("3.3.4", "§3.4"), recorded so it has a link.

        Who may announce is the adapter's business (each platform knows its own HR people);
        render the result with the announce.<fmt>.j2 template.
        """
        question, truncated = clean_question(text)
        section = self.policy.get(section_reference(question) or "")
        answer = self.composer.section_answer(section) if section else self.composer.answer(question, truncated=truncated)
        # Marked, so its page says HR announced it (the page of a plain question does not).
        return self._record(replace(answer, extras={**answer.extras, "announced": True}), channel, user_id)

    def _record(self, answer: Answer, channel: str, user_id: str | None) -> Answer:
        return self.recorder.record(replace(answer, extras={**answer.extras, "channel": channel}), channel=channel, user_id=user_id)

    def feedback(self, answer_id: str, value: int, *, channel: str, user_id: str | None = None) -> None:
        self.recorder.feedback(answer_id, 1 if value > 0 else -1, channel=channel, user_id=user_id)

    def feedback_reason(self, answer_id: str, reason: object, detail: object = None, *, channel: str, user_id: str | None = None) -> str:
        """What was wrong with an answer after a 👎; FeedbackError for an unknown reason. Returns the reason kept."""
        reason, detail = clean_reason(reason, detail)
        keep = getattr(self.recorder, "feedback_reason", None)
        if keep is not None:
            keep(answer_id, reason, detail, channel=channel, user_id=user_id)
        return reason

    def disclaimer(self, *, kind: str = "post", role: str | None = None, department: str | None = None) -> Disclaimer:
        return build_disclaimer(self.policy, kind=kind, role=role, department=department, templates=self.templates)

    def render(self, answer: Answer, fmt: str, **context: object) -> str:
        return self.composer.render(answer, fmt, **context)

    def render_announcement(self, answer: Answer, fmt: str) -> str:
        """HR's draft in a platform's format: templates/announce.<fmt>.j2."""
        return self.templates.render(f"announce.{fmt}.j2", answer=answer, permalink=answer.extras.get("permalink"))

    def reply(self, name: str, *args: object) -> str:
        """One of the chat apps' short replies: a macro of templates/replies.text.j2."""
        return self.templates.macro("replies.text.j2", name, *args)

    @property
    def examples(self) -> tuple[str, ...]:
        """The example questions every surface offers (phrases.j2, so HR can change them)."""
        return self.examples_in("en")

    def examples_in(self, language: str) -> tuple[str, ...]:
        """The example questions in a language (the help after "hola" offers Spanish ones)."""
        return tuple(self.templates.phrases(language)["examples"])

    @property
    def disclaimer_kinds(self) -> list[tuple[str, str]]:
        """(kind, label) for the disclaimer forms: ("profile", "profile or bio")."""
        return list(self.templates.phrases()["disclaimer_kinds"].items())

    def help_text(self, *, command: str = "", disclaimer_command: str = "disclaimer", language: str = "en", fmt: str = "text") -> str:
        """What the assistant does and how to ask, in `language` (bot.help.help_language of the greeting)."""
        return self.templates.render(f"help.{fmt}.j2", language=language, command=command, disclaimer_command=disclaimer_command)
