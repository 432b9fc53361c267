"""AnswerStore: the Assistant's recorder. Keeps every answer and its feedback; finds it by id.

What is kept: the question, the rendered answer, citations, caveat flag, policy number and
revision, channel, time, 👍/👎 counts, and the whole Answer as JSON, so an answer's page
shows exactly what was said even after the policy is revised. The asker is kept only as
the platform's opaque user id.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from bot.answer import Answer, PolicyRef, Quote
from bot.store import links
from bot.store.engine import explain, make_engine, writer
from bot.store.errors import StoreError, StoreUnavailable
from bot.store.schema import answers, deliveries, migrate, votes
from bot.store.urls import DatabaseLocation, resolve
from bot.store.writer import WriteQueue

log = logging.getLogger(__name__)

ID_BYTES = 8  # 64 random bits -> 11 URL-safe characters
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{6,32}$")
PAYLOAD_FORMAT = 1
DELIVERY_MEMORY = timedelta(days=1)


def new_id() -> str:
    return secrets.token_urlsafe(ID_BYTES)


def question_key(question: str) -> str:
    """The question normalised for counting repeats: case, spacing and end punctuation ignored."""
    text = " ".join(unicodedata.normalize("NFKC", question).casefold().split())
    return text.strip(" ?!.,;:\"'“”‘’")[:500]


def answer_payload(answer: Answer) -> dict[str, Any]:
    """The Answer as plain JSON data (what dataclasses.asdict gives, without its deep copies:
    this runs for every answer on the request path)."""
    data = {f.name: getattr(answer, f.name) for f in fields(Answer) if f.name != "extras"}
    data["quotes"] = [dict(vars(q)) for q in answer.quotes]
    data["caveat_quotes"] = [dict(vars(q)) for q in answer.caveat_quotes]
    data["citations"] = list(answer.citations)
    data["policy"] = dict(vars(answer.policy))
    data["format"] = PAYLOAD_FORMAT
    return data


def _kept_extras(answer: Answer) -> dict[str, Any]:
    """What the store keeps of an answer's extras: HR announced it; how the message was read
    ("new", "follow_up", "explain", "exact_text": the report counts new questions only)."""
    kept: dict[str, Any] = {"announced": True} if answer.extras.get("announced") else {}
    if isinstance(answer.extras.get("reading"), str):
        kept["reading"] = answer.extras["reading"]
    return kept


def _known(cls, data: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def answer_from_payload(data: dict[str, Any]) -> Answer:
    """Rebuild the Answer exactly as it was given (unknown keys ignored, new fields defaulted)."""
    values = _known(Answer, data)
    values["quotes"] = tuple(Quote(**_known(Quote, q)) for q in data.get("quotes", ()))
    values["caveat_quotes"] = tuple(Quote(**_known(Quote, q)) for q in data.get("caveat_quotes", ()))
    values["citations"] = tuple(data.get("citations", ()))
    values["alternatives"] = tuple(data.get("alternatives", ()))
    values["policy"] = PolicyRef(**_known(PolicyRef, data["policy"]))
    values.pop("extras", None)
    return Answer(**values)


def _migrate_when_free(engine: Engine, *, attempts: int = 12) -> None:
    """Create or migrate the schema; wait out another process doing the same.

    Two workers opening a brand-new SQLite file together can meet SQLite's deadlock guard
    ("database is locked" at once, without the busy timeout) while the first one switches the
    file to WAL: the second simply tries again a moment later.
    """
    import time

    for attempt in range(attempts):
        try:
            with writer(engine).begin() as conn:
                migrate(conn)
            return
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            engine.dispose()  # fresh connections: the next try sets WAL and the busy timeout again
            time.sleep(min(0.05 * 2**attempt, 1.0))


@dataclass(frozen=True)
class StoredAnswer:
    id: str
    answer: Answer  # with extras id, permalink and channel
    channel: str
    created_at: datetime
    thumbs_up: int
    thumbs_down: int
    announced: bool = False  # HR made it with announce (/policy-announce, "announce")

    @property
    def permalink(self) -> str:
        return self.answer.extras["permalink"]


class AnswerStore:
    """The Recorder for production: SQLite or PostgreSQL through SQLAlchemy Core.

    With `background=True` (the service) answers are written by a WriteQueue, off the request
    path; otherwise (the CLI, tests) each answer is committed before record() returns.
    """

    def __init__(self, engine: Engine, location: DatabaseLocation, base_url: str, *, background: bool = False) -> None:
        self.engine = engine
        self.location = location
        self.base_url = base_url.rstrip("/")
        self._writer = writer(engine)
        self.queue = WriteQueue(engine, lambda exc: explain(exc, location)) if background else None

    @classmethod
    def open(
        cls,
        url: str | None,
        *,
        data_dir: str = "data",
        base_url: str = "http://127.0.0.1:8000",
        background: bool = False,
        timeout_s: float = 5.0,
    ) -> AnswerStore:
        """Open the store, creating or migrating it; raises StoreError now rather than mid-conversation."""
        location = resolve(url, data_dir)
        engine = make_engine(location, timeout_s=timeout_s)
        try:
            _migrate_when_free(engine)
        except StoreError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise StoreError(explain(exc, location)) from None
        log.info("answer store: %s", location.display)
        return cls(engine, location, base_url, background=background)

    def close(self) -> None:
        """Write what is queued (SIGTERM loses nothing), then let the connections go."""
        if self.queue is not None:
            self.queue.close()
        self.engine.dispose()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every answer given out is committed (True at once without a queue)."""
        return self.queue.flush(timeout) if self.queue is not None else True

    def ping(self) -> None:
        """Raises StoreUnavailable unless the database answers a query now (for /readyz)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.select(sa.func.count()).select_from(answers).where(answers.c.id == ""))
        except SQLAlchemyError as exc:
            raise StoreUnavailable(explain(exc, self.location)) from None

    def permalink(self, answer_id: str) -> str:
        return links.permalink(self.base_url, answer_id)

    # --- Recorder -----------------------------------------------------------------------

    def record(self, answer: Answer, *, channel: str, user_id: str | None) -> Answer:
        """Save the answer; returns it with extras id and permalink (unchanged if the database fails)."""
        row = {
            "created_at": datetime.now(UTC),
            "channel": channel,
            "user_id": user_id,
            "question": answer.question,
            "question_key": question_key(answer.question),
            "answer_text": answer.text,
            "in_scope": answer.in_scope,
            "citations": list(answer.citations),
            "nlra_caveat": answer.nlra_caveat,
            "policy_number": answer.policy.number,
            "policy_revision": answer.policy.revision,
            "answer_json": {**answer_payload(answer), **_kept_extras(answer)},
        }
        if self.queue is not None:
            row["id"] = new_id()
            if not self.queue.put(row):  # the database is failing: the answer, without a link, saying so
                return replace(answer, extras={**answer.extras, "channel": channel, "store_unavailable": True})
            return replace(answer, extras={**answer.extras, "channel": channel, "id": row["id"], "permalink": self.permalink(row["id"])})
        for _attempt in range(5):
            row["id"] = new_id()
            try:
                with self._writer.begin() as conn:
                    conn.execute(answers.insert().values(row))
                break
            except IntegrityError:  # an id already taken (1 in 2**64): draw another, never reuse it
                continue
            except SQLAlchemyError as exc:
                # The employee still gets the answer, only without a link; the operator sees why.
                log.error("answer store: could not record an answer on %s: %s", channel, explain(exc, self.location))
                return replace(answer, extras={**answer.extras, "store_unavailable": True})
        else:
            log.error("answer store: no free id after 5 draws; answer not recorded")
            return answer
        return replace(answer, extras={**answer.extras, "channel": channel, "id": row["id"], "permalink": self.permalink(row["id"])})

    def feedback(self, answer_id: str, value: int, *, channel: str, user_id: str | None) -> None:
        """A 👍 (+1) or 👎 (-1): one vote per person per answer, the latest counts; replays change nothing."""
        if not isinstance(answer_id, str) or not ID_PATTERN.match(answer_id):
            log.warning("answer store: feedback for a malformed answer id ignored")
            return
        value = 1 if value > 0 else -1
        voter = f"{channel}:{user_id}" if user_id else f"{channel}:anonymous:{secrets.token_urlsafe(9)}"
        try:
            self._vote(answer_id, value, voter, channel)
        except SQLAlchemyError as exc:
            log.error("answer store: could not record feedback for %s: %s", answer_id, explain(exc, self.location))

    def _vote(self, answer_id: str, value: int, voter: str, channel: str) -> None:
        if self.queue is not None and self.queue.pending(answer_id) is not None:
            self.queue.flush(timeout=5.0)  # a vote on an answer given a moment ago: its row first
        now = datetime.now(UTC)
        with self._writer.begin() as conn:
            # Lock the answer's row so concurrent votes are counted one after the other (PostgreSQL).
            found = conn.execute(sa.select(answers.c.id).where(answers.c.id == answer_id).with_for_update()).first()
            if found is None:
                log.warning("answer store: feedback for unknown answer %s ignored", answer_id)
                return
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            stmt = insert(votes).values(answer_id=answer_id, voter=voter, channel=channel, value=value, updated_at=now)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[votes.c.answer_id, votes.c.voter],
                    set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at, "channel": stmt.excluded.channel},
                )
            )
            counted = sa.select(sa.func.count()).select_from(votes).where(votes.c.answer_id == answer_id)
            conn.execute(
                answers.update()
                .where(answers.c.id == answer_id)
                .values(
                    thumbs_up=counted.where(votes.c.value > 0).scalar_subquery(),
                    thumbs_down=counted.where(votes.c.value < 0).scalar_subquery(),
                )
            )

    def feedback_reason(self, answer_id: str, reason: str, detail: str | None, *, channel: str, user_id: str | None) -> None:
        """What was wrong with an answer (after a 👎): kept for the report, never fails the click."""
        from bot.store.feedback import record_reason

        if not isinstance(answer_id, str) or not ID_PATTERN.match(answer_id):
            log.warning("answer store: a feedback reason for a malformed answer id ignored")
            return
        try:
            record_reason(self, answer_id, reason, detail, channel=channel, voter=f"{channel}:{user_id or 'anonymous'}")
        except SQLAlchemyError as exc:
            log.error("answer store: could not record a feedback reason for %s: %s", answer_id, explain(exc, self.location))

    @property
    def handoffs(self):
        """Questions sent to HR (bot/store/handoffs.py), in this store's database."""
        from bot.store.handoffs import HandoffStore

        return HandoffStore(self)

    # --- Reading ------------------------------------------------------------------------

    def get(self, answer_id: str) -> StoredAnswer | None:
        """The answer by id (None when there is none); StoreUnavailable when the database cannot say."""
        if not isinstance(answer_id, str) or not ID_PATTERN.match(answer_id):
            return None
        queued = self.queue.pending(answer_id) if self.queue is not None else None
        if queued is not None:  # given out, not yet committed: the link already works
            answer = replace(answer_from_payload(queued["answer_json"]), extras={"channel": queued["channel"], "id": answer_id, "permalink": self.permalink(answer_id)})
            return StoredAnswer(answer_id, answer, queued["channel"], queued["created_at"], 0, 0, bool(queued["answer_json"].get("announced")))
        query = sa.select(
            answers.c.id, answers.c.channel, answers.c.created_at, answers.c.thumbs_up, answers.c.thumbs_down, answers.c.answer_json
        ).where(answers.c.id == answer_id)
        try:
            with self.engine.connect() as conn:
                row = conn.execute(query).first()
        except SQLAlchemyError as exc:
            raise StoreUnavailable(explain(exc, self.location)) from None
        if row is None:
            return None
        answer = answer_from_payload(row.answer_json)
        answer = replace(answer, extras={"channel": row.channel, "id": row.id, "permalink": self.permalink(row.id)})
        return StoredAnswer(row.id, answer, row.channel, row.created_at, row.thumbs_up, row.thumbs_down, bool(row.answer_json.get("announced")))

    def claim_delivery(self, key: str) -> bool:
        """True the first time a platform event is seen, False for its retries (across every worker).

        Slack retries an event it thinks was not acknowledged, Bot Framework may resend an
        activity: the first claim answers, the rest are dropped. If the database cannot be
        reached the event is answered (a rare double answer beats silence).
        """
        now = datetime.now(UTC)
        try:
            with self._writer.begin() as conn:
                conn.execute(deliveries.insert().values(key=key[:300], created_at=now))
                # Keep the table small: retries come within minutes, a day is plenty.
                conn.execute(deliveries.delete().where(deliveries.c.created_at < now - DELIVERY_MEMORY))
        except IntegrityError:
            return False
        except SQLAlchemyError as exc:
            log.error("answer store: could not check delivery %s: %s", key, explain(exc, self.location))
        return True

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(answers)).scalar_one()
