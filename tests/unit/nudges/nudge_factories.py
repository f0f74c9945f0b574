"""Small builders for nudge-policy snapshots, so each test states only what it is about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.nudges.model import (
    GoalSnapshot,
    MemberSnapshot,
    PlannedNudge,
    RelationshipSnapshot,
    Schedule,
)


def member(
    user_id: str,
    tz: str = "America/New_York",
    *,
    roles: tuple[str, ...] = ("mentee",),
    status: str = "active",
    paused_until: date | None = None,
    frequency_days: int = 14,
    joined_on: date = date(2026, 1, 5),
    schedule: Schedule | None = None,
    unanswered: int | Sequence[datetime] = 0,
) -> MemberSnapshot:
    """`unanswered` is the send times of unanswered check-ins, or how many: that many, 11 days apart, the
    last on Wednesday, January 14, 2026 (so three of them span 22 days)."""
    if isinstance(unanswered, int):
        last = datetime(2026, 1, 14, 14, tzinfo=UTC)
        unanswered = [last - timedelta(days=11 * back) for back in reversed(range(unanswered))]
    return MemberSnapshot(
        user_id=user_id,
        tz=tz,
        status=status,
        paused_until=paused_until,
        roles=roles,
        frequency_days=frequency_days,
        joined_on=joined_on,
        schedule=schedule or Schedule(),
        unanswered_checkins=tuple(unanswered),
    )


def mentorship(
    relationship_id: int,
    mentee: str,
    mentor: str,
    *,
    cadence_days: int = 14,
    started_on: date = date(2026, 1, 5),
    last_met_on: date | None = None,
    not_yet_count: int = 0,
    label: str = "",
) -> RelationshipSnapshot:
    return RelationshipSnapshot(
        id=relationship_id,
        kind="mentorship",
        members=((mentee, "mentee"), (mentor, "mentor")),
        cadence_days=cadence_days,
        started_on=started_on,
        last_met_on=last_met_on,
        not_yet_count=not_yet_count,
        label=label,
    )


def circle(
    relationship_id: int,
    peers: tuple[str, ...],
    *,
    cadence_days: int = 28,
    started_on: date = date(2026, 1, 5),
    last_met_on: date | None = None,
    label: str = "",
) -> RelationshipSnapshot:
    return RelationshipSnapshot(
        id=relationship_id,
        kind="circle",
        members=tuple((peer, "peer") for peer in peers),
        cadence_days=cadence_days,
        started_on=started_on,
        last_met_on=last_met_on,
        label=label,
    )


def goal(
    goal_id: int,
    user_id: str,
    number: int,
    text: str,
    *,
    status: str = "open",
    touched: date = date(2026, 1, 6),
) -> GoalSnapshot:
    return GoalSnapshot(
        id=goal_id, user_id=user_id, number=number, text=text, status=status, last_touched_on=touched
    )


def at_local(tz: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware instant given as a wall-clock time in `tz` (first occurrence when ambiguous)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))


def local_wall(nudge: PlannedNudge, tz: str) -> datetime:
    """The nudge's due time on the recipient's wall clock, without tzinfo (easy to compare)."""
    return nudge.due_at.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def by_key(nudges: list[PlannedNudge]) -> dict[str, PlannedNudge]:
    keyed = {nudge.key: nudge for nudge in nudges}
    assert len(keyed) == len(nudges), "a plan must never hold the same key twice"
    return keyed
