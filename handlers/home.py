"""The App Home tab, published when a member opens it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.services import Services
from handlers.blocks.home import home_view
from storage.repositories import MemberRepository, WorkspaceRepository

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        profile = client.users_info(user=user_id)["user"]
        display_name = profile.get("profile", {}).get("display_name") or profile.get("real_name") or ""
        with services.db.session() as session:
            workspace = WorkspaceRepository(session).ensure(body["team_id"], body.get("enterprise_id"))
            MemberRepository(session, workspace.id).ensure(
                user_id, display_name=display_name, tz=profile.get("tz")
            )
        view = home_view(display_name, services.settings.coordinator_user_ids)
        client.views_publish(user_id=user_id, view=view.to_dict())
