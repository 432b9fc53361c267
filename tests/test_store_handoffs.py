"""Hand-offs and feedback reasons in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.handoff import Status
from bot.store.answers import AnswerStore
from bot.store.schema import schema_version
from bot.store.feedback import reason_counts, recent_details
from support_store import database_url, postgres_url  # noqa: F401  (fixtures)

TEAMS_REF = {"channelId": "msteams", "serviceUrl": "https://smba.example/amer/", "conversation": {"id": "a:1", "conversationType": "personal"}}


def test_a_hand_off_goes_open_answered_resolved_once(database_url):
    store = AnswerStore.open(database_url)
    try:
        handoffs = store.handoffs
        created = handoffs.create(channel="teams", user_id="aad-1", answer_id=None, question="q", message="Who approves badges?", employee_ref=TEAMS_REF)
        assert created.status is Status.OPEN and created.employee_ref == TEAMS_REF and created.hr_ref is None
        handoffs.posted(created.id, {"conversation": "19:hr@thread.tacv2", "activity_id": "x1"})
        replied = handoffs.reply(created.id, "The front desk.", by="aad-hr")
        assert replied.status is Status.ANSWERED and replied.reply == "The front desk." and replied.hr_ref["activity_id"] == "x1"
        assert [h.id for h in handoffs.open()] == [created.id]
        resolved = handoffs.resolve(created.id, by="aad-hr")
        assert resolved.status is Status.RESOLVED and resolved.resolved_by == "aad-hr"
        assert handoffs.resolve(created.id, by="aad-hr-2") is None and handoffs.get(created.id).resolved_by == "aad-hr"
        assert handoffs.reply(created.id, "late", by="aad-hr") is None
        assert handoffs.open() == [] and handoffs.get("nope") is None and handoffs.get("x" * 400) is None
    finally:
        store.close()


def test_reasons_are_counted_and_words_kept(database_url, assistant):
    store = AnswerStore.open(database_url)
    try:
        answer_id = store.record(assistant.composer.answer("Can I use the City logo?"), channel="web", user_id=None).extras["id"]
        store.feedback_reason(answer_id, "unclear", None, channel="web", user_id=None)
        store.feedback_reason(answer_id, "other", "too long", channel="slack", user_id="U1")
        store.feedback_reason("../bad", "other", "ignored", channel="slack", user_id="U1")  # a malformed id is ignored
        assert reason_counts(store) == {"wrong_section": 0, "unclear": 1, "not_answered": 0, "other": 1}
        assert [d["detail"] for d in recent_details(store)] == ["too long"]
    finally:
        store.close()


def test_a_hand_off_keeps_the_employees_language(database_url):
    store = AnswerStore.open(database_url)
    try:
        spanish = store.handoffs.create(channel="slack", user_id="U1", answer_id=None, question="q", message="¿Quién?", employee_ref={"user": "U1"}, language="es")
        plain = store.handoffs.create(channel="slack", user_id="U2", answer_id=None, question="q", message="Who?", employee_ref={"user": "U2"})
        assert (spanish.language, plain.language) == ("es", "en")
        assert store.handoffs.reply(spanish.id, "La recepción.", by="HR1").language == "es"
    finally:
        store.close()


def test_a_database_from_before_hand_off_languages_opens_and_works(database_url):
    store = AnswerStore.open(database_url)
    with store.engine.begin() as conn:  # make it look like one written at version 4, with a hand-off waiting for HR
        conn.execute(sa.text("ALTER TABLE handoffs DROP COLUMN language"))
        conn.execute(sa.text("DELETE FROM schema_version"))
        conn.execute(schema_version.insert().values(version=4, applied_at=datetime.now(UTC), description="created"))
        conn.execute(
            sa.text(
                "INSERT INTO handoffs (id, created_at, channel, user_id, question, message, status, employee_ref) "
                "VALUES ('old-handoff-1', :now, 'slack', 'U1', 'q', 'Who approves badges?', 'open', :ref)"
            ),
            {"now": datetime.now(UTC).replace(tzinfo=None), "ref": '{"user": "U1"}'},
        )
    store.close()

    for _ in range(2):  # the step runs once; opening again changes nothing
        store = AnswerStore.open(database_url)
        try:
            with store.engine.connect() as conn:
                versions = conn.execute(sa.select(schema_version.c.version).order_by(schema_version.c.version)).scalars().all()
            assert versions == [4, 5]
            old = store.handoffs.get("old-handoff-1")
            assert old.language == "en" and old.message == "Who approves badges?" and old.employee_ref == {"user": "U1"}
        finally:
            store.close()
    store = AnswerStore.open(database_url)
    try:
        assert store.handoffs.reply("old-handoff-1", "The front desk.", by="HR1").language == "en"
        new = store.handoffs.create(channel="teams", user_id="aad-1", answer_id=None, question="q", message="¿Quién?", employee_ref=TEAMS_REF, language="es")
        assert store.handoffs.get(new.id).language == "es"
        assert {h.id for h in store.handoffs.open()} == {"old-handoff-1", new.id}
    finally:
        store.close()
