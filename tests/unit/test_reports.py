"""The report's pure parts: cycles, per-cycle counts and rates, FAQ question grouping, and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.reports import (
    Activity,
    CheckIn,
    Cycle,
    Participants,
    Report,
    count_per_cycle,
    fixed_cycles,
    monthly_cycles,
    percent,
    rate,
    top_questions,
)
from bot.domain.text import file_slug
from bot.reports.export import COLUMNS, report_csv

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def assert_back_to_back(cycles: list[Cycle], first: date, last: date) -> None:
    assert cycles[0].start <= first and last < cycles[-1].end
    for before, after in zip(cycles, cycles[1:], strict=False):
        assert before.end == after.start
    assert all(cycle.start < cycle.end for cycle in cycles)


@given(days, st.integers(0, 800))
def test_monthly_cycles_are_whole_months_covering_the_range(first: date, span: int) -> None:
    last = first + timedelta(days=span)
    cycles = monthly_cycles(first, last)
    assert_back_to_back(cycles, first, last)
    assert all(cycle.start.day == 1 and cycle.end.day == 1 for cycle in cycles)
    assert cycles[0].start == first.replace(day=1)
    assert cycles[-1].start == last.replace(day=1)


def test_monthly_cycles_are_labelled_by_month_and_empty_for_a_reversed_range() -> None:
    cycles = monthly_cycles(date(2026, 12, 15), date(2027, 2, 1))
    assert [c.label for c in cycles] == ["Dec 2026", "Jan 2027", "Feb 2027"]
    assert cycles[1] == Cycle(date(2027, 1, 1), date(2027, 2, 1), "Jan 2027")
    assert monthly_cycles(date(2027, 2, 1), date(2027, 1, 1)) == []


@given(days, st.integers(1, 120), st.integers(-400, 400), st.integers(0, 400))
def test_fixed_cycles_keep_their_length_and_phase(anchor: date, length: int, offset: int, span: int) -> None:
    first = anchor + timedelta(days=offset)
    last = first + timedelta(days=span)
    cycles = fixed_cycles(anchor, length, first, last)
    assert_back_to_back(cycles, first, last)
    assert all((c.end - c.start).days == length for c in cycles)
    assert all((c.start - anchor).days % length == 0 for c in cycles)


def test_quarterly_rotations_from_july_first_are_labelled_with_first_and_last_day() -> None:
    cycles = fixed_cycles(date(2026, 7, 1), 91, date(2026, 7, 1), date(2026, 12, 31))
    assert [c.label for c in cycles] == ["Jul 1–Sep 29", "Sep 30–Dec 29", "Dec 30–Mar 30"]


checkins = st.builds(CheckIn, days, st.sampled_from([None, "met", "scheduled", "not_yet"]))


@given(st.lists(days, max_size=40), st.lists(checkins, max_size=40), st.lists(days, max_size=20))
def test_every_event_inside_the_cycles_is_counted_once(
    meetings: list[date], answers: list[CheckIn], goals: list[date]
) -> None:
    cycles = monthly_cycles(date(2024, 1, 1), date(2026, 12, 31))
    inside = cycles[0].start, cycles[-1].end
    activity = Activity(tuple(meetings), tuple(answers), tuple(goals), ())
    counted = count_per_cycle(cycles, activity)

    def within(day: date) -> bool:
        return inside[0] <= day < inside[1]

    assert sum(c.meetings for c in counted) == sum(map(within, meetings))
    assert sum(c.asked for c in counted) == sum(within(a.sent_on) for a in answers)
    assert sum(c.answered for c in counted) == sum(
        within(a.sent_on) and a.response is not None for a in answers
    )
    assert sum(c.yes for c in counted) == sum(within(a.sent_on) and a.response == "met" for a in answers)
    assert sum(c.goals_set for c in counted) == sum(map(within, goals))
    for counts in counted:
        assert counts.meetings == sum(day in counts.cycle for day in meetings)
        assert counts.yes <= counts.answered <= counts.asked


def test_rates_are_none_without_a_denominator_and_shown_as_a_dash() -> None:
    cycle = monthly_cycles(date(2027, 2, 1), date(2027, 2, 1))
    activity = Activity(
        did_you_meet=(
            CheckIn(date(2027, 2, 3), "met"),
            CheckIn(date(2027, 2, 4), "not_yet"),
            CheckIn(date(2027, 2, 5), "scheduled"),
            CheckIn(date(2027, 2, 6), None),
        )
    )
    (feb,) = count_per_cycle(cycle, activity)
    assert (feb.asked, feb.answered, feb.yes) == (4, 3, 1)
    assert feb.response_rate == 0.75 and feb.yes_rate == 1 / 3
    assert percent(feb.response_rate) == "75%" and percent(feb.yes_rate) == "33%"
    (empty,) = count_per_cycle(cycle, Activity())
    assert empty.response_rate is None and percent(empty.yes_rate) == "–"
    assert rate(0, 0) is None and rate(0, 5) == 0.0


def test_faq_questions_differing_in_case_or_spacing_are_grouped_most_asked_first() -> None:
    asked = [
        "Parking?",
        "How do I find a mentor?",
        "how do I  find a mentor?",
        "",
        "Leave policy",
        "parking?",
    ]
    assert top_questions(asked) == (("Parking?", 2), ("How do I find a mentor?", 2), ("Leave policy", 1))
    assert top_questions(asked, limit=1) == (("Parking?", 2),)


def test_the_csv_has_one_row_per_cycle_with_counts_and_blank_rates_when_nobody_was_asked() -> None:
    cycles = monthly_cycles(date(2027, 1, 1), date(2027, 2, 28))
    activity = Activity(
        meetings_held=(date(2027, 1, 9), date(2027, 2, 2), date(2027, 2, 20)),
        did_you_meet=(CheckIn(date(2027, 2, 3), "met"), CheckIn(date(2027, 2, 4), None)),
        goals_set=(date(2027, 1, 5),),
        goals_completed=(date(2027, 2, 25),),
    )
    report = Report(
        title="PGY-1 peer circles",
        as_of=date(2027, 2, 28),
        participants=Participants(active=5, paused=1),
        circles=2,
        mentorships=0,
        cycles=tuple(count_per_cycle(cycles, activity)),
        stalled=0,
        dead_letters=0,
    )
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert tuple(rows[0]) == COLUMNS
    assert rows == [
        {
            "cycle": "Jan 2027",
            "start": "2027-01-01",
            "end": "2027-01-31",
            "meetings_logged": "1",
            "did_you_meet_asked": "0",
            "did_you_meet_answered": "0",
            "did_you_meet_yes": "0",
            "response_rate": "",
            "yes_rate": "",
            "goals_set": "1",
            "goals_completed": "0",
        },
        {
            "cycle": "Feb 2027",
            "start": "2027-02-01",
            "end": "2027-02-28",
            "meetings_logged": "2",
            "did_you_meet_asked": "2",
            "did_you_meet_answered": "1",
            "did_you_meet_yes": "1",
            "response_rate": "0.500",
            "yes_rate": "1.000",
            "goals_set": "0",
            "goals_completed": "1",
        },
    ]
    assert report.totals.meetings == 3 and report.participants.total == 6


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("IM Faculty Mentoring", "im-faculty-mentoring"),
        ("PGY-1 Peer Circles", "pgy-1-peer-circles"),
        ("Médecine & Chirurgie", "medecine-chirurgie"),
        ("all programs", "all-programs"),
        ("!!!", "program"),
    ],
)
def test_a_report_file_name_carries_its_program(title: str, slug: str) -> None:
    assert file_slug(title) == slug
