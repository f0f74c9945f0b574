"""Twelve weeks of simulated time: plan every hour, keep the first row per key (as the outbox does).

A mentee in New York and a mentor in Berlin meet once (held Tue Mar 3, logged the next day); a circle
in Kolkata, Sydney and Los Angeles never meets; a London mentee is paused until Mar 16; a Tokyo
member has left; a coordinator who is not a member reads the digest. The span crosses the US (Mar 8),
EU (Mar 29) and Australian (Apr 5) clock changes. Every expected nudge is listed by hand below.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from nudge_factories import circle, goal, member, mentorship

from bot.domain.nudges.model import GoalEvent, MeetingEvent, PlannedNudge, WorkspaceSnapshot
from bot.domain.nudges.policy import HORIZON, plan_nudges

START = datetime(2026, 2, 2, tzinfo=UTC)
END = START + timedelta(weeks=12)

ZONES = {
    "UA": "America/New_York",
    "UB": "Europe/Berlin",
    "UC": "Asia/Kolkata",
    "UD": "Australia/Sydney",
    "UE": "America/Los_Angeles",
    "UG": "Europe/London",
    "UH": "Asia/Tokyo",
}
COORDINATOR_ZONE = "America/Los_Angeles"
"""UCOORD is no member: the zone most members share (a five-way tie, broken alphabetically)."""

GOAL_EVENT = GoalEvent("UA", 1, "Present at M&M", "on-track", datetime(2026, 2, 10, 15, tzinfo=UTC))
MEETING = MeetingEvent(("UA", "UB"), date(2026, 3, 3), datetime(2026, 3, 4, 15, tzinfo=UTC))


def snapshot_at(now: datetime) -> WorkspaceSnapshot:
    """What the planner would read from storage at `now`."""
    met = now >= MEETING.logged_at
    touched = date(2026, 2, 10) if now >= GOAL_EVENT.at else date(2026, 1, 20)
    recent = now - timedelta(days=8)
    return WorkspaceSnapshot(
        members=(
            member("UA", ZONES["UA"], roles=("mentee",), joined_on=date(2026, 1, 19)),
            member("UB", ZONES["UB"], roles=("mentor",), joined_on=date(2026, 1, 19)),
            member("UC", ZONES["UC"], roles=("peer",)),
            member("UD", ZONES["UD"], roles=("peer",)),
            member("UE", ZONES["UE"], roles=("peer",)),
            member("UG", ZONES["UG"], status="paused", paused_until=date(2026, 3, 16)),
            member("UH", ZONES["UH"], status="left"),
        ),
        relationships=(
            mentorship(
                1, "UA", "UB", started_on=date(2026, 2, 2), last_met_on=date(2026, 3, 3) if met else None
            ),
            circle(2, ("UC", "UD", "UE"), started_on=date(2026, 2, 2)),
        ),
        goals=(
            goal(1, "UA", 1, "Present at M&M", touched=touched),
            goal(2, "UG", 1, "Apply for the research elective"),
            goal(3, "UH", 1, "Left with an open goal"),
        ),
        goal_events=tuple(e for e in (GOAL_EVENT,) if recent <= e.at <= now),
        meeting_events=tuple(e for e in (MEETING,) if recent <= e.logged_at <= now),
        coordinators=("UCOORD",),
        flag_stalled_to_coordinators=True,
    )


def pair(kind: str, days: list[str]) -> set[str]:
    return {f"{kind}:r1:{user}:2026-{day}" for user in ("UA", "UB") for day in days}


def trio(kind: str, days: list[str]) -> set[str]:
    return {f"{kind}:r2:{user}:2026-{day}" for user in ("UC", "UD", "UE") for day in days}


# Pair: expected Feb 16 and Mar 2 from the start; after the Mar 3 meeting, Mar 17, Mar 31 and Apr 14.
# Circle: expected Mar 2, Mar 30 and Apr 27. Rows due on or after END are not listed.
EXPECTED_KEYS = (
    pair("meeting_reminder", ["02-16", "03-02", "03-17", "03-31", "04-14"])
    | pair("did_you_meet", ["02-16", "03-02", "03-17", "03-31", "04-14"])
    | pair("stalled", ["02-02", "03-03"])
    | trio("meeting_reminder", ["03-02", "03-30", "04-27"])
    | trio("did_you_meet", ["03-02", "03-30"])
    | trio("stalled", ["02-02"])
    | {f"goal_checkin:UA:2026-{day}" for day in ["02-02", "02-16", "03-02", "03-16", "03-30", "04-13"]}
    | {f"goal_checkin:UG:2026-{day}" for day in ["03-16", "03-30", "04-13"]}
    | {"mentor_digest:UB:2026-W08", "mentor_digest:UB:2026-W11"}
    | {f"coordinator_digest:UCOORD:2026-W{week:02d}" for week in range(6, 18)}
    | {"stalled_coordinator:r1:UCOORD:2026-02-02", "stalled_coordinator:r1:UCOORD:2026-03-03"}
    | {"stalled_coordinator:r2:UCOORD:2026-02-02"}
)

# Local days of the nudges whose planned day falls on a weekend or moves with the meeting.
EXPECTED_LOCAL_DAYS = {
    "meeting_reminder:r1:UA:2026-03-17": date(2026, 3, 16),  # planned Sat Mar 14
    "meeting_reminder:r1:UB:2026-03-31": date(2026, 3, 30),  # planned Sat Mar 28
    "did_you_meet:r1:UA:2026-03-17": date(2026, 3, 18),
    "stalled:r1:UA:2026-02-02": date(2026, 3, 4),
    "stalled:r1:UB:2026-03-03": date(2026, 4, 2),
    "stalled:r2:UD:2026-02-02": date(2026, 4, 1),
    "meeting_reminder:r2:UD:2026-04-27": date(2026, 4, 24),
    "mentor_digest:UB:2026-W11": date(2026, 3, 9),
    "coordinator_digest:UCOORD:2026-W06": date(2026, 2, 2),
    "goal_checkin:UG:2026-03-16": date(2026, 3, 16),
}


def run_hourly() -> tuple[dict[str, PlannedNudge], dict[str, datetime]]:
    outbox: dict[str, PlannedNudge] = {}
    first_planned: dict[str, datetime] = {}
    now = START
    while now < END:
        for nudge in plan_nudges(snapshot_at(now), now):
            if nudge.key not in outbox:
                outbox[nudge.key] = nudge
                first_planned[nudge.key] = now
        now += timedelta(hours=1)
    return outbox, first_planned


def test_twelve_weeks_of_hourly_planning() -> None:
    outbox, first_planned = run_hourly()
    due_in_span = {key for key, nudge in outbox.items() if nudge.due_at < END}

    assert due_in_span == EXPECTED_KEYS
    assert not any(nudge.user_id in ("UH",) for nudge in outbox.values())

    for key in due_in_span:
        nudge = outbox[key]
        tz = COORDINATOR_ZONE if nudge.user_id == "UCOORD" else ZONES[nudge.user_id]
        local = nudge.due_at.astimezone(ZoneInfo(tz))
        assert (local.hour, local.minute, local.second) == (9, 0, 0), (key, local)
        assert local.weekday() < 5, (key, local)
        # Planned ahead, never late, and never more than the horizon ahead.
        assert nudge.due_at - HORIZON <= first_planned[key] <= nudge.due_at, key
        if key in EXPECTED_LOCAL_DAYS:
            assert local.date() == EXPECTED_LOCAL_DAYS[key], key

    digests = [outbox[key] for key in ("mentor_digest:UB:2026-W08", "mentor_digest:UB:2026-W11")]
    assert digests[0].payload["mentees"][0]["goal_updates"] == [
        {"number": 1, "text": "Present at M&M", "kind": "on-track", "on": "2026-02-10"}
    ]
    assert digests[1].payload["mentees"][0] == {
        "user_id": "UA",
        "goal_updates": [],
        "meetings": ["2026-03-03"],
    }
    assert outbox["meeting_reminder:r1:UA:2026-03-17"].payload["last_met_on"] == "2026-03-03"
    assert outbox["stalled:r2:UC:2026-02-02"].payload["reason"] == "no_meeting"
