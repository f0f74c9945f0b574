"""Engine and sessions. Nothing connects until a session or `ping()` is used."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

INTERACTIVE_TIMEOUT_MS = 2000
"""How long a request a person is waiting on may wait for a lock or a statement: short enough that the
listener can still answer inside Slack's three seconds."""
BACKGROUND_BUSY_TIMEOUT_MS = 30000


def affected_rows(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched (its result is a cursor result, which typing cannot tell)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine: Engine = _make_engine(url, echo=echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self, *, interactive: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on error.

        An `interactive` one fails fast (`INTERACTIVE_TIMEOUT_MS`) instead of waiting on a locked or
        slow database, and is rolled back whole: nothing of it is applied later.
        """
        with self._sessions.begin() as session:
            if not interactive:
                yield session
                return
            if self.is_sqlite:
                session.connection().exec_driver_sql(f"PRAGMA busy_timeout={INTERACTIVE_TIMEOUT_MS}")
                yield session
            else:
                session.execute(text(f"SET LOCAL statement_timeout = {INTERACTIVE_TIMEOUT_MS}"))
                session.execute(text(f"SET LOCAL lock_timeout = {INTERACTIVE_TIMEOUT_MS}"))
                yield session

    def forget_deleted_text(self) -> None:
        """Make rows deleted or emptied just now unrecoverable from the database files.

        SQLite zeroes deleted content in place (`secure_delete`, set on every connection), but the old page
        images stay in the `-wal` file until a checkpoint: this one copies them back and truncates it.
        PostgreSQL deletes rows outright, so there is nothing to do.
        """
        if not self.is_sqlite:
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkin", _restore_busy_timeout)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"connect_timeout": 5},
    )


def _restore_busy_timeout(dbapi_connection, _record) -> None:
    """Back in the pool, a connection waits as long as background work may (interactive sessions shorten it)."""
    if dbapi_connection is not None:
        with suppress(Exception):
            dbapi_connection.execute(f"PRAGMA busy_timeout={BACKGROUND_BUSY_TIMEOUT_MS}")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BACKGROUND_BUSY_TIMEOUT_MS}")
    cursor.close()
