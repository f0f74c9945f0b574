"""Programs set to publish without review start each new round on their own, when its window opens.

A round counts as started once the program has a round published on or after the window's first day, so
running this every few minutes (or twice at once) publishes each round once; introductions are claimed one
by one, so they go out once too.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from bot.domain.members import local_today
from bot.domain.programs import ProgramSettings, round_window
from bot.installations import installed_workspace_ids
from bot.services import Services
from bot.usecases.introductions import queue_introductions
from storage.models import Round, Workspace
from storage.programs import ProgramRepository
from storage.rounds import RoundRepository

logger = logging.getLogger(__name__)


def publish_due_rounds(services: Services, at: datetime) -> list[int]:
    """Publish every auto-publishing program's round whose window has opened; the new rounds' ids."""
    installed = installed_workspace_ids(services.settings, services.db)
    with services.db.session() as session:
        workspaces = [
            (w.id, w.team_id, w.enterprise_id)
            for w in session.scalars(select(Workspace).order_by(Workspace.id))
            if installed is None or w.id in installed
        ]
    published: list[int] = []
    for workspace_id, _team_id, _enterprise_id in workspaces:
        round_ids = _publish_workspace(services, workspace_id, at)
        with services.db.session() as session:
            pending = [
                r.id for rid in round_ids for r in RoundRepository(session, workspace_id).unintroduced(rid)
            ]
            queue_introductions(services.effects, session, workspace_id, pending)
        published += round_ids
    return published


def _publish_workspace(services: Services, workspace_id: int, at: datetime) -> list[int]:
    round_ids = []
    with services.db.session() as session:
        programs = ProgramRepository(session, workspace_id).all()
        today = local_today(at, services.settings.default_timezone)
        for program in programs:
            settings = ProgramSettings.from_json(program.settings)
            if not settings.auto_publish:
                continue
            window = round_window(settings, today)
            opened = datetime.combine(window.starts, datetime.min.time(), tzinfo=at.tzinfo)
            started = session.scalar(
                select(Round.id).where(
                    Round.workspace_id == workspace_id,
                    Round.program_id == program.id,
                    Round.status == "published",
                    Round.published_at >= opened,
                )
            )
            if started is not None:
                continue
            pool = services.matching.load_pool(session, workspace_id, program.id)
            if not services.matching.propose(pool, settings.kind, window.number).groups:
                continue
            round_id, _ = services.matching.preview(
                session, workspace_id, settings.kind, window.number, "auto-publish", program_id=program.id
            )
            if services.matching.publish(session, workspace_id, round_id).newly_published:
                logger.info("published round %s of program %s automatically", window.number, program.id)
                round_ids.append(round_id)
    return round_ids
