"""The App Home tab: published when opened, and again whenever something on it changes."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from bot.services import Services
from handlers.admin_programs import program_line
from handlers.blocks.home import home_view
from handlers.blocks.programs import coordinator_home_blocks
from handlers.scope import workspace_session
from storage.home import load_member_home
from storage.programs import ProgramRepository

logger = logging.getLogger(__name__)


def coordinator_section(services: Services, session: Session, workspace_id: int) -> list[Block]:
    """Each program's participation, round and settings buttons: shown to coordinators only."""
    programs = ProgramRepository(session, workspace_id).all()
    return coordinator_home_blocks([program_line(services, session, workspace_id, p) for p in programs])


def refresh_home(
    services: Services, client: WebClient, team_id: str | None, enterprise_id: str | None, user_id: str
) -> None:
    """Publish the member's current App Home (call after any change it shows)."""
    coordinator = services.coordinators.is_coordinator(
        team_id or "", user_id, enterprise_id=enterprise_id, client=client
    )
    with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
        member = services.people.member(session, workspace, client, user_id)
        home = load_member_home(session, workspace.id, member)
        section = coordinator_section(services, session, workspace.id) if coordinator else None
    view = home_view(home, services.coordinators.mentions(team_id or ""), section)
    client.views_publish(user_id=user_id, view=view.to_dict())


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            refresh_home(services, client, context.team_id, context.enterprise_id, event["user"])
