"""The clock: one tick plans what is due (and may deliver it); APScheduler runs the tick every few minutes.

The scheduler keeps its job in the app's database (`SQLAlchemyJobStore`), under a fixed id, with
`coalesce` and `max_instances=1`: a restart picks the job up again, missed runs collapse into one, and
runs never overlap in one process. Two clocks started by mistake both plan, and the outbox's unique
keys make the second plan a no-op.
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

from bot.config import Settings, load_settings
from bot.installations import installed_workspace_ids, token_source
from bot.nudges.delivery import Deliverer, DeliveryOptions, DeliveryStats, TokenSource
from bot.nudges.planner import Planner, PlanResult, Program
from bot.nudges.rounds import publish_due_rounds
from bot.presentation.nudges import render_nudge
from storage.db import Database

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

JOB_ID = "mentor_circles_plan_nudges"
JOBS_TABLE = "apscheduler_jobs"
DEFAULT_INTERVAL_MINUTES = 5


@dataclass(frozen=True)
class TickResult:
    at: datetime
    plans: list[PlanResult]
    delivery: DeliveryStats | None

    @property
    def inserted(self) -> int:
        return sum(plan.inserted for plan in self.plans)


def planner_for(settings: Settings, db: Database, program: Program | None = None) -> Planner:
    return Planner(
        db,
        default_timezone=settings.default_timezone,
        coordinators=settings.coordinator_user_ids,
        program=program,
    )


def plan_installed(planner: Planner, settings: Settings, db: Database, at: datetime) -> list[PlanResult]:
    """Plan for every workspace the app is installed in (every stored one, with a single token)."""
    workspace_ids = installed_workspace_ids(settings, db)
    if workspace_ids is None:
        return planner.plan_all(at)
    return [planner.plan_workspace(workspace_id, at) for workspace_id in workspace_ids]


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
    services: Services, *, deliver: bool = False, workers: int = 1, options: DeliveryOptions | None = None
) -> TickResult:
    """Plan everything due at the services' clock instant and, with `deliver`, send it all."""
    from bot.composition import effect_worker

    at = services.clock()
    services.retention.prune(at)
    publish_due_rounds(services, at)
    plans = plan_installed(planner_for(services.settings, services.db), services.settings, services.db, at)
    stats = deliverer_for(services, options).deliver_due(workers=workers) if deliver else None
    if deliver:
        effect_worker(services).drain()
    return TickResult(at, plans, stats)


def scheduled_plan() -> None:
    """The scheduler's job body. Referenced by name (the job store keeps a reference, not an object)."""
    from bot.composition import build_services

    settings = load_settings()
    services = build_services(settings)
    db = services.db
    try:
        services.retention.prune(datetime.now(UTC))
        publish_due_rounds(services, datetime.now(UTC))
        results = plan_installed(planner_for(settings, db), settings, db, datetime.now(UTC))
        logger.info("clock: planned %d new nudge(s)", sum(result.inserted for result in results))
    finally:
        db.dispose()


def schedule_planning(
    scheduler: BaseScheduler, db: Database, interval_minutes: float = DEFAULT_INTERVAL_MINUTES
) -> None:
    scheduler.add_jobstore(SQLAlchemyJobStore(engine=db.engine, tablename=JOBS_TABLE), "default")
    scheduler.add_job(
        "bot.nudges.clock:scheduled_plan",
        trigger=IntervalTrigger(minutes=interval_minutes),
        id=JOB_ID,
        name="plan due nudges",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(interval_minutes * 60),
        next_run_time=datetime.now(UTC),
    )


def run_clock(db: Database, interval_minutes: float = DEFAULT_INTERVAL_MINUTES) -> None:
    """Block, planning every `interval_minutes` (and once right away)."""
    scheduler = BlockingScheduler(timezone=UTC)
    schedule_planning(scheduler, db, interval_minutes)
    logger.info("clock: planning nudges every %s minute(s)", interval_minutes)
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
        schedule_planning(scheduler, services.db, interval_minutes)
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
