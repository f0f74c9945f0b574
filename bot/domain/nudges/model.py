"""What the nudge policy reads (snapshots of a workspace at an instant) and what it plans.

Pure data: the planner (`bot/nudges/planner.py`) builds the snapshots from storage, the policy
(`bot/domain/nudges/policy.py`) turns them into `PlannedNudge`s, the outbox stores each one once (by
`key`), and the delivery worker renders `payload` (see `PAYLOADS`) with `bot/presentation/nudges.py`.
All datetimes are timezone-aware UTC; dates are the member's local calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

KINDS = (
    "meeting_reminder",
    "did_you_meet",
    "goal_checkin",
    "mentor_digest",
    "stalled",
    "stalled_coordinator",
    "paused_notice",
    "coordinator_digest",
    "coordinator_notices",
    "round_feedback",
    "meeting_agenda",
    "combined",
)

PAYLOADS: dict[str, str] = {
    "meeting_reminder": '{"relationship_id", "relationship_kind", "label", "others": [user ids], "expected_on", "last_met_on"|null}',
    "did_you_meet": '{"relationship_id", "relationship_kind", "label", "others", "expected_on"}',
    "goal_checkin": '{"goals": [{"id", "number", "text"}]}',
    "mentor_digest": '{"since", "mentees": [{"user_id", "goal_updates": [{"number", "text", "kind", "on"}] newest first, "meetings": [dates] newest first}]}',
    "stalled": '{"relationship_id", "relationship_kind", "others", "reason": "no_meeting"|"not_yet"|"goals_untouched", "last_met_on"|null}',
    "stalled_coordinator": '{"relationship_id", "relationship_kind", "members": [user ids], "reason", "last_met_on"|null}',
    "paused_notice": '{"unanswered": int, "silent_days": int}',
    "coordinator_digest": '{"week_of", "participants", "active", "paused", "left", "meetings_logged", "did_you_meet_asked", "did_you_meet_yes", "goals_set", "goals_done", "stalled", "dead_letters"}',
    "coordinator_notices": '{"notices": [{"id", "kind": NoticeKind, "facts": {"program", ...counts}}]}',
    "round_feedback": '{"program_id", "program", "round", "round_starts", "last_day"}',
    "combined": '{"day"}; delivery adds "parts": [{"kind", "payload"}], read from the rows merged into it',
    "meeting_agenda": '{"channel", "relationship_id", "relationship_kind", "label", "members", "mentors", "expected_on", "stage": "first"|"mid"|"last", "goals": [{"user_id", "number", "text"}], "needs": [domain keys]}',
}
"""Each kind's payload fields (JSON-safe: dates as ISO strings), the contract between policy and renderer."""


@dataclass(frozen=True)
class Schedule:
    """When a member may be nudged, in their own time zone."""

    send_hour: int = 9
    weekdays_only: bool = True
    quiet_start: int = 20
    """Quiet hours start (local hour, inclusive) ..."""
    quiet_end: int = 8
    """... and end (local hour, exclusive); they may wrap past midnight."""


@dataclass(frozen=True)
class MemberSnapshot:
    user_id: str
    tz: str
    status: str
    """active | paused | left (left members never get a nudge)."""
    paused_until: date | None
    roles: tuple[str, ...]
    frequency_days: int
    joined_on: date
    schedule: Schedule = field(default_factory=Schedule)
    weekly_budget: int = 2
    """At most this many nudge DMs in one local week (their program's `weekly_nudge_budget`)."""
    needs: tuple[str, ...] = ()
    """What they would like guidance on (domain keys from their profile), for meeting agendas."""
    unanswered_checkins: tuple[datetime, ...] = ()
    """When each check-in (goal_checkin, did_you_meet) delivered since the member last answered any nudge
    was sent, oldest first, one per day: what `is_non_responder` decides by."""


@dataclass(frozen=True)
class RelationshipSnapshot:
    id: int
    kind: str
    """circle | mentorship"""
    members: tuple[tuple[str, str], ...]
    """(user id, role): role is peer, mentee or mentor."""
    cadence_days: int
    started_on: date
    last_met_on: date | None
    not_yet_count: int = 0
    """"Not yet" answers to "did you meet?" since the last logged meeting."""
    label: str = ""
    started_at: datetime | None = None
    """When the match was made: a mentor's update leaves out what happened before it."""
    program_id: int | None = None
    """The program it belongs to (`WorkspaceSnapshot.programs`); None when its rounds are unknown."""
    planned_at: datetime | None = None
    """When its latest planned meeting (found with "find a time") starts; "did you meet?" waits for it."""
    channel: str | None = None
    """Its group DM, once the introduction was posted there (meeting agendas go to it)."""


@dataclass(frozen=True)
class ProgramCalendar:
    """A running program's rounds and who takes part in it now, for its end-of-round feedback."""

    id: int
    name: str
    round_months: int
    year_start: tuple[int, int]
    participants: frozenset[str] = frozenset()
    """Slack user ids of the members taking part (not those who left it)."""


@dataclass(frozen=True)
class GoalSnapshot:
    id: int
    user_id: str
    number: int
    text: str
    status: str
    last_touched_on: date
    """The day it was created or last checked in on."""
    shared: bool = False
    """Shared with the member's circle: only shared goals appear in a circle's agenda."""
    domain: str | None = None


@dataclass(frozen=True)
class GoalEvent:
    """A goal check-in, for mentor digests."""

    user_id: str
    number: int
    text: str
    kind: str
    at: datetime


@dataclass(frozen=True)
class MeetingEvent:
    user_ids: tuple[str, ...]
    held_on: date
    logged_at: datetime


@dataclass(frozen=True)
class ParticipationCounts:
    """Workspace-wide numbers for the coordinator digest (counts only, never text).

    The activity counts are those of the digest week starting `week_of` (a Monday in the workspace's
    calendar zone), counted as the all-programs report counts them; the participants are as of now.
    """

    week_of: date | None = None
    participants: int = 0
    active: int = 0
    paused: int = 0
    left: int = 0
    meetings_logged: int = 0
    did_you_meet_asked: int = 0
    did_you_meet_yes: int = 0
    goals_set: int = 0
    goals_done: int = 0
    dead_letters: int = 0


@dataclass(frozen=True)
class WorkspaceSnapshot:
    members: tuple[MemberSnapshot, ...]
    relationships: tuple[RelationshipSnapshot, ...] = ()
    goals: tuple[GoalSnapshot, ...] = ()
    goal_events: tuple[GoalEvent, ...] = ()
    """Check-ins from the last 8 days (enough for a weekly digest)."""
    meeting_events: tuple[MeetingEvent, ...] = ()
    """Meetings logged in the last 8 days."""
    coordinators: tuple[str, ...] = ()
    coordinator_schedule: Schedule = field(default_factory=Schedule)
    flag_stalled_to_coordinators: bool = False
    counts: ParticipationCounts | None = field(default_factory=ParticipationCounts)
    """Last week's participation, for the coordinator digest; None when every coordinator's digest for
    that week is already planned, so the week need not be counted again."""
    programs: tuple[ProgramCalendar, ...] = ()
    """Running (not archived) programs, for end-of-round feedback."""


@dataclass(frozen=True)
class PlannedNudge:
    kind: str
    key: str
    """Unique per workspace: kind, member or relationship, and period. Planning twice yields the same key."""
    user_id: str
    due_at: datetime
    payload: dict[str, Any]
