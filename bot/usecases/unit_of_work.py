"""A unit of work: one transaction, the workspace it is for, and that workspace's repositories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from storage.db import Database
from storage.goals import GoalRepository
from storage.meetings import MeetingRepository
from storage.models import Member, Workspace
from storage.outbox import OutboxRepository
from storage.programs import AuditLog, ProgramRepository
from storage.relationships import RelationshipRepository
from storage.repositories import MemberRepository, WorkspaceRepository
from storage.rounds import RoundRepository


@dataclass
class UnitOfWork:
    session: Session
    workspace: Workspace

    @property
    def workspace_id(self) -> int:
        return self.workspace.id

    @cached_property
    def members(self) -> MemberRepository:
        return MemberRepository(self.session, self.workspace.id)

    @cached_property
    def goals(self) -> GoalRepository:
        return GoalRepository(self.session, self.workspace.id)

    @cached_property
    def programs(self) -> ProgramRepository:
        return ProgramRepository(self.session, self.workspace.id)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session, self.workspace.id)

    @cached_property
    def meetings(self) -> MeetingRepository:
        return MeetingRepository(self.session, self.workspace.id)

    @cached_property
    def relationships(self) -> RelationshipRepository:
        return RelationshipRepository(self.session, self.workspace.id)

    @cached_property
    def rounds(self) -> RoundRepository:
        return RoundRepository(self.session, self.workspace.id)

    @cached_property
    def audit_log(self) -> AuditLog:
        return AuditLog(self.session, self.workspace.id)


@dataclass
class MemberUnit(UnitOfWork):
    """A unit of work for the member who made the request (their row created on first contact)."""

    member: Member
    welcomed_back: bool = False
    """Set when this request ended a pause the app had put the member on for not answering."""
    slack_user: dict[str, Any] | None = None
    """The `users.info` user when this request read it (the member's cached row was stale), else None."""


@contextmanager
def unit_of_work(
    db: Database, team_id: str | None, enterprise_id: str | None, *, interactive: bool = True
) -> Iterator[UnitOfWork]:
    """A transaction for one workspace: committed when the block ends, rolled back on any error.

    `interactive` ones (a person is waiting on the reply) give up on a locked or slow database after a
    short statement timeout, so the listener can still answer within Slack's three seconds.
    """
    with db.session(interactive=interactive) as session:
        yield UnitOfWork(session, WorkspaceRepository(session).ensure(team_id or "", enterprise_id))


@contextmanager
def workspace_unit(db: Database, workspace_id: int) -> Iterator[UnitOfWork]:
    """A background transaction for a workspace known by its row id (workers)."""
    with db.session() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            raise LookupError(f"workspace {workspace_id} is gone")
        yield UnitOfWork(session, workspace)
