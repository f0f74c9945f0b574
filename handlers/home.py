"""The App Home tab: published when opened, and again whenever something on it changes."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services import Services
from handlers.blocks.home import home_view
from handlers.scope import workspace_session
from storage.home import load_member_home

logger = logging.getLogger(__name__)


def refresh_home(
    services: Services, client: WebClient, team_id: str | None, enterprise_id: str | None, user_id: str
) -> None:
    """Publish the member's current App Home (call after any change it shows)."""
    with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
        member = services.people.member(session, workspace, client, user_id)
        home = load_member_home(session, workspace.id, member)
    view = home_view(home, services.coordinators.mentions(team_id or ""))
    client.views_publish(user_id=user_id, view=view.to_dict())


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            refresh_home(services, client, context.team_id, context.enterprise_id, event["user"])
