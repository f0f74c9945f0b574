"""The year-long program benchmark (`bench.simulation.year`) over three weeks, so its code keeps working:
40 members in circles and 1:1 mentoring on the sandbox clock, answering check-ins by pressing the real
buttons, and the issue's two goals holding: nudge DMs within the weekly budget every week, nobody paused
before 21 days of silence."""

from __future__ import annotations

from bench.simulation.program import Plan, simulate
from storage.db import Database


def test_three_weeks_of_a_forty_member_program_keep_the_budget_and_pause_nobody_early(db: Database) -> None:
    results = simulate(db, Plan(members=40, days=21))

    assert len(results.people) == 40 and results.budget == 2
    assert results.answers > 0, "members pressed answers in their DMs"
    assert results.find_a_time_started > 0, "some groups opened find a time from their introduction"
    weekly = results.per_week(results.nudge_dms)
    assert len(weekly) == 4 and any(most > 0 for _, _, most in weekly)
    assert results.within_budget, weekly
    assert results.no_early_pause, results.pauses
    seen = dict((week, most) for week, _, most in results.per_week(results.seen))
    assert all(seen[week] >= most for week, _, most in weekly), "group messages come on top of the DMs"
