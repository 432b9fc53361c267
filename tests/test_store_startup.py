"""A database that cannot be used stops the start with a readable message, never mid-conversation."""

from __future__ import annotations

import pytest

from adapters.server import create_app
from bot.store.errors import StoreError
from support_store import cli, settings_for


@pytest.fixture
def corrupt_dir(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "answers.sqlite3").write_bytes(b"this is not a SQLite database\n" * 200)
    return data_dir


def test_corrupt_file_stops_the_app_at_start(corrupt_dir, assistant):
    with pytest.raises(StoreError) as err:
        create_app(assistant, settings_for(corrupt_dir))
    message = str(err.value)
    assert str(corrupt_dir / "answers.sqlite3") in message
    assert "not a usable SQLite database" in message and "backup" in message


def test_unwritable_folder_stops_the_app_at_start(tmp_path, assistant):
    blocker = tmp_path / "a-file"
    blocker.write_text("the data folder cannot live under a file")
    with pytest.raises(StoreError, match="cannot be created.*POLICYBOT_DATA_DIR"):
        create_app(assistant, settings_for(blocker / "data"))


def test_database_path_that_is_a_folder_stops_the_app(tmp_path, assistant):
    (tmp_path / "answers.sqlite3").mkdir()
    with pytest.raises(StoreError, match="cannot be opened"):
        create_app(assistant, settings_for(tmp_path))


def test_unreachable_postgres_stops_the_app_and_hides_the_password(tmp_path, assistant):
    url = "postgresql://policybot:s3cret-pw@127.0.0.1:1/policy"
    with pytest.raises(StoreError) as err:
        create_app(assistant, settings_for(tmp_path, database_url=url))
    assert "s3cret-pw" not in str(err.value)
    assert "127.0.0.1:1/policy" in str(err.value) and "PostgreSQL server is running" in str(err.value)


def test_ask_on_a_corrupt_store_explains_and_exits(corrupt_dir):
    out = cli("ask", "Can I post about my pay?", env_extra={"POLICYBOT_DATA_DIR": str(corrupt_dir)})
    assert out.returncode == 1
    assert "not a usable SQLite database" in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_report_on_a_corrupt_store_explains_and_exits(corrupt_dir):
    out = cli("report", env_extra={"POLICYBOT_DATA_DIR": str(corrupt_dir)})
    assert out.returncode == 1
    assert "policybot report: The answer store" in out.stderr and "Traceback" not in out.stderr


def test_the_callers_assistant_is_left_as_it_was(tmp_path, assistant):
    before = assistant.recorder
    app = create_app(assistant, settings_for(tmp_path))
    from adapters.appkeys import ASSISTANT, STORE

    assert assistant.recorder is before
    assert app[ASSISTANT].recorder is app[STORE]
    app[STORE].close()
