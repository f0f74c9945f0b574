"""Programs set to publish without review start each new round on their own, when its window opens.

The clock calls this every few minutes; each workspace's rounds are published, with their introductions
queued, by the same use case coordinators publish with (`Rounds.publish_due`), which publishes each round
once however often (or from however many clocks) it runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.installations import installed_workspace_ids
from storage.models import Workspace

if TYPE_CHECKING:
    from bot.services import Services


def publish_due_rounds(services: Services, at: datetime) -> list[int]:
    """Publish every auto-publishing program's round whose window has opened; the new rounds' ids."""
    installed = installed_workspace_ids(services.settings, services.db)
    with services.db.session() as session:
        workspace_ids = [
            workspace_id
            for workspace_id in session.scalars(select(Workspace.id).order_by(Workspace.id))
            if installed is None or workspace_id in installed
        ]
    return [
        round_id
        for workspace_id in workspace_ids
        for round_id in services.rounds.publish_due(workspace_id, at)
    ]
