"""Connections to the store: SQLite tuned for several processes, PostgreSQL with a checked pool.

SQLite runs in WAL mode (readers never wait for the writer) with a generous busy timeout,
and every write transaction starts with BEGIN IMMEDIATE so two processes writing at once
queue for the lock instead of failing with "database is locked".
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.store.errors import StoreError
from bot.store.urls import DatabaseLocation

BUSY_TIMEOUT_S = 5  # the default bound on any store call (Settings.store_timeout_s)
BEGIN_OPTION = "policybot_sqlite_begin"
FILE_MODE = 0o600  # the answers hold employees' questions and ids: readable by this service only


def make_engine(location: DatabaseLocation, *, timeout_s: float = BUSY_TIMEOUT_S) -> Engine:
    """Every call is bounded by timeout_s: connecting, waiting for a pooled connection, and each statement."""
    if location.sqlite_path is None:
        engine = sa.create_engine(
            location.url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=15,
            pool_timeout=timeout_s,
            connect_args={"connect_timeout": max(1, round(timeout_s)), "application_name": "policybot"},
        )

        @event.listens_for(engine, "connect")
        def _bounded(dbapi_connection, _record) -> None:
            # In the session, not the URL's options: the URL may carry its own (search_path...).
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(timeout_s * 1000)}")
                cursor.execute(f"SET lock_timeout = {int(timeout_s * 1000)}")
            dbapi_connection.commit()

        return engine
    try:
        location.sqlite_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create_private(location.sqlite_path)
    except OSError as exc:
        raise StoreError(
            f"The answer store's folder {location.sqlite_path.parent} cannot be created ({exc.strerror or exc}). "
            "Set POLICYBOT_DATA_DIR to a writable folder, or POLICYBOT_DATABASE_URL to another database."
        ) from exc
    engine = sa.create_engine(
        location.url, pool_size=10, max_overflow=30, pool_timeout=timeout_s, connect_args={"timeout": timeout_s}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(BEGIN_OPTION) else "BEGIN")

    return engine


def _create_private(path) -> None:
    """Create the SQLite file as 0600 before SQLite does (it would use the umask: 0644); SQLite gives
    its -wal and -shm files the database file's mode."""
    import os

    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))


def writer(engine: Engine) -> Engine:
    """The same pool, with write transactions that take SQLite's write lock up front."""
    return engine.execution_options(**{BEGIN_OPTION: True}) if engine.dialect.name == "sqlite" else engine


def explain(exc: BaseException, location: DatabaseLocation) -> str:
    """An operator's message for a database error at start-up (never includes a password)."""
    orig = getattr(exc, "orig", None) or exc
    detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    where = location.display
    if location.sqlite_path is not None:
        lowered = detail.lower()
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return (
                f"The answer store {where} is not a usable SQLite database ({detail}). It is damaged or is "
                "another kind of file. Restore it from a backup, or move it aside to start an empty store "
                "(links to earlier answers need the old file)."
            )
        if "readonly" in lowered or "read-only" in lowered:
            return f"The answer store {where} is read-only ({detail}). Make the file and its folder writable by this process."
        if "unable to open" in lowered:
            return (
                f"The answer store {where} cannot be opened ({detail}). Check that the path is a file in a writable "
                "folder, or set POLICYBOT_DATA_DIR / POLICYBOT_DATABASE_URL."
            )
        return f"The answer store {where} cannot be used ({detail})."
    return (
        f"The answer store at {where} cannot be used ({detail}). Check POLICYBOT_DATABASE_URL / DATABASE_URL "
        "and that the PostgreSQL server is running and reachable."
    )
