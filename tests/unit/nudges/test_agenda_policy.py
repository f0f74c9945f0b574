"""Meeting agendas in the nudge policy: one per due meeting, in the group DM, on the reminder's day, built
only from what the group may see (a mentee's open goals; in a circle, shared goals only)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from nudge_factories import circle, goal, local_wall, member, mentorship

from bot.domain.agendas import Stage, round_stage
from bot.domain.calendar import round_window
from bot.domain.nudges.model import ProgramCalendar, WorkspaceSnapshot
from bot.domain.nudges.policy import plan_nudges
from bot.presentation.nudges import render_nudge

NY = "America/New_York"
MENTEE = dataclasses.replace(member("UMENTEE", NY), needs=("research", "wellbeing"))
MENTOR = member("UMENTOR", "Europe/Berlin", roles=("mentor",))
PAIR = dataclasses.replace(mentorship(1, "UMENTEE", "UMENTOR"), channel="GPAIR")
PEERS = tuple(member(user_id, NY, roles=("peer",)) for user_id in ("UA", "UB"))
CIRCLE = dataclasses.replace(circle(2, ("UA", "UB"), label="Night owls"), channel="GCIRCLE")


def agendas(snapshot: WorkspaceSnapshot, now: datetime) -> dict[str, object]:
    return {nudge.key: nudge for nudge in plan_nudges(snapshot, now) if nudge.kind == "meeting_agenda"}


def test_a_mentorship_agenda_lists_the_mentees_goals_and_needs_on_the_reminder_day() -> None:
    goals = (goal(1, "UMENTEE", 1, "Submit my case report"), goal(2, "UMENTOR", 1, "Mentor's own goal"))
    snapshot = WorkspaceSnapshot(members=(MENTEE, MENTOR), relationships=(PAIR,), goals=goals)
    plan = agendas(snapshot, datetime(2026, 1, 15, 12, tzinfo=UTC))
    (nudge,) = plan.values()
    assert nudge.key == "meeting_agenda:r1:2026-01-19"
    assert nudge.user_id == "GPAIR" and nudge.payload["channel"] == "GPAIR"
    assert local_wall(nudge, NY) == datetime(2026, 1, 16, 9, 0), "the mentee's reminder day and hour"
    assert nudge.payload["goals"] == [{"user_id": "UMENTEE", "number": 1, "text": "Submit my case report"}]
    assert nudge.payload["needs"] == ["research", "wellbeing"]
    assert nudge.payload["stage"] == "first" and nudge.payload["mentors"] == ["UMENTOR"]
    reminders = [
        n
        for n in plan_nudges(snapshot, datetime(2026, 1, 15, 12, tzinfo=UTC))
        if n.kind == "meeting_reminder"
    ]
    assert {local_wall(n, NY).date() for n in reminders if n.user_id == "UMENTEE"} == {date(2026, 1, 16)}
    text = str(render_nudge("meeting_agenda", nudge.payload)[1])
    assert "<@UMENTOR>, a minute of prep" in text and "Submit my case report" in text
    assert "Mentor's own goal" not in text


def test_a_circle_agenda_shows_only_shared_goals_and_no_profile_needs() -> None:
    goals = (
        dataclasses.replace(goal(1, "UA", 1, "Shared: pass boards"), shared=True, domain="exams"),
        goal(2, "UB", 1, "Secret: leave my program"),
    )
    snapshot = WorkspaceSnapshot(members=PEERS, relationships=(CIRCLE,), goals=goals)
    (nudge,) = agendas(snapshot, datetime(2026, 1, 29, 12, tzinfo=UTC)).values()
    assert [g["text"] for g in nudge.payload["goals"]] == ["Shared: pass boards"]
    assert nudge.payload["needs"] == ["exams"] and nudge.payload["mentors"] == []
    text = str(render_nudge("meeting_agenda", nudge.payload)[1])
    assert "Secret" not in text and "prep" not in text


def test_planning_again_gives_the_same_agenda_and_none_without_a_group_dm() -> None:
    snapshot = WorkspaceSnapshot(members=(MENTEE, MENTOR), relationships=(PAIR,))
    now = datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert agendas(snapshot, now).keys() == agendas(snapshot, now.replace(hour=20)).keys()
    not_introduced = dataclasses.replace(snapshot, relationships=(dataclasses.replace(PAIR, channel=None),))
    assert agendas(not_introduced, now) == {}


def test_the_rounds_stage_is_first_mid_or_last() -> None:
    window = round_window(3, (7, 1), date(2026, 8, 1))
    assert (window.starts, window.ends) == (date(2026, 7, 1), date(2026, 10, 1))
    assert round_stage(None, date(2026, 9, 20), 30, window) is Stage.FIRST
    assert round_stage(date(2026, 7, 20), date(2026, 8, 19), 30, window) is Stage.MID
    assert round_stage(date(2026, 8, 19), date(2026, 9, 18), 30, window) is Stage.LAST
    assert round_stage(date(2026, 8, 19), date(2026, 9, 18), 30, None) is Stage.MID


def test_the_last_meeting_of_a_programs_round_is_planned_as_the_last() -> None:
    program = ProgramCalendar(7, "Residents", 3, (1, 1), frozenset({"UMENTEE", "UMENTOR"}))
    pair = dataclasses.replace(PAIR, program_id=7, started_on=date(2026, 1, 5), last_met_on=date(2026, 3, 9))
    snapshot = WorkspaceSnapshot(members=(MENTEE, MENTOR), relationships=(pair,), programs=(program,))
    (nudge,) = agendas(snapshot, datetime(2026, 3, 19, 12, tzinfo=UTC)).values()
    assert nudge.payload["expected_on"] == "2026-03-23" and nudge.payload["stage"] == "last"
    assert "last meeting" in str(render_nudge("meeting_agenda", nudge.payload)[1])


def test_a_meeting_planned_with_find_a_time_gets_its_agenda_the_day_before_instead() -> None:
    planned = dataclasses.replace(PAIR, planned_at=datetime(2026, 1, 22, 19, tzinfo=UTC))
    snapshot = WorkspaceSnapshot(members=(MENTEE, MENTOR), relationships=(planned,))
    assert agendas(snapshot, datetime(2026, 1, 15, 12, tzinfo=UTC)) == {}, "the due one of Jan 19 gives way"
    plan = agendas(snapshot, datetime(2026, 1, 20, 12, tzinfo=UTC))
    assert list(plan) == ["meeting_agenda:r1:planned:2026-01-22"]
    (nudge,) = plan.values()
    assert local_wall(nudge, NY) == datetime(2026, 1, 21, 9, 0)
    assert nudge.payload["expected_on"] == "2026-01-22"
    met = dataclasses.replace(planned, last_met_on=date(2026, 1, 22))
    later = agendas(
        dataclasses.replace(snapshot, relationships=(met,)), datetime(2026, 1, 18, 12, tzinfo=UTC)
    )
    assert not any(key.startswith("meeting_agenda:r1:planned") for key in later)
