"""Nudges: what is due when, for whom, at their local working hours (pure domain code)."""

from .model import (
    KINDS,
    PAYLOADS,
    GoalEvent,
    GoalSnapshot,
    MeetingEvent,
    MemberSnapshot,
    ParticipationCounts,
    PlannedNudge,
    ProgramCalendar,
    RelationshipSnapshot,
    Schedule,
    WorkspaceSnapshot,
)
from .policy import HORIZON, STALE_AFTER, plan_nudges
from .timing import is_sendable, local_date, next_send_time, resolve_zone

__all__ = [
    "HORIZON",
    "KINDS",
    "PAYLOADS",
    "STALE_AFTER",
    "GoalEvent",
    "GoalSnapshot",
    "MeetingEvent",
    "MemberSnapshot",
    "ParticipationCounts",
    "PlannedNudge",
    "ProgramCalendar",
    "RelationshipSnapshot",
    "Schedule",
    "WorkspaceSnapshot",
    "is_sendable",
    "local_date",
    "next_send_time",
    "plan_nudges",
    "resolve_zone",
]
