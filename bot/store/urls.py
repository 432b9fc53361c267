"""Where the answer store lives: a database URL from the settings, or a SQLite file by default.

`POLICYBOT_DATABASE_URL` (or the platform's `DATABASE_URL`) wins. Heroku hands out
`postgres://...`, which SQLAlchemy no longer accepts; it and plain `postgresql://` both mean
PostgreSQL through psycopg 3. Without a URL the store is `<data_dir>/answers.sqlite3`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SQLITE_FILE = "answers.sqlite3"
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
_POSTGRES_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}
_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")


@dataclass(frozen=True)
class DatabaseLocation:
    url: str  # a SQLAlchemy URL: sqlite:///... or postgresql+psycopg://...
    sqlite_path: Path | None  # the file, for SQLite; None for a server

    @property
    def dialect(self) -> str:
        return "sqlite" if self.sqlite_path is not None or self.url.startswith("sqlite") else "postgresql"

    @property
    def display(self) -> str:
        """For messages and logs: the file, or the URL with any password removed."""
        return str(self.sqlite_path) if self.sqlite_path is not None else redact(self.url)


def redact(url: str) -> str:
    return _PASSWORD.sub(r"\1:***@", url)


def resolve(url: str | None, data_dir: str | Path = "data") -> DatabaseLocation:
    """Turn the configured URL (or none) into the URL SQLAlchemy is given."""
    from bot.store.errors import StoreError

    if not url:
        path = Path(data_dir).expanduser().absolute() / SQLITE_FILE
        return DatabaseLocation(f"sqlite:///{path}", path)
    m = _SCHEME.match(url)
    scheme = m.group("scheme").lower() if m else ""
    if scheme in _POSTGRES_SCHEMES:
        return DatabaseLocation("postgresql+psycopg://" + url[m.end() :], None)
    if scheme in {"sqlite", "sqlite+pysqlite"}:
        rest = url[m.end() :]
        if rest in {"", "/", "/:memory:"}:
            raise StoreError("The answer store must be a file or a server: an in-memory SQLite database forgets every link.")
        # sqlite:///relative/path or sqlite:////absolute/path
        path = Path(rest[1:]).expanduser().absolute()
        return DatabaseLocation(f"sqlite:///{path}", path)
    raise StoreError(
        f"The database URL {redact(url)!r} is not supported: use postgresql://user@host:5432/dbname "
        "(postgres:// works too) or sqlite:///path/to/answers.sqlite3, or leave POLICYBOT_DATABASE_URL unset "
        "for a SQLite file under POLICYBOT_DATA_DIR."
    )
