"""Repositories. A workspace-scoped repository is built for one workspace and filters every query by it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain.members import ProfileDraft
from bot.domain.members.state import MemberStatus
from storage.models import Base, Member, MemberAvoid, Workspace


def insert_ignoring_duplicates(
    session: Session, model: type[Base], values: dict[str, Any], keys: list[str]
) -> None:
    """INSERT ... ON CONFLICT DO NOTHING on the unique `keys`: safe when two requests race to create a row."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(model).values(**values).on_conflict_do_nothing(index_elements=keys))


class WorkspaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, team_id: str, enterprise_id: str | None = None) -> Workspace | None:
        return self.session.scalar(
            select(Workspace).where(
                Workspace.team_id == team_id, Workspace.enterprise_id == (enterprise_id or "")
            )
        )

    def ensure(self, team_id: str, enterprise_id: str | None = None, name: str = "") -> Workspace:
        workspace = self.find(team_id, enterprise_id)
        if workspace is None:
            insert_ignoring_duplicates(
                self.session,
                Workspace,
                {"team_id": team_id, "enterprise_id": enterprise_id or "", "name": name},
                ["enterprise_id", "team_id"],
            )
            workspace = self.find(team_id, enterprise_id)
            assert workspace is not None
        if name and workspace.name != name:
            workspace.name = name
        return workspace


class MemberRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def find(self, slack_user_id: str) -> Member | None:
        return self.session.scalar(
            select(Member).where(
                Member.workspace_id == self.workspace_id, Member.slack_user_id == slack_user_id
            )
        )

    def ensure(self, slack_user_id: str, *, display_name: str = "", tz: str | None = None) -> Member:
        member = self.find(slack_user_id)
        if member is None:
            insert_ignoring_duplicates(
                self.session,
                Member,
                {
                    "workspace_id": self.workspace_id,
                    "slack_user_id": slack_user_id,
                    "display_name": display_name,
                    "tz": tz,
                },
                ["workspace_id", "slack_user_id"],
            )
            member = self.find(slack_user_id)
            assert member is not None
        if display_name and member.display_name != display_name:
            member.display_name = display_name
        if tz and member.tz != tz:
            member.tz = tz
        return member

    def all(self) -> list[Member]:
        return list(
            self.session.scalars(
                select(Member).where(Member.workspace_id == self.workspace_id).order_by(Member.slack_user_id)
            )
        )

    def count(self) -> int:
        return self.session.scalar(select(func.count()).where(Member.workspace_id == self.workspace_id)) or 0


class ProfileRepository:
    """Sign-up profiles and the confidential avoid lists, for one workspace."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def avoided_user_ids(self, member_id: int) -> tuple[str, ...]:
        rows = self.session.scalars(
            select(MemberAvoid.avoided_user_id)
            .where(MemberAvoid.workspace_id == self.workspace_id, MemberAvoid.member_id == member_id)
            .order_by(MemberAvoid.id)
        )
        return tuple(rows)

    def profile(self, member: Member) -> ProfileDraft:
        return ProfileDraft(
            roles=tuple(member.roles or ()),
            stage=member.stage,
            specialty=member.specialty,
            specialty_other=member.specialty_other,
            track=member.track,
            needs=tuple(member.needs or ()),
            offers=tuple(member.offers or ()),
            frequency=member.frequency,
            capacity=member.capacity,
            tz=member.tz,
            site=member.site,
            avoid_user_ids=self.avoided_user_ids(member.id),
            call_days=tuple(member.call_days or ()),
        )

    def save(self, member: Member, draft: ProfileDraft, now: datetime) -> bool:
        """Store a validated profile; True when this is the member's first sign-up."""
        first = member.joined_at is None
        member.roles, member.stage, member.specialty = list(draft.roles), draft.stage, draft.specialty
        member.specialty_other, member.track = draft.specialty_other, draft.track
        member.needs, member.offers = list(draft.needs), list(draft.offers)
        member.frequency, member.capacity, member.site = draft.frequency, draft.capacity, draft.site
        member.call_days = list(draft.call_days) or None
        if draft.tz and draft.tz != member.tz:
            member.tz, member.tz_source = draft.tz, "member"
        if first or member.status == MemberStatus.LEFT:
            member.joined_at, member.status, member.paused_until = now, MemberStatus.ACTIVE, None
        self.session.execute(
            delete(MemberAvoid).where(
                MemberAvoid.workspace_id == self.workspace_id, MemberAvoid.member_id == member.id
            )
        )
        for user_id in draft.avoid_user_ids:
            self.session.add(
                MemberAvoid(workspace_id=self.workspace_id, member_id=member.id, avoided_user_id=user_id)
            )
        return first

    def joined(self, statuses: tuple[MemberStatus, ...] = (MemberStatus.ACTIVE,)) -> list[Member]:
        return list(
            self.session.scalars(
                select(Member)
                .where(
                    Member.workspace_id == self.workspace_id,
                    Member.joined_at.is_not(None),
                    Member.status.in_(statuses),
                )
                .order_by(Member.id)
            )
        )
