"""The store's tables (SQLAlchemy Core, the same for SQLite and PostgreSQL) and its migrations.

`schema_version` records which migrations a database has had. A new database is created
straight at the latest shape; an older one gets each missing step from MIGRATIONS, in
order, inside one locked transaction, so two processes starting together never race.

To change the schema: edit the tables below, bump LATEST, and add MIGRATIONS[LATEST]
that brings a database at LATEST - 1 to the new shape (ALTER TABLE ..., backfills).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.store.errors import StoreError

LATEST = 5  # 3 was never used (a step planned on a branch that did not land); migrate() skips it
PG_LOCK_KEY = 0x706F6C6963  # any constant: serialises migrations across processes on PostgreSQL


class UtcDateTime(sa.TypeDecorator):
    """Aware UTC datetimes in and out, also on SQLite (which keeps no time zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the answer store; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", UtcDateTime, nullable=False),
    sa.Column("description", sa.String(200), nullable=False),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),  # short random token, the link's last part
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False),  # slack, teams, web, cli
    sa.Column("user_id", sa.String(255)),  # the platform's opaque id only: never a name or e-mail
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("question_key", sa.String(500), nullable=False, index=True),  # normalised, for "most asked"
    sa.Column("answer_text", sa.Text, nullable=False),  # the answer as rendered in plain text
    sa.Column("in_scope", sa.Boolean, nullable=False),
    sa.Column("citations", sa.JSON, nullable=False),  # section ids, best first
    sa.Column("nlra_caveat", sa.Boolean, nullable=False),
    sa.Column("policy_number", sa.String(16), nullable=False),
    sa.Column("policy_revision", sa.String(16), nullable=False),  # ISO date of the text in force
    sa.Column("thumbs_up", sa.Integer, nullable=False, server_default="0"),
    sa.Column("thumbs_down", sa.Integer, nullable=False, server_default="0"),
    sa.Column("answer_json", sa.JSON, nullable=False),  # the whole Answer: the page shows exactly this
)

votes = sa.Table(
    "votes",
    metadata,
    sa.Column("answer_id", sa.String(32), sa.ForeignKey("answers.id"), primary_key=True),
    sa.Column("voter", sa.String(300), primary_key=True),  # "slack:U123": one vote per person, changeable
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("value", sa.SmallInteger, nullable=False),  # +1 or -1
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    # "slack:Ev123" or "teams:<activity id>": an event a platform may send again (retries); claimed once.
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
)


# Conversations (bot/store/threads.py): a thread's turns, so follow-ups are read in context.
thread_turns = sa.Table(
    "thread_turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("thread", sa.String(300), nullable=False),  # "slack:T1:C1:1700000000.000100", "teams:<conversation>"
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("sections", sa.JSON, nullable=False),  # the answer's citations
    sa.Column("in_scope", sa.Boolean, nullable=False),
    sa.Column("answer_id", sa.String(32)),
    sa.Index("ix_thread_turns_thread_created", "thread", "created_at"),
)

# Hand-offs to HR (bot/store/handoffs.py): what the employee sent, where HR saw it, HR's reply.
handoffs = sa.Table(
    "handoffs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False),  # slack, teams, web
    sa.Column("user_id", sa.String(255)),  # the platform's opaque id only
    sa.Column("answer_id", sa.String(32)),  # the answer that led here, when there was one
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),  # what the employee sent, as they edited it
    sa.Column("status", sa.String(16), nullable=False),  # open, answered, resolved
    sa.Column("employee_ref", sa.JSON, nullable=False),  # how to reach the employee privately
    sa.Column("language", sa.String(8), nullable=False, server_default="en"),  # the employee's: "en", "es"
    sa.Column("hr_ref", sa.JSON),  # where HR's copy was posted (to update it)
    sa.Column("reply", sa.Text),
    sa.Column("replied_by", sa.String(255)),
    sa.Column("replied_at", UtcDateTime),
    sa.Column("resolved_by", sa.String(255)),
    sa.Column("resolved_at", UtcDateTime),
)

# Why an answer got a 👎 (bot/store/answers.py): the report groups them.
feedback_reasons = sa.Table(
    "feedback_reasons",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.String(32), nullable=False, index=True),  # no foreign key: kept if an answer is purged
    sa.Column("voter", sa.String(300), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),  # wrong_section, unclear, not_answered, other
    sa.Column("detail", sa.Text),  # the person's own words, when they gave any
    sa.Column("created_at", UtcDateTime, nullable=False),
)

CONVERSATION_TABLES = (thread_turns, handoffs, feedback_reasons)


def _add_deliveries(conn: Connection) -> None:
    deliveries.create(conn, checkfirst=True)


def _add_conversations(conn: Connection) -> None:
    for table in CONVERSATION_TABLES:
        table.create(conn, checkfirst=True)


def _add_handoff_language(conn: Connection) -> None:
    """Older hand-offs get "en": those tied to an answer still speak its language (the answer's wins),
    the others were English. Step 4 creates the table at today's shape, so one from before 4 has it."""
    if "language" not in {c["name"] for c in sa.inspect(conn).get_columns("handoffs")}:
        conn.execute(sa.text("ALTER TABLE handoffs ADD COLUMN language VARCHAR(8) DEFAULT 'en' NOT NULL"))


# version -> (description, step from version - 1).
MIGRATIONS: dict[int, tuple[str, Callable[[Connection], None]]] = {
    2: ("deliveries: platform events claimed once, shared by every worker", _add_deliveries),
    4: ("conversations: thread turns, hand-offs to HR, reasons for a thumbs down", _add_conversations),
    5: ("handoffs.language: HR's reply reaches the employee in their language", _add_handoff_language),
}


def migrate(conn: Connection) -> int:
    """Bring the database to LATEST inside the caller's (write-locked) transaction; returns the old version."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_LOCK_KEY)))
    schema_version.create(conn, checkfirst=True)
    current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0
    if current > LATEST:
        raise StoreError(
            f"The answer store's schema is at version {current}, newer than this program knows ({LATEST}): "
            "it was upgraded by a newer policybot. Upgrade this installation instead of downgrading the database."
        )
    if current == 0:
        metadata.create_all(conn, tables=[answers, votes, deliveries, *CONVERSATION_TABLES], checkfirst=True)
        _mark(conn, LATEST, "created")
        return 0
    for version in range(current + 1, LATEST + 1):
        if version not in MIGRATIONS:  # a number no step was ever given (3)
            continue
        description, step = MIGRATIONS[version]
        step(conn)
        _mark(conn, version, description)
    return current


def _mark(conn: Connection, version: int, description: str) -> None:
    conn.execute(schema_version.insert().values(version=version, applied_at=datetime.now(UTC), description=description))
