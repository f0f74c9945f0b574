"""What a member's App Home shows, read in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.calendar import local_day, next_check_in
from bot.domain.members import ProfileDraft, profile_summary_lines
from bot.domain.vocabulary import FREQUENCY_CADENCE_DAYS
from storage.goals import GoalRepository
from storage.meetings import MeetingRepository
from storage.models import Goal, Meeting, MeetingAttendee, Member
from storage.relationships import RelationshipRepository
from storage.repositories import ProfileRepository


@dataclass(frozen=True)
class GoalLine:
    number: int
    text: str
    due_on: date | None
    domain: str | None


@dataclass(frozen=True)
class PersonGoals:
    user_id: str
    goals: tuple[GoalLine, ...]


@dataclass(frozen=True)
class RelationshipLine:
    id: int
    kind: str
    label: str
    my_role: str
    others: tuple[tuple[str, str], ...]
    """(Slack user id, role) of everyone else in it."""
    last_met: date | None
    """The last meeting logged for this circle or mentorship (not any meeting of the member's)."""
    next_due: date | None
    """The next day it is expected to meet, on or after today: what its reminder and check-in go by."""
    shared_goals: tuple[PersonGoals, ...] = ()
    """Mentees' open goals (for their mentors) or circle-mates' shared goals."""


@dataclass(frozen=True)
class MemberHome:
    user_id: str
    joined: bool
    status: str
    paused_until: date | None
    profile: ProfileDraft
    summary: tuple[str, ...]
    goals: tuple[GoalLine, ...]
    relationships: tuple[RelationshipLine, ...] = field(default_factory=tuple)
    last_meeting: date | None = None
    """The member's latest meeting outside the circles and mentorships shown (with someone else, or
    an earlier round's group); None when there is none."""


def goal_line(goal: Goal) -> GoalLine:
    return GoalLine(goal.number, goal.text, goal.due_on, goal.domain)


def cadence_days(member: Member, relationship_cadence: int | None) -> int:
    return relationship_cadence or FREQUENCY_CADENCE_DAYS.get(member.frequency or "monthly", 30)


def load_member_home(
    session: Session, workspace_id: int, member: Member, today: date, zone: str
) -> MemberHome:
    """`today` is the member's own date; `zone` is the workspace's, which relationships' start days
    (their first check-in's anchor, as the nudge planner reads them) are counted in."""
    profiles = ProfileRepository(session, workspace_id)
    goals = GoalRepository(session, workspace_id)
    meetings = MeetingRepository(session, workspace_id)
    profile = profiles.profile(member)
    lines: list[RelationshipLine] = []
    for relationship in RelationshipRepository(session, workspace_id).active_for(member.id):
        mine = next(link for link in relationship.members if link.member_id == member.id)
        others = [link for link in relationship.members if link.member_id != member.id]
        last = meetings.last_for_relationship(relationship.id)
        last_met = last.held_on if last else None
        start = last_met or local_day(relationship.created_at, zone)
        joined = [link.member for link in relationship.members if link.member.joined_at is not None]
        cadence = cadence_days(joined[0] if joined else member, relationship.cadence_days)
        if mine.role == "mentor":
            visible = [link for link in others if link.role == "mentee"]
            statuses, only_shared = ("open",), False
        else:
            visible = [link for link in others if link.role in ("peer", "mentee")]
            statuses, only_shared = ("open",), True
        shared = []
        for link in visible:
            owned = [
                goal_line(g)
                for g in goals.for_member(link.member_id, statuses)
                if g.shared or not only_shared
            ]
            if owned:
                shared.append(PersonGoals(link.member.slack_user_id, tuple(owned)))
        lines.append(
            RelationshipLine(
                id=relationship.id,
                kind=relationship.kind,
                label=relationship.label,
                my_role=mine.role,
                others=tuple((link.member.slack_user_id, link.role) for link in others),
                last_met=last_met,
                next_due=next_check_in(start, cadence, today),
                shared_goals=tuple(shared),
            )
        )
    shown = [line.id for line in lines]
    elsewhere = session.scalar(
        select(Meeting.held_on)
        .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
        .where(
            Meeting.workspace_id == workspace_id,
            MeetingAttendee.member_id == member.id,
            Meeting.relationship_id.is_(None) | Meeting.relationship_id.not_in(shown),
        )
        .order_by(Meeting.held_on.desc())
        .limit(1)
    )
    return MemberHome(
        user_id=member.slack_user_id,
        joined=member.has_joined,
        status=member.status,
        paused_until=member.paused_until,
        profile=profile,
        summary=tuple(profile_summary_lines(profile)),
        goals=tuple(goal_line(g) for g in goals.for_member(member.id, ("open",))),
        relationships=tuple(lines),
        last_meeting=elsewhere,
    )
