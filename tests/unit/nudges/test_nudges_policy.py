from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nudge_factories import at_local, by_key, circle, goal, local_wall, member, mentorship

from bot.domain.nudges.model import (
    KINDS,
    GoalEvent,
    MeetingEvent,
    ParticipationCounts,
    Schedule,
    WorkspaceSnapshot,
)
from bot.domain.nudges.policy import HORIZON, is_non_responder, plan_nudges
from bot.domain.nudges.timing import is_sendable

NY = "America/New_York"
BERLIN = "Europe/Berlin"

# A mentee in New York and a mentor in Berlin, matched on Monday Jan 5 2026, meeting every two weeks:
# the first meeting is expected on Monday Jan 19.
MENTEE = member("UMENTEE", NY, roles=("mentee",))
MENTOR = member("UMENTOR", BERLIN, roles=("mentor",))
PAIR = mentorship(1, "UMENTEE", "UMENTOR", label="Ada and Grace")


def pair_snapshot(**changes: object) -> WorkspaceSnapshot:
    fields: dict[str, object] = {"members": (MENTEE, MENTOR), "relationships": (PAIR,)}
    fields.update(changes)
    return WorkspaceSnapshot(**fields)  # type: ignore[arg-type]


def of_kind(nudges: list, kind: str) -> dict:
    return {nudge.key: nudge for nudge in nudges if nudge.kind == kind}


# Meeting reminders ---------------------------------------------------------------------------


def test_meeting_reminder_three_days_before_the_expected_meeting_for_each_member() -> None:
    plan = of_kind(plan_nudges(pair_snapshot(), datetime(2026, 1, 15, 12, tzinfo=UTC)), "meeting_reminder")
    assert set(plan) == {
        "meeting_reminder:r1:UMENTEE:2026-01-19",
        "meeting_reminder:r1:UMENTOR:2026-01-19",
    }
    to_mentee = plan["meeting_reminder:r1:UMENTEE:2026-01-19"]
    assert to_mentee.user_id == "UMENTEE"
    assert local_wall(to_mentee, NY) == datetime(2026, 1, 16, 9, 0)
    assert to_mentee.payload == {
        "relationship_id": 1,
        "relationship_kind": "mentorship",
        "label": "Ada and Grace",
        "others": ["UMENTOR"],
        "expected_on": "2026-01-19",
        "last_met_on": None,
    }
    to_mentor = plan["meeting_reminder:r1:UMENTOR:2026-01-19"]
    assert local_wall(to_mentor, BERLIN) == datetime(2026, 1, 16, 9, 0)
    assert to_mentor.payload["others"] == ["UMENTEE"]


def test_nothing_is_planned_beyond_the_horizon() -> None:
    # Berlin's 9:00 on Jan 16 is 08:00 UTC: 44 hours after this instant.
    assert plan_nudges(pair_snapshot(), datetime(2026, 1, 14, 12, tzinfo=UTC)) == []
    just_inside = datetime(2026, 1, 16, 8, tzinfo=UTC) - HORIZON
    keys = [nudge.key for nudge in plan_nudges(pair_snapshot(), just_inside)]
    assert keys == ["meeting_reminder:r1:UMENTOR:2026-01-19"]


def test_a_brand_new_relationship_waits_two_days_for_its_first_reminder() -> None:
    weekly_ish = mentorship(1, "UMENTEE", "UMENTOR", cadence_days=4)  # expected Fri Jan 9
    plan = of_kind(
        plan_nudges(pair_snapshot(relationships=(weekly_ish,)), at_local(NY, 2026, 1, 6, 12)),
        "meeting_reminder",
    )
    reminder = plan["meeting_reminder:r1:UMENTEE:2026-01-09"]
    assert local_wall(reminder, NY) == datetime(2026, 1, 7, 9, 0)


def test_the_reminder_follows_the_last_logged_meeting() -> None:
    met = mentorship(1, "UMENTEE", "UMENTOR", last_met_on=date(2026, 2, 2), label="Ada and Grace")
    plan = of_kind(
        plan_nudges(pair_snapshot(relationships=(met,)), at_local(NY, 2026, 2, 12, 12)), "meeting_reminder"
    )
    reminder = plan["meeting_reminder:r1:UMENTEE:2026-02-16"]
    assert local_wall(reminder, NY) == datetime(2026, 2, 13, 9, 0)
    assert reminder.payload["last_met_on"] == "2026-02-02"


def test_without_meetings_the_cycles_keep_rolling() -> None:
    # Expected Jan 19, Feb 2, Feb 16: the third cycle's reminder is on Friday Feb 13.
    plan = of_kind(plan_nudges(pair_snapshot(), at_local(NY, 2026, 2, 12, 12)), "meeting_reminder")
    assert "meeting_reminder:r1:UMENTEE:2026-02-16" in plan
    assert local_wall(plan["meeting_reminder:r1:UMENTEE:2026-02-16"], NY) == datetime(2026, 2, 13, 9, 0)


def test_a_reminder_that_falls_on_a_weekend_arrives_on_monday_unless_weekends_are_allowed() -> None:
    # Last met Tue Jan 6: expected Tue Jan 20, reminder planned for Sat Jan 17.
    met = mentorship(1, "UMENTEE", "UMENTOR", last_met_on=date(2026, 1, 6))
    weekday_plan = of_kind(
        plan_nudges(pair_snapshot(relationships=(met,)), at_local(NY, 2026, 1, 18, 12)), "meeting_reminder"
    )
    assert local_wall(weekday_plan["meeting_reminder:r1:UMENTEE:2026-01-20"], NY) == datetime(
        2026, 1, 19, 9, 0
    )

    weekend_mentee = member("UMENTEE", NY, schedule=Schedule(weekdays_only=False))
    snapshot = pair_snapshot(members=(weekend_mentee, MENTOR), relationships=(met,))
    weekend_plan = of_kind(plan_nudges(snapshot, at_local(NY, 2026, 1, 16, 12)), "meeting_reminder")
    assert local_wall(weekend_plan["meeting_reminder:r1:UMENTEE:2026-01-20"], NY) == datetime(
        2026, 1, 17, 9, 0
    )


def test_each_member_gets_their_own_send_hour() -> None:
    early = member("UMENTEE", NY, schedule=Schedule(send_hour=7, quiet_start=21, quiet_end=6))
    plan = of_kind(
        plan_nudges(pair_snapshot(members=(early, MENTOR)), at_local(NY, 2026, 1, 15, 12)), "meeting_reminder"
    )
    assert local_wall(plan["meeting_reminder:r1:UMENTEE:2026-01-19"], NY) == datetime(2026, 1, 16, 7, 0)


# Did you meet? -------------------------------------------------------------------------------


def test_did_you_meet_the_day_after_the_expected_meeting() -> None:
    plan = of_kind(plan_nudges(pair_snapshot(), at_local(NY, 2026, 1, 19, 12)), "did_you_meet")
    assert set(plan) == {"did_you_meet:r1:UMENTEE:2026-01-19", "did_you_meet:r1:UMENTOR:2026-01-19"}
    ask = plan["did_you_meet:r1:UMENTEE:2026-01-19"]
    assert local_wall(ask, NY) == datetime(2026, 1, 20, 9, 0)
    assert ask.payload == {
        "relationship_id": 1,
        "relationship_kind": "mentorship",
        "label": "Ada and Grace",
        "others": ["UMENTOR"],
        "expected_on": "2026-01-19",
    }


def test_a_logged_meeting_moves_the_question_to_the_next_cycle() -> None:
    met = mentorship(1, "UMENTEE", "UMENTOR", last_met_on=date(2026, 1, 16))
    plan = plan_nudges(pair_snapshot(relationships=(met,)), at_local(NY, 2026, 1, 19, 12))
    assert of_kind(plan, "did_you_meet") == {}
    later = of_kind(
        plan_nudges(pair_snapshot(relationships=(met,)), at_local(NY, 2026, 2, 1, 12)), "did_you_meet"
    )
    assert set(later) == {"did_you_meet:r1:UMENTEE:2026-01-30", "did_you_meet:r1:UMENTOR:2026-01-30"}
    assert local_wall(later["did_you_meet:r1:UMENTEE:2026-01-30"], NY) == datetime(2026, 2, 2, 9, 0)


def test_a_planned_meeting_holds_did_you_meet_until_the_day_after_it() -> None:
    """Expected Jan 19, so normally asked Jan 20; a meeting planned for Jan 22 waits the question."""
    planned = dataclasses.replace(PAIR, planned_at=datetime(2026, 1, 22, 17, tzinfo=UTC))
    snapshot = pair_snapshot(relationships=(planned,))
    assert of_kind(plan_nudges(snapshot, at_local(NY, 2026, 1, 20, 8)), "did_you_meet") == {}
    assert of_kind(plan_nudges(pair_snapshot(), at_local(NY, 2026, 1, 20, 8)), "did_you_meet") != {}
    after = of_kind(plan_nudges(snapshot, at_local(NY, 2026, 1, 22, 8)), "did_you_meet")
    assert set(after) == {"did_you_meet:r1:UMENTEE:2026-01-22", "did_you_meet:r1:UMENTOR:2026-01-22"}
    for ask in after.values():
        assert ask.due_at > datetime(2026, 1, 22, 17, tzinfo=UTC)
        assert ask.payload["expected_on"] == "2026-01-22"
    assert local_wall(after["did_you_meet:r1:UMENTEE:2026-01-22"], NY) == datetime(2026, 1, 23, 9, 0)


def test_a_meeting_logged_after_the_plan_asks_nothing_about_it() -> None:
    planned = dataclasses.replace(
        PAIR, planned_at=datetime(2026, 1, 22, 17, tzinfo=UTC), last_met_on=date(2026, 1, 22)
    )
    plan = plan_nudges(pair_snapshot(relationships=(planned,)), at_local(NY, 2026, 1, 23, 8))
    assert of_kind(plan, "did_you_meet") == {}


# Goal check-ins ------------------------------------------------------------------------------


def test_goal_checkin_lists_each_open_goal_at_the_members_frequency() -> None:
    goals = (
        goal(12, "UMENTEE", 2, "Submit the IRB protocol"),
        goal(11, "UMENTEE", 1, "Present at M&M"),
        goal(13, "UMENTEE", 3, "Finish the QI poster", status="done"),
        goal(14, "UMENTOR", 1, "Mentor goals are not checked in on"),
    )
    snapshot = pair_snapshot(goals=goals)
    plan = of_kind(plan_nudges(snapshot, at_local(NY, 2026, 1, 18, 12)), "goal_checkin")
    assert list(plan) == ["goal_checkin:UMENTEE:2026-01-19"]
    checkin = plan["goal_checkin:UMENTEE:2026-01-19"]
    assert local_wall(checkin, NY) == datetime(2026, 1, 19, 9, 0)
    assert checkin.payload == {
        "goals": [
            {"id": 11, "number": 1, "text": "Present at M&M"},
            {"id": 12, "number": 2, "text": "Submit the IRB protocol"},
        ]
    }
    monthly = member("UMENTEE", NY, frequency_days=30)
    monthly_plan = of_kind(
        plan_nudges(pair_snapshot(members=(monthly, MENTOR), goals=goals), at_local(NY, 2026, 2, 3, 12)),
        "goal_checkin",
    )
    assert list(monthly_plan) == ["goal_checkin:UMENTEE:2026-02-04"]


def test_no_goal_checkin_without_open_goals() -> None:
    done = (goal(11, "UMENTEE", 1, "Present at M&M", status="done"),)
    assert (
        of_kind(plan_nudges(pair_snapshot(goals=done), at_local(NY, 2026, 1, 18, 12)), "goal_checkin") == {}
    )


# Mentor digest -------------------------------------------------------------------------------


def digest_snapshot() -> WorkspaceSnapshot:
    return pair_snapshot(
        goal_events=(
            GoalEvent(
                "UMENTEE", 2, "Submit the IRB protocol", "on-track", datetime(2026, 1, 14, 16, tzinfo=UTC)
            ),
            GoalEvent("UMENTEE", 1, "Present at M&M", "need-help", datetime(2026, 1, 13, 15, tzinfo=UTC)),
            # Sunday evening in New York but already Monday in Berlin: next week's digest.
            GoalEvent("UMENTEE", 1, "Present at M&M", "done", datetime(2026, 1, 19, 0, 30, tzinfo=UTC)),
            GoalEvent("UMENTEE", 1, "Present at M&M", "created", datetime(2026, 1, 11, 20, tzinfo=UTC)),
        ),
        meeting_events=(
            MeetingEvent(("UMENTEE", "UMENTOR"), date(2026, 1, 15), datetime(2026, 1, 15, 19, tzinfo=UTC)),
        ),
    )


def test_mentor_digest_on_monday_covers_the_week_before() -> None:
    monday_night_in_berlin = at_local(BERLIN, 2026, 1, 19, 2)
    plan = of_kind(plan_nudges(digest_snapshot(), monday_night_in_berlin), "mentor_digest")
    assert list(plan) == ["mentor_digest:UMENTOR:2026-W04"]
    digest = plan["mentor_digest:UMENTOR:2026-W04"]
    assert digest.user_id == "UMENTOR"
    assert local_wall(digest, BERLIN) == datetime(2026, 1, 19, 9, 0)
    assert digest.payload == {
        "since": "2026-01-12",
        "mentees": [
            {
                "user_id": "UMENTEE",
                "goal_updates": [
                    {"number": 2, "text": "Submit the IRB protocol", "kind": "on-track", "on": "2026-01-14"},
                    {"number": 1, "text": "Present at M&M", "kind": "need-help", "on": "2026-01-13"},
                ],
                "meetings": ["2026-01-15"],
            }
        ],
    }


def test_mentor_digest_waits_until_the_week_is_over() -> None:
    sunday_evening_in_berlin = at_local(BERLIN, 2026, 1, 18, 22)
    assert of_kind(plan_nudges(digest_snapshot(), sunday_evening_in_berlin), "mentor_digest") == {}


def test_no_mentor_digest_in_a_quiet_week() -> None:
    assert of_kind(plan_nudges(pair_snapshot(), at_local(BERLIN, 2026, 1, 19, 2)), "mentor_digest") == {}


# Stalled relationships -----------------------------------------------------------------------


def test_stalled_after_two_cadences_without_a_meeting() -> None:
    # Started Jan 5, every 14 days, never met: stalled on Wed Feb 4 (two cadences and two days).
    plan = of_kind(plan_nudges(pair_snapshot(), at_local(NY, 2026, 2, 3, 12)), "stalled")
    assert set(plan) == {"stalled:r1:UMENTEE:2026-01-05", "stalled:r1:UMENTOR:2026-01-05"}
    stalled = plan["stalled:r1:UMENTEE:2026-01-05"]
    assert local_wall(stalled, NY) == datetime(2026, 2, 4, 9, 0)
    assert stalled.payload == {
        "relationship_id": 1,
        "relationship_kind": "mentorship",
        "others": ["UMENTOR"],
        "reason": "no_meeting",
        "last_met_on": None,
    }
    assert of_kind(plan_nudges(pair_snapshot(), at_local(NY, 2026, 2, 2, 12)), "stalled") == {}


def test_a_stalled_stretch_is_raised_once_however_long_it_lasts() -> None:
    keys = set()
    for day in range(4, 60):
        now = at_local(NY, 2026, 2, 1, 12) + timedelta(days=day)
        keys |= set(of_kind(plan_nudges(pair_snapshot(), now), "stalled"))
    assert keys == {"stalled:r1:UMENTEE:2026-01-05", "stalled:r1:UMENTOR:2026-01-05"}


def test_stalled_after_repeated_not_yet_answers() -> None:
    not_yet = mentorship(1, "UMENTEE", "UMENTOR", last_met_on=date(2026, 1, 12), not_yet_count=2)
    tuesday_ten_am = at_local(NY, 2026, 1, 27, 10)
    plan = of_kind(plan_nudges(pair_snapshot(relationships=(not_yet,)), tuesday_ten_am), "stalled")
    stalled = plan["stalled:r1:UMENTEE:2026-01-12"]
    assert stalled.payload["reason"] == "not_yet"
    assert stalled.payload["last_met_on"] == "2026-01-12"
    # Found after this morning's send hour but still a fine time today: it goes out now.
    assert local_wall(stalled, NY) == datetime(2026, 1, 27, 9, 0)

    late_evening = at_local(NY, 2026, 1, 27, 21)
    evening_plan = of_kind(plan_nudges(pair_snapshot(relationships=(not_yet,)), late_evening), "stalled")
    assert local_wall(evening_plan["stalled:r1:UMENTEE:2026-01-12"], NY) == datetime(2026, 1, 28, 9, 0)


def test_stalled_when_a_mentees_goals_are_untouched_for_ninety_days() -> None:
    met = mentorship(1, "UMENTEE", "UMENTOR", last_met_on=date(2026, 3, 20))
    goals = (
        goal(11, "UMENTEE", 1, "Present at M&M", touched=date(2025, 12, 1)),
        goal(12, "UMENTEE", 2, "Submit the IRB protocol", touched=date(2025, 12, 20)),
        goal(13, "UMENTEE", 3, "Old and finished", status="done", touched=date(2026, 3, 1)),
    )
    snapshot = pair_snapshot(relationships=(met,), goals=goals)
    # Last touched Dec 20: untouched for 90 days on Thu Mar 20.
    assert of_kind(plan_nudges(snapshot, at_local(NY, 2026, 3, 17, 12)), "stalled") == {}
    plan = of_kind(plan_nudges(snapshot, at_local(NY, 2026, 3, 19, 12)), "stalled")
    stalled = plan["stalled:r1:UMENTEE:2025-12-20"]
    assert stalled.payload["reason"] == "goals_untouched"
    assert local_wall(stalled, NY) == datetime(2026, 3, 20, 9, 0)


def test_coordinators_hear_about_stalls_only_when_the_program_asks() -> None:
    coordinator = member("UCOORD", "America/Chicago", roles=("mentor",))
    quiet = pair_snapshot(members=(MENTEE, MENTOR, coordinator), coordinators=("UCOORD",))
    now = at_local(NY, 2026, 2, 3, 12)
    assert of_kind(plan_nudges(quiet, now), "stalled_coordinator") == {}

    flagged = pair_snapshot(
        members=(MENTEE, MENTOR, coordinator), coordinators=("UCOORD",), flag_stalled_to_coordinators=True
    )
    plan = of_kind(plan_nudges(flagged, now), "stalled_coordinator")
    note = plan["stalled_coordinator:r1:UCOORD:2026-01-05"]
    assert note.user_id == "UCOORD"
    assert local_wall(note, "America/Chicago") == datetime(2026, 2, 4, 9, 0)
    assert note.payload == {
        "relationship_id": 1,
        "relationship_kind": "mentorship",
        "members": ["UMENTEE", "UMENTOR"],
        "reason": "no_meeting",
        "last_met_on": None,
    }


# Non-responders ------------------------------------------------------------------------------


def test_a_non_responder_gets_only_the_paused_notice() -> None:
    silent = member("UMENTEE", NY, unanswered=3)
    goals = (goal(11, "UMENTEE", 1, "Present at M&M"),)
    snapshot = pair_snapshot(members=(silent, MENTOR), goals=goals)
    plan = plan_nudges(snapshot, at_local(NY, 2026, 1, 18, 12))  # a Sunday, the day before a check-in
    to_mentee = by_key([nudge for nudge in plan if nudge.user_id == "UMENTEE"])
    assert list(to_mentee) == ["paused_notice:UMENTEE:2026-01-19"]
    notice = to_mentee["paused_notice:UMENTEE:2026-01-19"]
    assert notice.kind == "paused_notice"
    assert notice.payload == {"unanswered": 3, "silent_days": 26}
    assert local_wall(notice, NY) == datetime(2026, 1, 19, 9, 0)
    # Earlier on Sunday and on Monday afternoon it is the same notice.
    for now in (at_local(NY, 2026, 1, 18, 8), at_local(NY, 2026, 1, 19, 16)):
        assert "paused_notice:UMENTEE:2026-01-19" in of_kind(plan_nudges(snapshot, now), "paused_notice")


def test_the_pause_waits_for_three_weeks_of_silence_and_three_days_on_each_check_in() -> None:
    def sent(*days: int) -> list[datetime]:
        return [datetime(2026, 1, 1, 14, tzinfo=UTC) + timedelta(days=day) for day in days]

    now = datetime(2026, 1, 30, 14, tzinfo=UTC)
    assert is_non_responder(sent(0, 10, 21), now)
    assert is_non_responder(sent(0, 3, 7, 14, 21, 26), now)
    # Five unanswered in 20 days is not yet three weeks.
    assert not is_non_responder(sent(8, 12, 16, 20, 26), now)
    # The third has been open only two days: not yet.
    assert not is_non_responder(sent(0, 10, 27), now)
    assert is_non_responder(sent(0, 10, 27), now + timedelta(days=1))
    assert not is_non_responder(sent(0, 21), now)
    assert not is_non_responder([], now)


def test_three_unanswered_within_three_weeks_keep_the_nudges_coming() -> None:
    recent = [datetime(2026, 1, 5, 14, tzinfo=UTC) + timedelta(days=day) for day in (0, 4, 8)]
    snapshot = pair_snapshot(members=(member("UMENTEE", NY, unanswered=recent), MENTOR))
    plan = plan_nudges(snapshot, at_local(NY, 2026, 1, 15, 12))
    assert of_kind(plan, "paused_notice") == {}
    assert "meeting_reminder:r1:UMENTEE:2026-01-19" in of_kind(plan, "meeting_reminder")


def test_two_unanswered_checkins_are_not_yet_a_pause() -> None:
    snapshot = pair_snapshot(members=(member("UMENTEE", NY, unanswered=2), MENTOR))
    plan = plan_nudges(snapshot, at_local(NY, 2026, 1, 15, 12))
    assert of_kind(plan, "paused_notice") == {}
    assert "meeting_reminder:r1:UMENTEE:2026-01-19" in of_kind(plan, "meeting_reminder")


# Paused and departed members -----------------------------------------------------------------


def test_paused_members_get_nothing_until_their_date() -> None:
    paused = member("UMENTEE", NY, status="paused", paused_until=date(2026, 1, 26))
    goals = (goal(11, "UMENTEE", 1, "Present at M&M"),)
    snapshot = pair_snapshot(members=(paused, MENTOR), goals=goals)
    during = plan_nudges(snapshot, at_local(NY, 2026, 1, 19, 12))
    assert {nudge.key for nudge in during} == {"did_you_meet:r1:UMENTOR:2026-01-19"}


def test_what_fell_during_a_pause_is_not_sent_late() -> None:
    # Back on Wed Jan 21: Jan 19's check-in and Jan 20's question are recent enough to send late for
    # a member who was around, but they fell inside this member's pause.
    goals = (goal(11, "UMENTEE", 1, "Present at M&M"),)
    paused = member("UMENTEE", NY, status="paused", paused_until=date(2026, 1, 21))
    back = by_key(
        plan_nudges(pair_snapshot(members=(paused, MENTOR), goals=goals), at_local(NY, 2026, 1, 21, 8))
    )
    assert [key for key in back if "UMENTEE" in key] == []
    around = by_key(plan_nudges(pair_snapshot(goals=goals), at_local(NY, 2026, 1, 21, 8)))
    assert {"goal_checkin:UMENTEE:2026-01-19", "did_you_meet:r1:UMENTEE:2026-01-19"} <= set(around)


def test_a_resumed_member_gets_the_next_nudges() -> None:
    paused = member("UMENTEE", NY, status="paused", paused_until=date(2026, 1, 26))
    plan = of_kind(
        plan_nudges(pair_snapshot(members=(paused, MENTOR)), at_local(NY, 2026, 1, 29, 12)),
        "meeting_reminder",
    )
    assert "meeting_reminder:r1:UMENTEE:2026-02-02" in plan


def test_paused_without_a_date_stays_paused() -> None:
    paused = member("UMENTEE", NY, status="paused", paused_until=None)
    plan = plan_nudges(pair_snapshot(members=(paused, MENTOR)), at_local(NY, 2026, 1, 15, 12))
    assert {nudge.user_id for nudge in plan} == {"UMENTOR"}


def test_departed_members_never_get_a_nudge_and_drop_out_of_others() -> None:
    left = member("UMENTEE", NY, status="left", unanswered=5)
    goals = (goal(11, "UMENTEE", 1, "Present at M&M"),)
    snapshot = pair_snapshot(members=(left, MENTOR), goals=goals)
    for day in range(10, 40):
        plan = plan_nudges(snapshot, at_local(NY, 2026, 1, 1, 12) + timedelta(days=day))
        assert all(nudge.user_id != "UMENTEE" for nudge in plan)
        for nudge in plan:
            assert "UMENTEE" not in nudge.payload.get("others", [])


# Coordinator digest --------------------------------------------------------------------------


def test_coordinator_digest_every_monday_with_last_weeks_numbers() -> None:
    counts = ParticipationCounts(
        participants=40,
        active=35,
        paused=3,
        left=2,
        meetings_logged=9,
        did_you_meet_asked=12,
        did_you_meet_yes=8,
        goals_set=5,
        goals_done=2,
        dead_letters=1,
    )
    snapshot = WorkspaceSnapshot(
        members=(MENTEE, MENTOR, member("UCOORD", "America/Chicago", roles=("mentor",))),
        relationships=(PAIR,),
        coordinators=("UCOORD",),
        counts=counts,
    )
    plan = of_kind(plan_nudges(snapshot, at_local("America/Chicago", 2026, 2, 9, 1)), "coordinator_digest")
    assert list(plan) == ["coordinator_digest:UCOORD:2026-W07"]
    digest = plan["coordinator_digest:UCOORD:2026-W07"]
    assert local_wall(digest, "America/Chicago") == datetime(2026, 2, 9, 9, 0)
    assert digest.payload == {
        "week_of": "2026-02-02",
        "participants": 40,
        "active": 35,
        "paused": 3,
        "left": 2,
        "meetings_logged": 9,
        "did_you_meet_asked": 12,
        "did_you_meet_yes": 8,
        "goals_set": 5,
        "goals_done": 2,
        "stalled": 1,
        "dead_letters": 1,
    }


def test_a_coordinator_who_is_not_a_member_hears_in_the_programs_usual_zone() -> None:
    members = (MENTEE, MENTOR, member("UOTHER", NY, roles=("mentor",)))
    snapshot = WorkspaceSnapshot(members=members, coordinators=("UCOORD",))
    plan = of_kind(plan_nudges(snapshot, at_local(NY, 2026, 2, 9, 1)), "coordinator_digest")
    assert local_wall(plan["coordinator_digest:UCOORD:2026-W07"], NY) == datetime(2026, 2, 9, 9, 0)


# Determinism, idempotency, staleness ----------------------------------------------------------


def test_every_kind_is_covered_by_these_tests() -> None:
    covered = {
        "meeting_reminder",
        "did_you_meet",
        "goal_checkin",
        "mentor_digest",
        "stalled",
        "stalled_coordinator",
        "paused_notice",
        "coordinator_digest",
    }
    planned_elsewhere = {
        "coordinator_notices",  # by bot.usecases.notices (tests/e2e/test_coordinator_notices.py)
        "round_feedback",  # covered in tests/unit/test_feedback.py
        "meeting_agenda",  # covered in tests/unit/nudges/test_agenda_policy.py
        "combined",  # by the message budget: tests/unit/nudges/test_budget.py
    }
    assert covered == set(KINDS) - planned_elsewhere


def test_a_long_outage_does_not_flood_people_with_old_nudges() -> None:
    goals = (goal(11, "UMENTEE", 1, "Present at M&M"),)
    snapshot = pair_snapshot(goals=goals)
    # On Fri Jan 23 at 08:00, Jan 16's reminder and Jan 19's check-in are too old to send; Jan 20's
    # question is not, and goes out at today's send hour instead.
    plan = by_key(plan_nudges(snapshot, at_local(NY, 2026, 1, 23, 8)))
    assert "meeting_reminder:r1:UMENTEE:2026-01-19" not in plan
    assert "goal_checkin:UMENTEE:2026-01-19" not in plan
    late = plan["did_you_meet:r1:UMENTEE:2026-01-19"]
    assert local_wall(late, NY) == datetime(2026, 1, 23, 9, 0)
    assert plan_nudges(snapshot, at_local(NY, 2026, 1, 30, 12)) == plan_nudges(
        snapshot, at_local(NY, 2026, 1, 30, 12)
    )


def test_output_is_sorted_and_repeatable() -> None:
    snapshot = digest_snapshot()
    now = at_local(BERLIN, 2026, 1, 19, 2)
    first = plan_nudges(snapshot, now)
    assert first == plan_nudges(snapshot, now)
    assert first == sorted(first, key=lambda nudge: (nudge.due_at, nudge.key))
    assert len(first) >= 2


@settings(max_examples=60, deadline=None)
@given(offsets=st.lists(st.integers(0, 36 * 60 - 1), min_size=2, max_size=6))
def test_planning_at_any_instants_before_the_send_time_names_the_same_nudges(offsets: list[int]) -> None:
    """Every instant in the 36 hours before Mon Jan 19, 9:00 in New York yields that morning's keys, with the same send time."""
    goals = (goal(11, "UMENTEE", 1, "Present at M&M"),)
    snapshot = pair_snapshot(members=(MENTEE, member("UMENTOR", NY, roles=("mentor",))), goals=goals)
    send = at_local(NY, 2026, 1, 19, 9)
    expected = {"goal_checkin:UMENTEE:2026-01-19": send}
    for offset in offsets:
        now = send - timedelta(minutes=offset)
        morning = {
            n.key: n.due_at
            for n in plan_nudges(snapshot, now)
            if local_wall(n, NY).date() == date(2026, 1, 19)
        }
        assert morning == expected


zones = st.sampled_from(
    [NY, BERLIN, "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham", "America/Phoenix"]
)


@st.composite
def workspaces(draw: st.DrawFn) -> WorkspaceSnapshot:
    count = draw(st.integers(2, 6))
    ids = [f"U{index}" for index in range(count)]
    members = tuple(
        member(
            user_id,
            draw(zones),
            roles=(draw(st.sampled_from(["mentee", "mentor", "peer"])),),
            status=draw(st.sampled_from(["active", "active", "paused", "left"])),
            paused_until=draw(st.none() | st.dates(date(2026, 1, 1), date(2026, 6, 1))),
            frequency_days=draw(st.sampled_from([14, 30, 42, 91])),
            joined_on=draw(st.dates(date(2025, 9, 1), date(2026, 3, 1))),
            schedule=Schedule(send_hour=draw(st.integers(6, 18)), weekdays_only=draw(st.booleans())),
            unanswered=draw(st.integers(0, 4)),
        )
        for user_id in ids
    )
    relationships = tuple(
        mentorship(
            index,
            ids[index % count],
            ids[(index + 1) % count],
            cadence_days=draw(st.sampled_from([14, 28, 42])),
            started_on=draw(st.dates(date(2025, 9, 1), date(2026, 3, 1))),
            last_met_on=draw(st.none() | st.dates(date(2025, 12, 1), date(2026, 3, 1))),
            not_yet_count=draw(st.integers(0, 3)),
        )
        for index in range(draw(st.integers(0, 3)))
    )
    goals = tuple(
        goal(
            index,
            draw(st.sampled_from(ids)),
            index,
            f"goal {index}",
            touched=draw(st.dates(date(2025, 6, 1), date(2026, 3, 1))),
        )
        for index in range(draw(st.integers(0, 4)))
    )
    return WorkspaceSnapshot(
        members=members,
        relationships=relationships,
        goals=goals,
        coordinators=tuple(draw(st.lists(st.sampled_from(ids + ["UCOORD"]), max_size=2))),
        flag_stalled_to_coordinators=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None)
@given(
    snapshot=workspaces(),
    now=st.datetimes(datetime(2026, 1, 1), datetime(2026, 4, 1), timezones=st.just(UTC)),
)
def test_plan_invariants(snapshot: WorkspaceSnapshot, now: datetime) -> None:
    plan = plan_nudges(snapshot, now)
    assert plan == sorted(plan, key=lambda nudge: (nudge.due_at, nudge.key))
    by_key(plan)
    members = {m.user_id: m for m in snapshot.members}
    coordinators = set(snapshot.coordinators)
    for nudge in plan:
        assert nudge.kind in KINDS
        assert nudge.key.startswith(f"{nudge.kind}:")
        assert nudge.user_id in nudge.key
        assert nudge.due_at.tzinfo is not None
        recipient = members.get(nudge.user_id)
        if nudge.kind in ("coordinator_digest", "stalled_coordinator"):
            assert nudge.user_id in coordinators
            continue
        assert recipient is not None and recipient.status != "left"
        assert is_sendable(nudge.due_at, recipient.tz, recipient.schedule)
        if is_non_responder(recipient.unanswered_checkins, now):
            assert nudge.kind == "paused_notice"
        else:
            assert nudge.kind != "paused_notice"
        if recipient.status == "paused":
            assert (
                recipient.paused_until is not None
                and recipient.paused_until <= nudge.due_at.date() + timedelta(days=1)
            )
        assert nudge.due_at <= now + HORIZON or nudge.due_at > now
        assert nudge.due_at >= now - timedelta(days=3)


@pytest.mark.parametrize("tz", [NY, BERLIN, "Asia/Kolkata"])
def test_plans_do_not_depend_on_the_order_of_the_snapshot(tz: str) -> None:
    members = (
        member("UA", tz),
        member("UB", tz, roles=("mentor",)),
        member("UC", tz, roles=("peer",)),
        member("UD", tz, roles=("peer",)),
    )
    forward = WorkspaceSnapshot(
        members=members, relationships=(mentorship(1, "UA", "UB"), circle(2, ("UC", "UD")))
    )
    backward = WorkspaceSnapshot(members=members[::-1], relationships=forward.relationships[::-1])
    now = at_local(tz, 2026, 1, 29, 12)
    assert plan_nudges(forward, now) == plan_nudges(backward, now)
    assert plan_nudges(forward, now)
