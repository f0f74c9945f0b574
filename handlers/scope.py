"""Opening a transaction for the workspace (and member) a request came from."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.usecases.returning import welcome_back
from bot.usecases.unit_of_work import MemberUnit
from storage.db import Database
from storage.models import Member, Workspace
from storage.repositories import WorkspaceRepository

if TYPE_CHECKING:
    from bot.services import Services


@contextmanager
def workspace_session(
    db: Database, team_id: str | None, enterprise_id: str | None
) -> Iterator[tuple[Session, Workspace]]:
    """An interactive transaction: it gives up quickly on a busy database so the person still hears back."""
    with db.session(interactive=True) as session:
        yield session, WorkspaceRepository(session).ensure(team_id or "", enterprise_id)


NOT_JOINED = (
    "You haven't joined Mentor Circles yet. `/mentor join` takes about a minute, and then this will work."
)


MemberScope = MemberUnit
"""The requesting member's unit of work (the name listeners have always used)."""


@contextmanager
def member_session(
    services: Services, client: WebClient, team_id: str | None, enterprise_id: str | None, user_id: str
) -> Iterator[MemberScope]:
    """A transaction with the requesting member (created from `users.info` on first contact)."""
    with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
        member, fetched = services.people.synced(session, workspace, client, user_id)
        unit = MemberUnit(session, workspace, member, slack_user=fetched)
        if welcome_back(unit, services.clock()):
            services.effects.refresh_homes(session, workspace.id, [user_id])
        yield unit


def has_joined(member: Member) -> bool:
    return member.has_joined
