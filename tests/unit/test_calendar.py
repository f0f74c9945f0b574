"""The one calendar (`bot.domain.calendar`) and the surfaces that read it agree with each other.

The property test walks two academic years with random round lengths, year starts, time zones (with
and without clock changes) and events, and checks what the program page, match previews, Home, the
stats summary, the CSV and the weekly digest would each say, using the functions those surfaces call.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import calendar
from bot.domain.matching.explain import circle_reasons
from bot.domain.matching.model import History, HistoryRound, Person
from bot.domain.nudges.model import (
    MemberSnapshot,
    ParticipationCounts,
    RelationshipSnapshot,
    WorkspaceSnapshot,
)
from bot.domain.nudges.policy import plan_nudges
from bot.domain.programs import ProgramSettings, round_window
from bot.domain.reports import Activity, CheckIn, Participants, Report, count_per_cycle
from bot.presentation.nudges import digest_heading
from bot.presentation.programs import round_text
from bot.reports.export import report_csv

ZONES = (
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Pacific/Auckland",
)
"""Northern and southern clock changes, zones without any, and half-hour offsets."""


def test_a_new_programs_round_is_named_and_dated_the_same_everywhere() -> None:
    settings = ProgramSettings(round_months=3, year_start=(7, 1))
    window = round_window(settings, date(2026, 10, 5))
    assert (window.number, window.starts, window.ends) == (2, date(2026, 10, 1), date(2027, 1, 1))
    assert window.last_day == date(2026, 12, 31)
    assert round_text(window) == (
        "Round 2 of 2026–27 runs Oct 1 – Dec 31, 2026; the next round starts Jan 1, 2027."
    )
    people = [Person(id=user) for user in ("UA", "UB", "UC")]
    history = History((HistoryRound((("UA", "UB", "UC"),), label=window.name),))
    reasons = circle_reasons(people, history.meetings(), history.labels())
    assert reasons[0] == "3 pairs of you have met before, most recently in round 2 of 2026–27"


def test_rounds_across_a_new_year_and_from_the_end_of_a_month() -> None:
    across = round_window(ProgramSettings(round_months=3, year_start=(8, 1)), date(2026, 12, 2))
    assert across.dates == "Nov 1, 2026 – Jan 31, 2027" and across.name == "round 2 of 2026–27"
    calendar_year = round_window(ProgramSettings(round_months=6, year_start=(1, 1)), date(2027, 8, 9))
    assert calendar_year.name == "round 2 of 2027"
    month_end = ProgramSettings(round_months=1, year_start=(1, 31))
    starts = [round_window(month_end, date(2027, month, 15)).starts for month in (2, 3, 4)]
    assert starts == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_the_next_check_in_is_never_a_day_already_past() -> None:
    assert calendar.next_check_in(date(2026, 11, 15), 30, date(2027, 1, 14)) == date(2027, 1, 14)
    assert calendar.next_check_in(date(2026, 11, 15), 30, date(2027, 1, 15)) == date(2027, 2, 13)
    assert calendar.next_check_in(date(2026, 11, 15), 30, date(2026, 11, 15)) == date(2026, 12, 15)


def test_a_digest_reports_the_whole_week_before_the_monday_it_is_sent() -> None:
    week = calendar.digest_week(date(2026, 11, 30))
    assert (week.start, week.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    assert calendar.digest_week(date(2026, 12, 6)) == week
    assert digest_heading({"week_of": "2026-11-23"}) == (
        "Monday, November 23, 2026 to Sunday, November 29, 2026"
    )


@st.composite
def programs(draw: st.DrawFn) -> tuple[ProgramSettings, str, date]:
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    while True:
        try:
            date(2001, month, day)
            break
        except ValueError:
            day -= 1
    settings = ProgramSettings(
        round_months=draw(st.sampled_from((1, 2, 3, 4, 6, 12))), year_start=(month, day)
    )
    first = date(draw(st.integers(2024, 2030)), month, min(day, 28))
    return settings, draw(st.sampled_from(ZONES)), first


instants = st.integers(0, 2 * 366 * 24 * 60 - 1)
"""Minutes into the two years walked."""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    program=programs(),
    meetings=st.lists(st.integers(0, 2 * 366 - 1), max_size=40),
    goals=st.lists(instants, max_size=40),
    checkins=st.lists(st.tuples(instants, st.sampled_from((None, "met", "not_yet"))), max_size=40),
)
def test_two_academic_years_agree_on_rounds_weeks_cycles_and_counts(
    program: tuple[ProgramSettings, str, date],
    meetings: list[int],
    goals: list[int],
    checkins: list[tuple[int, str | None]],
) -> None:
    settings, zone, first = program
    last = first + timedelta(days=2 * 366 - 1)
    tz = ZoneInfo(zone)
    start_instant = datetime.combine(first, time(0), tz).astimezone(UTC)

    # Rounds: every day is in exactly one window; windows tile; numbers run 1..N within each year.
    previous = None
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        window = round_window(settings, day)
        assert day in window and window.starts <= window.last_day < window.ends
        assert 1 <= window.number <= 12 // settings.round_months
        if previous is not None and window != previous:
            assert window.starts == previous.ends == day
            if window.year_starts == previous.year_starts:
                assert window.number == previous.number + 1
            else:
                assert (window.number, previous.number) == (1, 12 // settings.round_months)
            assert round_text(previous).endswith(f"the next round starts {day:%b} {day.day}, {day.year}.")
        assert round_text(window).startswith(f"{window.name.capitalize()} runs {window.dates};")
        previous = window

    # Events, dated once, in the workspace's zone.
    activity = Activity(
        meetings_held=tuple(first + timedelta(days=offset) for offset in meetings),
        did_you_meet=tuple(
            CheckIn(calendar.local_day(start_instant + timedelta(minutes=m), zone), answer)
            for m, answer in checkins
        ),
        goals_set=tuple(calendar.local_day(start_instant + timedelta(minutes=m), zone) for m in goals),
    )
    days = activity.days()
    months = calendar.monthly_cycles(min(days, default=first), max(days, default=first))
    weeks = [
        calendar.week_cycle(monday)
        for monday in _mondays(calendar.monday_of(min(days, default=first)), max(days, default=first))
    ]
    by_month = count_per_cycle(months, activity)
    by_week = count_per_cycle(weeks, activity)
    report = Report("all programs", last, Participants(), 0, 0, tuple(by_month), 0, 0)
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))

    for field in ("meetings", "asked", "answered", "yes", "goals_set"):
        assert sum(getattr(c, field) for c in by_month) == sum(getattr(c, field) for c in by_week)
    assert sum(c.meetings for c in by_week) == len(meetings)
    assert sum(c.asked for c in by_week) == len(checkins)
    assert sum(c.goals_set for c in by_week) == len(goals)
    assert sum(int(row["meetings_logged"]) for row in rows) == report.totals.meetings == len(meetings)
    assert sum(int(row["goals_set"]) for row in rows) == report.totals.goals_set == len(goals)
    assert [row["cycle"] for row in rows] == [c.cycle.label for c in by_month]
    for row, following in zip(rows, rows[1:], strict=False):
        assert date.fromisoformat(row["end"]) + timedelta(days=1) == date.fromisoformat(following["start"])

    # The weekly digest: each digest names the week it counts, and consecutive digests never overlap.
    headings = []
    for week in weeks:
        for offset in range(7):
            assert calendar.digest_week(week.end + timedelta(days=offset)) == week
        headings.append(digest_heading({"week_of": week.start.isoformat()}))
    assert len(set(headings)) == len(headings)


def _mondays(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    cadence=st.sampled_from((7, 14, 30, 60, 90)),
    started=st.integers(0, 300),
    met=st.one_of(st.none(), st.integers(0, 300)),
    later=st.integers(0, 400 * 24),
)
def test_home_and_the_nudges_expect_the_same_meeting_days(
    zone: str, cadence: int, started: int, met: int | None, later: int
) -> None:
    """Home's "next check-in" is the first day on or after today that the planner reminds about."""
    year = date(2026, 7, 1)
    started_on = year + timedelta(days=started)
    last_met = started_on + timedelta(days=met) if met is not None else None
    now = datetime.combine(started_on, time(12), UTC) + timedelta(hours=later)
    today = calendar.local_day(now, zone)
    if last_met is not None and last_met > today:
        last_met = None
    anchor = last_met or started_on
    member = MemberSnapshot("UA", zone, "active", None, ("peer",), cadence, started_on)
    other = MemberSnapshot("UB", zone, "active", None, ("peer",), cadence, started_on)
    snapshot = WorkspaceSnapshot(
        members=(member, other),
        relationships=(
            RelationshipSnapshot(
                1, "circle", (("UA", "peer"), ("UB", "peer")), cadence, started_on, last_met
            ),
        ),
    )
    expected = {
        date.fromisoformat(nudge.payload["expected_on"])
        for nudge in plan_nudges(snapshot, now)
        if nudge.kind in ("meeting_reminder", "did_you_meet") and nudge.user_id == "UA"
    }
    shown = calendar.next_check_in(anchor, cadence, today)
    assert shown >= today and shown > anchor and (shown - anchor).days % cadence == 0
    assert shown - timedelta(days=cadence) < today or shown == anchor + timedelta(days=cadence)
    assert all((day - anchor).days % cadence == 0 and day > anchor for day in expected)
    reminded = {day for day in expected if day >= today}
    if reminded:
        assert min(reminded) == shown


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(ZONES), coordinator_zone=st.sampled_from(ZONES), hours=st.integers(0, 2 * 366 * 24)
)
def test_a_digest_is_planned_only_for_the_week_its_numbers_were_counted_for(
    zone: str, coordinator_zone: str, hours: int
) -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC) + timedelta(hours=hours)
    counted = calendar.digest_week(calendar.local_day(now, zone))
    coordinator = MemberSnapshot("UC", coordinator_zone, "active", None, ("mentor",), 30, date(2026, 1, 1))
    snapshot = WorkspaceSnapshot(
        members=(coordinator,),
        coordinators=("UC",),
        counts=ParticipationCounts(week_of=counted.start, meetings_logged=3),
    )
    digests = [nudge for nudge in plan_nudges(snapshot, now) if nudge.kind == "coordinator_digest"]
    own = calendar.digest_week(calendar.local_day(now, coordinator_zone))
    if own != counted:
        assert digests == []
        return
    assert len(digests) <= 1
    for digest in digests:
        assert digest.payload["week_of"] == counted.start.isoformat()
        assert digest.key == f"coordinator_digest:UC:{calendar.iso_week(counted.end)}"
        assert calendar.local_day(digest.due_at, coordinator_zone) >= counted.end
