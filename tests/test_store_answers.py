"""The answer store on a real SQLite file and on PostgreSQL: what is kept, ids, feedback, schema."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.store import answers as answers_module
from bot.store import schema as schema_module
from bot.store.answers import AnswerStore, question_key
from bot.store.errors import StoreError
from bot.store.schema import answers, schema_version, votes
from support_store import BASE_URL, database_url, postgres_url  # noqa: F401  (fixtures)

PAY = "Can I post about my pay on Facebook?"
LINKEDIN = "Can I sign up for LinkedIn with my City email?"


@pytest.fixture
def store(database_url):
    store = AnswerStore.open(database_url, base_url=BASE_URL)
    yield store
    store.close()


def _row(store: AnswerStore, answer_id: str):
    with store.engine.connect() as conn:
        return conn.execute(sa.select(answers).where(answers.c.id == answer_id)).one()


def test_record_keeps_what_the_issue_lists(store, assistant):
    before = datetime.now(UTC)
    answer = assistant.composer.answer(PAY)
    recorded = store.record(answer, channel="slack", user_id="U024BE7LH")
    answer_id = recorded.extras["id"]
    assert recorded.extras["permalink"] == f"{BASE_URL}/a/{answer_id}"
    row = _row(store, answer_id)
    assert row.question == PAY
    assert row.answer_text == answer.text and "National Labor Relations Act" in row.answer_text
    assert row.citations == list(answer.citations) and row.citations[0] == "3.1"
    assert row.nlra_caveat is True and row.in_scope is True
    assert (row.policy_number, row.policy_revision) == ("026", "2025-10-06")
    assert row.channel == "slack" and row.user_id == "U024BE7LH"
    assert before - timedelta(seconds=1) <= row.created_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert (row.thumbs_up, row.thumbs_down) == (0, 0)
    assert row.answer_json["quotes"][0]["section_id"] == "3.1"


def test_get_returns_exactly_the_answer_given(store, assistant):
    answer = assistant.composer.answer(LINKEDIN)
    recorded = store.record(answer, channel="teams", user_id="29:1aBc")
    stored = store.get(recorded.extras["id"])
    assert stored.answer == recorded  # quotes, caveat, policy, text and extras alike
    assert stored.answer.text == answer.text
    assert stored.channel == "teams" and stored.created_at.tzinfo is not None


def test_ids_are_short_url_safe_random_and_distinct(store, assistant):
    answer = assistant.composer.answer(LINKEDIN)
    ids = [store.record(answer, channel="web", user_id=None).extras["id"] for _ in range(40)]
    assert len(set(ids)) == len(ids)
    for answer_id in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]{10,12}", answer_id), answer_id
    assert not all(i.isdigit() for i in ids)
    assert store.count() == 40


def test_an_id_already_taken_is_never_reused(store, assistant, monkeypatch):
    first = store.record(assistant.composer.answer(LINKEDIN), channel="web", user_id=None)
    taken = first.extras["id"]
    draws = iter([taken, "Fresh_id-123"])
    monkeypatch.setattr(answers_module, "new_id", lambda: next(draws))
    second = store.record(assistant.composer.answer(PAY), channel="web", user_id=None)
    assert second.extras["id"] == "Fresh_id-123"
    assert store.get(taken).answer.question == LINKEDIN  # the old link still says what it said


def test_feedback_one_vote_per_person_latest_counts(store, assistant):
    answer_id = store.record(assistant.composer.answer(PAY), channel="slack", user_id="U1").extras["id"]
    assistant_feedback = [
        (1, "slack", "U1"),
        (1, "slack", "U1"),  # a retried click counts once
        (-1, "slack", "U1"),  # changed their mind
        (-1, "teams", "29:abc"),
        (1, "slack", "U2"),
        (1, "cli", None),  # anonymous votes each count
        (1, "cli", None),
    ]
    for value, channel, user in assistant_feedback:
        store.feedback(answer_id, value, channel=channel, user_id=user)
    stored = store.get(answer_id)
    assert (stored.thumbs_up, stored.thumbs_down) == (3, 2)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(votes)).scalar_one() == 5


def test_feedback_through_the_assistant(store, assistant):
    from bot.assistant import Assistant

    recording = Assistant(library=assistant.library, recorder=store)
    answer = recording.ask(PAY, channel="teams", user_id="29:x")
    recording.feedback(answer.extras["id"], -5, channel="teams", user_id="29:x")
    assert store.get(answer.extras["id"]).thumbs_down == 1


def test_feedback_for_unknown_or_malformed_ids_changes_nothing(store, assistant):
    answer_id = store.record(assistant.composer.answer(PAY), channel="web", user_id=None).extras["id"]
    store.feedback("AAAAAAAAAAA", 1, channel="slack", user_id="U1")
    store.feedback("../../etc/passwd", 1, channel="slack", user_id="U1")
    store.feedback("", -1, channel="slack", user_id="U1")
    assert store.get(answer_id).thumbs_up == 0
    assert store.get("AAAAAAAAAAA") is None and store.get("x' OR '1'='1") is None


def test_odd_questions_are_kept_verbatim(store, assistant):
    odd = "Can I post 🙂 about \u202epay\u202c <!channel> <script>alert(1)</script> {{ 7*7 }} ' OR 1=1 --"
    answer = replace(assistant.composer.answer(PAY), question=odd)
    answer_id = store.record(answer, channel="web", user_id=None).extras["id"]
    assert store.get(answer_id).answer.question == odd


def test_question_key_groups_repeats():
    assert question_key("  Can I post about my PAY?? ") == question_key("can i post about my pay")
    assert question_key("Ｃａｎ I post") == question_key("can i post")


def test_schema_version_is_recorded_once(database_url):
    for _ in range(3):
        AnswerStore.open(database_url).close()
    store = AnswerStore.open(database_url)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(schema_version.c.version)).scalars().all()
    store.close()
    assert rows == [schema_module.LATEST]


def test_a_newer_schema_is_refused(database_url):
    store = AnswerStore.open(database_url)
    with store.engine.begin() as conn:
        conn.execute(schema_version.insert().values(version=99, applied_at=datetime.now(UTC), description="future"))
    store.close()
    with pytest.raises(StoreError, match="newer than this program"):
        AnswerStore.open(database_url)


def test_migrations_run_in_order_on_an_older_database(database_url, assistant, monkeypatch):
    store = AnswerStore.open(database_url)
    kept = store.record(assistant.composer.answer(PAY), channel="web", user_id=None).extras["id"]
    store.close()

    def add_language(conn):
        conn.execute(sa.text("ALTER TABLE answers ADD COLUMN language VARCHAR(8) DEFAULT 'en'"))

    nxt = schema_module.LATEST + 1
    monkeypatch.setattr(schema_module, "LATEST", nxt)
    monkeypatch.setitem(schema_module.MIGRATIONS, nxt, ("answers.language", add_language))
    store = AnswerStore.open(database_url)
    with store.engine.connect() as conn:
        versions = conn.execute(sa.select(schema_version.c.version).order_by(schema_version.c.version)).scalars().all()
        language = conn.execute(sa.text("SELECT language FROM answers WHERE id = :id"), {"id": kept}).scalar_one()
    assert versions == [nxt - 1, nxt] and language == "en"
    assert store.get(kept).answer.question == PAY
    store.close()


def test_a_failed_write_still_answers_without_a_link(database_url, assistant, caplog):
    store = AnswerStore.open(database_url)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE votes"))
        conn.execute(sa.text("DROP TABLE answers"))
    answer = store.record(assistant.composer.answer(PAY), channel="slack", user_id="U1")
    store.close()
    assert "id" not in answer.extras and "permalink" not in answer.extras
    assert "National Labor Relations Act" in answer.text
    assert "could not record an answer" in caplog.text


def test_sqlite_file_is_created_on_first_use_in_wal_mode(tmp_path):
    data_dir = tmp_path / "nested" / "data"
    store = AnswerStore.open(None, data_dir=str(data_dir))
    assert (data_dir / "answers.sqlite3").is_file()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()


def test_a_delivery_is_claimed_once_even_by_a_second_worker(database_url):
    first, second = AnswerStore.open(database_url), AnswerStore.open(database_url)
    try:
        assert first.claim_delivery("slack:Ev0001") is True
        assert second.claim_delivery("slack:Ev0001") is False  # the retry, seen by another process's store
        assert first.claim_delivery("slack:Ev0001") is False
        assert second.claim_delivery("teams:Ev0001") is True  # keys are per platform
    finally:
        first.close()
        second.close()


def test_a_database_at_version_1_gains_the_deliveries_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'v1.sqlite3'}"
    store = AnswerStore.open(url)
    with store.engine.begin() as conn:  # make it look like a database written by the first release
        conn.execute(sa.text("DROP TABLE deliveries"))
        conn.execute(sa.text("DELETE FROM schema_version"))
        conn.execute(schema_version.insert().values(version=1, applied_at=datetime.now(UTC), description="created"))
    store.close()
    store = AnswerStore.open(url)
    try:
        assert store.claim_delivery("slack:Ev1") is True and store.claim_delivery("slack:Ev1") is False
        with store.engine.connect() as conn:
            versions = conn.execute(sa.select(schema_version.c.version).order_by(schema_version.c.version)).scalars().all()
        assert versions == [1, *sorted(schema_module.MIGRATIONS)]  # every step after the first release, in order
    finally:
        store.close()
