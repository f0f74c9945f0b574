"""Test set-up for member features: joined members and their circles or mentorships, stored directly.

The sign-up flow itself is tested through the modal (test_profile.py); other tests start from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.domain.members import ProfileDraft
from bot.sandbox import User, UserSession
from bot.sandbox.client import SentRequest
from bot.sandbox.payloads import find_element
from storage.models import Member
from storage.relationships import RelationshipRepository
from storage.repositories import MemberRepository, ProfileRepository, WorkspaceRepository
from tests.e2e.conftest import RunningApp

PEER = ProfileDraft(
    roles=("peer", "mentee"),
    stage="PGY-2",
    specialty="internal-medicine",
    track="academic",
    needs=("research",),
    frequency="monthly",
    tz="America/Chicago",
)
MENTOR = ProfileDraft(
    roles=("mentor",),
    stage="faculty",
    specialty="internal-medicine",
    track="academic",
    offers=("research", "education"),
    frequency="monthly",
    capacity=2,
    tz="America/New_York",
)


def join(running_app: RunningApp, user: User, profile: ProfileDraft = PEER, workspace=None) -> int:
    team = workspace or running_app.workspace
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(team.team_id, team.enterprise_id)
        member = MemberRepository(session, space.id).ensure(user.id, display_name=user.real_name or user.name)
        ProfileRepository(session, space.id).save(member, profile, datetime.now(UTC))
        return member.id


def relate(running_app: RunningApp, kind: str, people: Sequence[tuple[User, str]], label: str = "") -> int:
    """A circle (roles 'peer') or a mentorship (roles 'mentee'/'mentor') between joined members."""
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        members = MemberRepository(session, space.id)
        links = [(members.find(user.id).id, role) for user, role in people]
        return RelationshipRepository(session, space.id).create(kind, links, label=label).id


def member_row(running_app: RunningApp, user: User) -> Member:
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        return MemberRepository(session, space.id).find(user.id)


SHAPING_ANSWERS = ("roles", "specialty")
"""The profile modal's answers that rebuild it (dispatch_action inputs), in the order a person meets them."""


def fill_profile(session: UserSession, values: dict[str, Any]) -> SentRequest:
    """Answer the open profile modal as a person does in Slack, then submit it: each answer that reshapes
    the modal first (`reshape_profile`), then the rest."""
    reshape_profile(session, values)
    return session.view_submission(values=values)


def reshape_profile(session: UserSession, values: dict[str, Any]) -> None:
    """Give the open modal's answers that reshape it, one by one: each one's `block_actions`, then the
    rebuilt modal awaited."""
    for action_id in SHAPING_ANSWERS:
        modal = session.current_modal()
        if action_id not in values or not find_element(modal.payload["blocks"], action_id):
            continue
        before = modal.hash
        assert session.view_action(modal, action_id, values[action_id]).status == 200
        rebuilt = session.state.feed.wait_until(lambda modal=modal, before=before: modal.hash != before, 5)
        assert rebuilt, "the modal was not rebuilt"
