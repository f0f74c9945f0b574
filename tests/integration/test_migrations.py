from __future__ import annotations

from sqlalchemy import inspect

from storage import migrate
from storage.db import Database
from storage.models import Base


def test_upgrade_from_empty_then_downgrade_to_base(database_factory) -> None:
    db = Database(database_factory.create("migrations"))
    try:
        assert migrate.current_revision(db) is None
        migrate.upgrade(db)
        assert migrate.is_up_to_date(db)
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables

        migrate.downgrade(db, "base")
        assert migrate.current_revision(db) is None
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

        migrate.upgrade(db)
        assert migrate.is_up_to_date(db)
    finally:
        db.dispose()


def test_models_match_the_migrations(migrated_database: Database) -> None:
    """Autogenerate finds nothing to do: the typed models and the migration history agree, and the clock's
    job table (created by APScheduler, not by a migration) is left out of the comparison."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    from bot.nudges.clock import JOBS_TABLE

    store = SQLAlchemyJobStore(engine=migrated_database.engine, tablename=JOBS_TABLE)
    store.start(None, "default")  # type: ignore[arg-type]
    try:
        with migrated_database.engine.connect() as connection:
            assert JOBS_TABLE in inspect(connection).get_table_names()
            context = MigrationContext.configure(connection, opts={"include_name": migrate.include_name})
            differences = compare_metadata(context, Base.metadata)
    finally:
        store.jobs_t.drop(migrated_database.engine)
    assert differences == []
