"""Who may run the programs in a workspace.

A coordinator is anyone in `COORDINATOR_USER_IDS`, anyone added with `/mentor admin coordinators add`,
or a workspace admin or owner (Slack's `users.info` `is_admin` / `is_owner`, cached for a few minutes
so a burst of clicks costs one Web API call).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from storage.db import Database
from storage.programs import CoordinatorRepository
from storage.repositories import WorkspaceRepository

logger = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 300.0


class Coordinators:
    def __init__(
        self,
        user_ids: tuple[str, ...] = (),
        *,
        db: Database | None = None,
        client: WebClient | None = None,
        cache_seconds: float = ADMIN_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user_ids = tuple(user_ids)
        self.db = db
        self.client = client
        self.cache_seconds = cache_seconds
        self.monotonic = monotonic
        self._admins: dict[tuple[str, str], tuple[bool, float]] = {}
        self._lock = threading.Lock()

    def stored(self, team_id: str, enterprise_id: str | None = None) -> list[str]:
        if self.db is None or not team_id:
            return []
        with self.db.session() as session:
            workspace = WorkspaceRepository(session).find(team_id, enterprise_id)
            return CoordinatorRepository(session, workspace.id).user_ids() if workspace else []

    def is_coordinator(
        self,
        team_id: str,
        user_id: str,
        *,
        enterprise_id: str | None = None,
        client: WebClient | None = None,
    ) -> bool:
        if not user_id:
            return False
        if user_id in self.user_ids or user_id in self.stored(team_id, enterprise_id):
            return True
        return self.is_workspace_admin(team_id, user_id, client)

    def is_workspace_admin(self, team_id: str, user_id: str, client: WebClient | None = None) -> bool:
        key = (team_id, user_id)
        now = self.monotonic()
        with self._lock:
            cached = self._admins.get(key)
        if cached is not None and now - cached[1] < self.cache_seconds:
            return cached[0]
        client = client or self.client
        if client is None:
            return False
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            logger.info("users.info refused for a coordinator check (%s)", error.response.get("error"))
            return False
        is_admin = bool(
            (user.get("team_id") in (None, team_id) or user.get("enterprise_user"))
            and (user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
            and not user.get("deleted")
        )
        with self._lock:
            self._admins[key] = (is_admin, now)
        return is_admin

    def mentions(self, team_id: str, enterprise_id: str | None = None) -> str:
        """Slack mentions of the coordinators, or a plain phrase when none are configured."""
        user_ids = list(dict.fromkeys((*self.user_ids, *self.stored(team_id, enterprise_id))))
        if not user_ids:
            return "your program coordinator"
        return ", ".join(f"<@{user_id}>" for user_id in user_ids)
