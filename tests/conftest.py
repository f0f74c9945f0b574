"""Test databases: SQLite by default, PostgreSQL when TEST_DATABASE_URL points at a server.

On PostgreSQL each test run creates its own fresh database (and drops it afterwards), so runs never see
each other's rows. `--database-tests-only` keeps just the tests that use a test database (all of them
reach it through `database_factory`): CI's second run, on PostgreSQL, need not repeat the rest.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import parse_settings
from storage import migrate
from storage.db import Database
from storage.models import Base


def _configured_url() -> str:
    raw = os.environ.get("TEST_DATABASE_URL", "").strip()
    return parse_settings({"DATABASE_URL": raw}).database_url if raw else ""


class DatabaseFactory:
    """Creates empty databases of the configured kind and removes them at the end of the run."""

    def __init__(self, base_url: str, tmp_dir: Path) -> None:
        self.base_url = base_url
        self.tmp_dir = tmp_dir
        self.created: list[str] = []

    @property
    def kind(self) -> str:
        return "postgresql" if self.base_url else "sqlite"

    def create(self, label: str) -> str:
        if not self.base_url:
            return f"sqlite:///{self.tmp_dir / f'{label}-{uuid.uuid4().hex[:8]}.db'}"
        name = f"mc_test_{label}_{uuid.uuid4().hex[:10]}"
        with self._admin() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.created:
            return
        with self._admin() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _admin(self):  # type: ignore[no-untyped-def]
        engine = create_engine(self.base_url, isolation_level="AUTOCOMMIT")
        return engine.connect()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the test database (the others do not depend on which it is)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        (kept if "database_factory" in getattr(item, "fixturenames", ()) else left_out).append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(_configured_url(), tmp_path_factory.mktemp("db"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def migrated_database(database_factory: DatabaseFactory) -> Iterator[Database]:
    db = Database(database_factory.create("main"))
    migrate.upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def db(migrated_database: Database) -> Iterator[Database]:
    """The migrated database, emptied before each test."""
    with migrated_database.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    yield migrated_database
