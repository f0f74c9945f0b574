"""The clock's job store when another clock creates the job table first."""

from __future__ import annotations

from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import event, inspect

from bot.nudges.clock import JOBS_TABLE, SharedJobStore, schedule_jobs
from bot.nudges.jobs import JOBS
from storage.db import Database


def test_a_clock_that_loses_the_race_to_create_the_job_table_still_starts(database_factory) -> None:  # type: ignore[no-untyped-def]
    """Between this clock's "is there a table?" and its CREATE, another clock made the table."""
    db = Database(database_factory.create("job_store_race"))
    try:
        rival = SharedJobStore(engine=db.engine, tablename=JOBS_TABLE)
        store = SharedJobStore(engine=db.engine, tablename=JOBS_TABLE)

        def rival_creates_it_first(*_: Any, **__: Any) -> None:
            with db.engine.begin() as own_connection:
                rival.jobs_t.create(own_connection)

        event.listen(store.jobs_t, "before_create", rival_creates_it_first, once=True)
        scheduler = BackgroundScheduler()
        store.start(scheduler, "default")
        assert inspect(db.engine).has_table(JOBS_TABLE)
        assert store.get_all_jobs() == []
    finally:
        db.dispose()


def test_two_clocks_scheduling_into_one_store_keep_one_copy_of_each_job(database_factory) -> None:  # type: ignore[no-untyped-def]
    db = Database(database_factory.create("job_store_twice"))
    schedulers = [BackgroundScheduler(), BackgroundScheduler()]
    try:
        for scheduler in schedulers:
            schedule_jobs(scheduler, db)
            scheduler.start(paused=True)
        ids = [job.id for job in schedulers[0].get_jobs()]
        assert sorted(ids) == sorted({*ids}) and {job.id for job in JOBS} <= set(ids)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=False)
        db.dispose()
