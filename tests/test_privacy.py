"""Privacy (issue 10, case 7): answers kept for POLICYBOT_RETENTION_DAYS, `policybot purge`, a
/privacy page the Teams manifest points to, least-privilege scopes. Real SQLite files, real CLI."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import yaml

from adapters.server import create_app
from bot.assistant import Assistant
from bot.store.answers import AnswerStore
from bot.store.schema import answers
from support_store import cli, settings_for
from test_pages import Page


def _filled(tmp_path, assistant) -> tuple[AnswerStore, list[str], list[str]]:
    """Five answers: two from 400 days ago (one with a vote), three from today."""
    store = AnswerStore.open(None, data_dir=str(tmp_path))
    recording = Assistant(library=assistant.library, templates=assistant.templates, recorder=store)
    old = [recording.ask("Can I post about my pay?", channel="slack", user_id="U1").extras["id"] for _ in range(2)]
    new = [recording.ask("Can I use the City logo?", channel="web").extras["id"] for _ in range(3)]
    store.feedback(old[0], -1, channel="slack", user_id="U2")
    with store.engine.begin() as conn:
        conn.execute(answers.update().where(answers.c.id.in_(old)).values(created_at=datetime.now(UTC) - timedelta(days=400)))
    return store, old, new


def test_purge_deletes_answers_older_than_the_retention(tmp_path, assistant):
    store, old, new = _filled(tmp_path, assistant)
    store.close()
    env = {"POLICYBOT_DATA_DIR": str(tmp_path), "POLICYBOT_RETENTION_DAYS": "365"}
    dry = cli("purge", "--dry-run", env_extra=env)
    assert dry.returncode == 0 and "Would delete 2 answers and 1 vote" in dry.stdout
    done = cli("purge", env_extra=env)
    assert done.returncode == 0 and "Deleted 2 answers and 1 vote older than 365 days" in done.stdout, done.stderr
    store = AnswerStore.open(None, data_dir=str(tmp_path))
    try:
        assert [store.get(i) for i in old] == [None, None]
        assert all(store.get(i) for i in new) and store.count() == 3
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("select count(*) from votes")).scalar_one() == 0
    finally:
        store.close()


def test_purge_days_on_the_command_line(tmp_path, assistant):
    store, _old, _new = _filled(tmp_path, assistant)
    store.close()
    done = cli("purge", "--days", "500", env_extra={"POLICYBOT_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0 and "Deleted 0 answers" in done.stdout


def test_purge_without_a_period_says_what_to_set(tmp_path):
    result = cli("purge", env_extra={"POLICYBOT_DATA_DIR": str(tmp_path), "POLICYBOT_RETENTION_DAYS": ""})
    assert result.returncode == 2 and "POLICYBOT_RETENTION_DAYS" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_retention_value_is_one_line(tmp_path):
    result = cli("purge", env_extra={"POLICYBOT_DATA_DIR": str(tmp_path), "POLICYBOT_RETENTION_DAYS": "a year"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "POLICYBOT_RETENTION_DAYS" in result.stderr


async def test_the_service_applies_the_retention_itself(aiohttp_client, assistant, tmp_path):
    store, old, new = _filled(tmp_path, assistant)
    store.close()
    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), retention_days=365)))
    import asyncio

    for _ in range(100):
        if (await client.get(f"/a/{old[0]}")).status == 404:
            break
        await asyncio.sleep(0.05)
    assert (await client.get(f"/a/{old[0]}")).status == 404
    assert (await client.get(f"/a/{new[0]}")).status == 200


async def test_the_privacy_page_says_what_is_kept_and_for_how_long(aiohttp_client, assistant, tmp_path):
    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), retention_days=180)))
    resp = await client.get("/privacy")
    assert resp.status == 200 and resp.content_type == "text/html"
    text = Page(await resp.text()).text
    assert "deleted 180 days after" in text and "never your name or e-mail" in text
    unset = await aiohttp_client(create_app(assistant, settings_for(tmp_path / "b")))
    assert "no automatic deletion period" in Page(await (await unset.get("/privacy")).text()).text


def test_the_teams_manifest_points_at_the_privacy_page_and_asks_for_little():
    from adapters.teams.package import manifest

    data = manifest("11111111-2222-4333-8444-555555555555", "policybot.monroe.gov")
    assert data["developer"]["privacyUrl"] == "https://policybot.monroe.gov/privacy"
    assert data["developer"]["termsOfUseUrl"] == "https://policybot.monroe.gov/privacy"
    assert data["permissions"] == ["identity"]


def test_the_slack_app_asks_for_no_scope_it_does_not_use():
    from pathlib import Path

    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    assert not {"im:read", "im:write", "channels:history", "users:read", "users:read.email"} & set(manifest["oauth_config"]["scopes"]["bot"])


def test_purge_also_deletes_old_conversations_hand_offs_and_reasons(tmp_path, assistant):
    from bot.conversation import Turn
    from bot.store.retention import purge
    from bot.store.schema import feedback_reasons, handoffs, thread_turns
    from bot.store.threads import StoreThreads

    store = AnswerStore.open(None, data_dir=str(tmp_path))
    try:
        answer_id = store.record(assistant.composer.answer("Can I use the City logo?"), channel="web", user_id=None).extras["id"]
        StoreThreads(store).remember("web:t1", Turn("Can I use the City logo?", ("3.3.3",), True))
        store.feedback_reason(answer_id, "other", "my own words", channel="web", user_id=None)
        done = store.handoffs.create(channel="slack", user_id="U1", answer_id=answer_id, question="q", message="my message to HR", employee_ref={"user": "U1"})
        store.handoffs.resolve(done.id, by="HR1")
        waiting = store.handoffs.create(channel="slack", user_id="U2", answer_id=None, question="q2", message="still waiting", employee_ref={"user": "U2"})
        store.flush()
        tables = (thread_turns, feedback_reasons, handoffs)
        with store.engine.begin() as conn:
            for table in tables:
                conn.execute(table.update().values(created_at=datetime.now(UTC) - timedelta(days=400)))
        purge(store, 365)
        with store.engine.connect() as conn:
            assert [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in tables] == [0, 0, 1]
            # an employee still waiting for HR keeps their hand-off until HR answers it
            assert conn.execute(sa.select(handoffs.c.id)).scalar_one() == waiting.id
    finally:
        store.close()
