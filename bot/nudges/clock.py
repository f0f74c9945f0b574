"""The clock: APScheduler runs the jobs in `bot.nudges.jobs` (publish rounds, plan nudges, plan digests,
tell coordinators) and a retention sweep, each on its own interval; a tick runs them all at one instant.

The scheduler keeps its jobs in the app's database (`SQLAlchemyJobStore`) under fixed ids, with
`coalesce`, `max_instances=1` and a misfire grace per job: a restart picks them up again, missed runs
collapse into one, and runs never overlap in one process. Two clocks started by mistake both run every
job, which is harmless: each job does its work exactly once however many run it at the same moment
(program locks for rounds, unique keys for nudges and notices).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.config import load_settings
from bot.effects.worker import EffectOptions
from bot.installations import token_source
from bot.nudges.delivery import Deliverer, DeliveryOptions, DeliveryStats, TokenSource
from bot.nudges.jobs import JOB_BY_ID, JOBS, TICK_JOBS, JobRun, run_job
from bot.presentation.nudges import render_nudge
from storage.db import Database
from storage.migrate import SCHEDULER_TABLES

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

JOBS_TABLE = next(iter(SCHEDULER_TABLES))
RETENTION_JOB_ID = "mentor_circles_retention"
RETENTION_INTERVAL_MINUTES = 6 * 60
DEFAULT_INTERVAL_MINUTES = 5
"""How often the most frequent jobs (rounds, nudges) run; the others keep their ratio to it."""


@dataclass(frozen=True)
class TickResult:
    at: datetime
    runs: list[JobRun]
    delivery: DeliveryStats | None

    @property
    def inserted(self) -> int:
        """New nudges (including digests and coordinators' notices) planned by this tick."""
        return sum(run.done for run in self.runs if run.job != "mentor_circles_publish_rounds")

    @property
    def failures(self) -> list[tuple[str, int]]:
        """(job, workspace id) of each workspace whose work failed in this tick."""
        return [(run.job, workspace_id) for run in self.runs for workspace_id in run.failed]


def deliverer_for(
    services: Services, options: DeliveryOptions | None = None, tokens: TokenSource | None = None
) -> Deliverer:
    settings = services.settings
    return Deliverer(
        services.db,
        api_url=settings.slack_api_url,
        tokens=tokens or token_source(settings, services.db),
        render=render_nudge,
        clock=services.clock,
        options=options,
        default_timezone=settings.default_timezone,
    )


def tick(
    services: Services,
    *,
    deliver: bool = False,
    workers: int = 1,
    options: DeliveryOptions | None = None,
    effects: EffectOptions | None = None,
) -> TickResult:
    """Run every job at the services' clock instant and, with `deliver`, send all that is due (nudges,
    then queued effects, paced by `effects` when given)."""
    from bot.composition import effect_worker

    at = services.clock()
    services.retention.prune(at)
    runs = [run_job(services, job, at) for job in TICK_JOBS]
    stats = deliverer_for(services, options).deliver_due(workers=workers) if deliver else None
    if deliver:
        effect_worker(services, effects).drain()
    return TickResult(at, runs, stats)


def scheduled_job(job_id: str) -> None:
    """A scheduled run of one job. Referenced by name (the job store keeps a reference, not an object)."""
    from bot.composition import build_services

    services = build_services(load_settings())
    try:
        now = datetime.now(UTC)
        if job_id == RETENTION_JOB_ID:
            services.retention.prune(now)
            return
        run = run_job(services, JOB_BY_ID[job_id], now)
        logger.info("clock: %s did %d; %d workspace(s) failed", job_id, run.done, len(run.failed))
    finally:
        services.db.dispose()


class SharedJobStore(SQLAlchemyJobStore):
    """The job store, for clocks that may start at the same moment.

    APScheduler creates its table with check-then-create; two clocks starting together both see no
    table and the slower one's CREATE fails. The table the other clock made is the one wanted.
    """

    def start(self, scheduler: BaseScheduler, alias: str) -> None:
        try:
            super().start(scheduler, alias)
        except (OperationalError, ProgrammingError):
            if not inspect(self.engine).has_table(self.jobs_t.name):
                raise


def schedule_jobs(
    scheduler: BaseScheduler, db: Database, interval_minutes: float = DEFAULT_INTERVAL_MINUTES
) -> None:
    """Add every job to the scheduler's database job store (replacing what an earlier start left)."""
    scheduler.add_jobstore(SharedJobStore(engine=db.engine, tablename=JOBS_TABLE), "default")
    scale = interval_minutes / DEFAULT_INTERVAL_MINUTES
    plan = [(job.id, job.name, job.interval_minutes, job.misfire_grace_seconds) for job in JOBS]
    plan.append(
        (RETENTION_JOB_ID, "forget what is past its retention", RETENTION_INTERVAL_MINUTES, 24 * 3600)
    )
    for job_id, name, minutes, grace in plan:
        scheduler.add_job(
            "bot.nudges.clock:scheduled_job",
            args=[job_id],
            trigger=IntervalTrigger(minutes=minutes * scale),
            id=job_id,
            name=name,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=max(int(grace * scale), 1),
            next_run_time=datetime.now(UTC),
        )


def run_clock(db: Database, interval_minutes: float = DEFAULT_INTERVAL_MINUTES) -> None:
    """Block, running each job on its interval (and every one once right away)."""
    scheduler = BlockingScheduler(timezone=UTC)
    schedule_jobs(scheduler, db, interval_minutes)
    logger.info("clock: %d jobs, the most frequent every %s minute(s)", len(JOBS) + 1, interval_minutes)
    scheduler.start()


@dataclass
class InProcessClock:
    """`--with-clock`: the scheduler and one delivery worker on background threads of a serving process."""

    scheduler: BackgroundScheduler
    stop_delivery: threading.Event
    delivery_thread: threading.Thread

    @classmethod
    def start(cls, services: Services, interval_minutes: float = DEFAULT_INTERVAL_MINUTES) -> InProcessClock:
        scheduler = BackgroundScheduler(timezone=UTC)
        schedule_jobs(scheduler, services.db, interval_minutes)
        scheduler.start()
        stop = threading.Event()
        deliverer = deliverer_for(services)
        thread = threading.Thread(target=deliverer.run, args=(stop, 1), name="nudge-delivery", daemon=True)
        thread.start()
        return cls(scheduler, stop, thread)

    def stop(self) -> None:
        self.scheduler.shutdown(wait=False)
        self.stop_delivery.set()
        self.delivery_thread.join(timeout=10)
