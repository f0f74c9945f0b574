"""Members as Slack knows them: names and time zones from `users.info`, cached on the member row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from storage.models import Member, Workspace
from storage.repositories import MemberRepository

PROFILE_TTL = timedelta(hours=12)


class UnknownUser(Exception):
    """Slack does not know this user in this workspace (or they are deactivated or a bot)."""


def slack_display_name(user: dict) -> str:
    profile = user.get("profile") or {}
    return (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or ""
    )


class People:
    def __init__(self, clock: Callable[[], datetime], ttl: timedelta = PROFILE_TTL) -> None:
        self.clock = clock
        self.ttl = ttl

    def member(self, session: Session, workspace: Workspace, client: WebClient, user_id: str) -> Member:
        """The member row for a Slack user, refreshed from `users.info` when the cache is stale."""
        return self.synced(session, workspace, client, user_id)[0]

    def synced(
        self, session: Session, workspace: Workspace, client: WebClient, user_id: str
    ) -> tuple[Member, dict | None]:
        """The member row, and the `users.info` user when this call had to read it (None from the cache)."""
        members = MemberRepository(session, workspace.id)
        member = members.find(user_id)
        now = self.clock()
        if (
            member is not None
            and member.slack_synced_at is not None
            and now - member.slack_synced_at < self.ttl
        ):
            return member, None
        user = self.lookup(client, user_id)
        member = members.ensure(user_id, display_name=slack_display_name(user))
        if member.tz_source != "member" and user.get("tz"):
            member.tz = user["tz"]
        member.slack_synced_at = now
        return member, user

    def title(self, client: WebClient, user_id: str, fetched: dict | None) -> str:
        """The profile title (`user.profile.title`) from the `users.info` user already `fetched` this
        request, else read now; empty when Slack cannot say just now (a pre-fill is not worth a failure)."""
        try:
            user = fetched if fetched is not None else self.lookup(client, user_id)
        except (SlackApiError, UnknownUser):
            return ""
        return str((user.get("profile") or {}).get("title") or "")

    def lookup(self, client: WebClient, user_id: str) -> dict:
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if error.response.get("error") in ("user_not_found", "user_not_visible"):
                raise UnknownUser(user_id) from None
            raise
        if user.get("deleted") or user.get("is_bot"):
            raise UnknownUser(user_id)
        return user
