"""Throwaway PostgreSQL databases for benchmarks, so a run never touches a database someone uses."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import migrate
from storage.db import Database


def fresh_database(base_url: str, prefix: str) -> tuple[Database, str]:
    """A new, migrated database on the server of `base_url`; (the database, its name for `drop_database`)."""
    name = f"mc_bench_{prefix}_{uuid.uuid4().hex[:8]}"
    with create_engine(base_url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    migrate.upgrade(db)
    return db, name


def drop_database(base_url: str, name: str) -> None:
    with create_engine(base_url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
