"""The clock's jobs: each one runs for every installed workspace on its own, so one workspace's failure
is logged, counted and retried on the next run without stopping any other workspace's work.

Every job is safe to run from several ticks or clocks at once: rounds are published under the program's
lock, nudges, digests and notices are stored under unique keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.installations import installed_workspace_ids
from bot.nudges.planner import Planner
from storage.models import Workspace

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

DIGEST_KINDS = frozenset({"mentor_digest", "coordinator_digest"})

WorkspaceWork = Callable[["Services", int, datetime], int]
"""A job's work for one workspace at an instant: how many things it did (rounds, nudges, notices)."""


@dataclass(frozen=True)
class ClockJob:
    id: str
    name: str
    interval_minutes: float
    misfire_grace_seconds: int
    """How late a run may still start after the clock was down; later ones are skipped (and coalesced)."""
    work: WorkspaceWork


@dataclass
class JobRun:
    job: str
    done: int = 0
    workspaces: list[int] = field(default_factory=list)
    """Ids of the workspaces the job ran for."""
    failed: list[int] = field(default_factory=list)
    """Ids of the workspaces whose work failed this run (retried next run)."""


def _planner(services: Services) -> Planner:
    settings = services.settings
    return Planner(
        services.db, default_timezone=settings.default_timezone, coordinators=settings.coordinator_user_ids
    )


def publish_rounds(services: Services, workspace_id: int, at: datetime) -> int:
    return len(services.rounds.publish_due(workspace_id, at))


def plan_nudges(services: Services, workspace_id: int, at: datetime) -> int:
    from bot.domain.nudges.model import KINDS

    kinds = frozenset(KINDS) - DIGEST_KINDS
    return _planner(services).plan_workspace(workspace_id, at, kinds).inserted


def plan_digests(services: Services, workspace_id: int, at: datetime) -> int:
    return _planner(services).plan_workspace(workspace_id, at, DIGEST_KINDS).inserted


def plan_all(services: Services, workspace_id: int, at: datetime) -> int:
    return _planner(services).plan_workspace(workspace_id, at).inserted


def tell_coordinators(services: Services, workspace_id: int, at: datetime) -> int:
    services.notices.look(workspace_id, at)
    return services.notices.plan(workspace_id, at)


def expire_choices(services: Services, workspace_id: int, at: datetime) -> int:
    return services.mentor_choice.expire_due(workspace_id, at)


JOBS: tuple[ClockJob, ...] = (
    ClockJob("mentor_circles_publish_rounds", "publish due rounds", 5, 30 * 60, publish_rounds),
    ClockJob("mentor_circles_plan_nudges", "plan due nudges", 5, 5 * 60, plan_nudges),
    ClockJob("mentor_circles_plan_digests", "plan weekly digests", 30, 6 * 3600, plan_digests),
    ClockJob("mentor_circles_notices", "notices for coordinators", 15, 3600, tell_coordinators),
    ClockJob("mentor_circles_choices", "lapse mentors' unanswered choices", 15, 3600, expire_choices),
)
"""The scheduled jobs, in the order a tick runs them: a round published first is introduced, nudged and
noticed in the same tick."""
JOB_BY_ID = {job.id: job for job in JOBS}
TICK_JOBS: tuple[ClockJob, ...] = (
    JOBS[0],
    ClockJob("mentor_circles_plan_all", "plan due nudges and digests", 5, 5 * 60, plan_all),
    JOBS[3],
    JOBS[4],
)
"""What a tick runs at one instant: the two planning jobs as one, so the workspace is read once."""


def workspace_ids(services: Services) -> list[int]:
    """Every workspace the app is installed in (every stored one, with a single token)."""
    installed = installed_workspace_ids(services.settings, services.db)
    if installed is not None:
        return sorted(installed)
    with services.db.session() as session:
        return list(session.scalars(select(Workspace.id).order_by(Workspace.id)))


def run_job(services: Services, job: ClockJob, at: datetime) -> JobRun:
    """Run the job for each workspace in turn; a workspace that fails is logged with its id and skipped."""
    run = JobRun(job.id)
    for workspace_id in workspace_ids(services):
        run.workspaces.append(workspace_id)
        try:
            run.done += job.work(services, workspace_id, at)
        except Exception:
            logger.exception(
                "%s: workspace %s failed; it is tried again on the next run", job.name, workspace_id
            )
            run.failed.append(workspace_id)
    return run
