"""The App Home tab: queued for publishing when opened, and again whenever something on it changes.

Publishing happens on an effect worker (`bot.effects`), never on a listener thread; a refresh that
cannot even be queued is logged and dropped: the change it follows was already saved and answered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from slack_bolt import App, BoltContext
from sqlalchemy.exc import SQLAlchemyError

from bot.services import Services
from handlers.routing import Routers
from handlers.scope import workspace_session

logger = logging.getLogger(__name__)


def refresh_homes(
    services: Services, team_id: str | None, enterprise_id: str | None, user_ids: Iterable[str]
) -> None:
    """Queue a refresh of these members' App Homes (coalesced per member)."""
    try:
        with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
            services.effects.refresh_homes(session, workspace.id, user_ids)
    except SQLAlchemyError as error:
        logger.warning("could not queue an App Home refresh (%s)", type(error).__name__)


def refresh_home(services: Services, team_id: str | None, enterprise_id: str | None, user_id: str) -> None:
    refresh_homes(services, team_id, enterprise_id, [user_id])


def register(app: App, services: Services, routers: Routers) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab", "home") == "home" and isinstance(event.get("user"), str):
            refresh_home(services, context.team_id, context.enterprise_id, event["user"])
