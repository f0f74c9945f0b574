"""The one calendar: round windows, their names and their last week, report cycles, digest weeks and check-in dates.

Every surface that shows or counts by date (the program page and Home, match previews, stats, the CSV,
the chart and the coordinators' weekly digest) asks this module, so a day falls in the same round,
cycle and week everywhere. Pure: dates and IANA zone names in, dates and labels out.

Windows are half-open: `starts` is their first day and `ends` the first day after them; `last_day` is
what people are shown. A stored instant belongs to the local day it falls on in the workspace's zone
(`local_day`), never to its UTC date.
"""

from __future__ import annotations

import calendar as _gregorian
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DIGEST_WEEKDAY = 0
"""Weeks run Monday to Sunday; the weekly digest goes out on the Monday after."""
ONE_DAY = timedelta(days=1)


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone `name`, or UTC when it is empty or unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def local_day(at: datetime, tz: str | None) -> date:
    """The calendar day the instant `at` falls on in zone `tz` (a naive `at` is UTC, as stored)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(zone(tz)).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, on the month's last day when it is shorter (Jan 31 + 1 = Feb 28)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, _gregorian.monthrange(year, month + 1)[1]))


def span(first: date, last: date) -> str:
    """'Oct 1 – Dec 31, 2026', or 'Nov 1, 2026 – Jan 31, 2027' across a new year."""
    if first.year == last.year:
        return f"{first:%b} {first.day} – {last:%b} {last.day}, {last.year}"
    return f"{first:%b} {first.day}, {first.year} – {last:%b} {last.day}, {last.year}"


# Rounds -----------------------------------------------------------------------------------------


def program_year_start(year_start: tuple[int, int], today: date) -> date:
    """The first day of the program year `today` falls in (a year starting on July 1, say)."""
    month, day = year_start
    starts = _on(today.year, month, day)
    return starts if starts <= today else _on(today.year - 1, month, day)


def _on(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _gregorian.monthrange(year, month)[1]))


def year_label(first_day: date) -> str:
    """A program year's name: '2026–27', or '2027' when it runs January to December."""
    if (first_day.month, first_day.day) == (1, 1):
        return str(first_day.year)
    return f"{first_day.year}–{(first_day.year + 1) % 100:02d}"


@dataclass(frozen=True)
class RoundWindow:
    number: int
    """1-based position of the round within its program year."""
    starts: date
    ends: date
    """The first day of the next round (the window is `starts <= day < ends`); people see `last_day`."""
    year_starts: date | None = None
    """The first day of the program year the round belongs to."""

    @property
    def last_day(self) -> date:
        return self.ends - ONE_DAY

    @property
    def year(self) -> str:
        return year_label(self.year_starts or self.starts)

    @property
    def name(self) -> str:
        """'round 2 of 2026–27': the one way a round is named, on the program page and in previews."""
        return f"round {self.number} of {self.year}"

    @property
    def dates(self) -> str:
        return span(self.starts, self.last_day)

    def __contains__(self, day: date) -> bool:
        return self.starts <= day < self.ends


def round_window(round_months: int, year_start: tuple[int, int], today: date) -> RoundWindow:
    """The round `today` falls in: back-to-back rounds of `round_months` counted from the year start.

    Each round's first day is the year start plus a whole number of rounds, so a year starting on the
    31st keeps starting rounds on the month's last day instead of drifting.
    """
    first = program_year_start(year_start, today)
    index = next(
        i for i in range(12 // round_months, 0, -1) if add_months(first, (i - 1) * round_months) <= today
    )
    starts = add_months(first, (index - 1) * round_months)
    return RoundWindow(index, starts, add_months(first, index * round_months), first)


FEEDBACK_WEEK = timedelta(days=7)
"""A round's last week: when its end-of-round feedback goes out."""


def feedback_opens(window: RoundWindow) -> date:
    """The first day of the round's last week: "near the end" of a round, when its feedback is asked for."""
    return max(window.starts, window.ends - FEEDBACK_WEEK)


def is_near_end(window: RoundWindow, day: date) -> bool:
    """Whether `day` falls in the round's last week (from `feedback_opens` through its last day)."""
    return feedback_opens(window) <= day < window.ends


# Report cycles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    """A stretch of the program a report counts by: `start` inclusive, `end` exclusive."""

    start: date
    end: date
    label: str

    @property
    def last_day(self) -> date:
        return self.end - ONE_DAY

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def month_cycle(day: date) -> Cycle:
    start = day.replace(day=1)
    return Cycle(start, add_months(start, 1), f"{start:%b %Y}")


def monthly_cycles(first: date, last: date) -> list[Cycle]:
    """Calendar months from the one holding `first` through the one holding `last`."""
    cycles: list[Cycle] = []
    day = first
    while day <= last:
        cycles.append(month_cycle(day))
        day = cycles[-1].end
    return cycles


def fixed_cycles(anchor: date, length_days: int, first: date, last: date) -> list[Cycle]:
    """Back-to-back cycles of `length_days` counted from `anchor`, covering `first` through `last`."""
    if length_days <= 0:
        raise ValueError("a cycle lasts at least one day")
    if last < first:
        return []
    start = anchor + timedelta(days=((first - anchor).days // length_days) * length_days)
    cycles = []
    while start <= last:
        end = start + timedelta(days=length_days)
        closing = end - ONE_DAY
        cycles.append(Cycle(start, end, f"{start:%b} {start.day}–{closing:%b} {closing.day}"))
        start = end
    return cycles


# Digest weeks -----------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=(day.weekday() - DIGEST_WEEKDAY) % 7)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_cycle(monday: date) -> Cycle:
    """The week from `monday` through the Sunday after it."""
    end = monday + timedelta(days=7)
    return Cycle(monday, end, span(monday, end - ONE_DAY))


def digest_week(today: date) -> Cycle:
    """The last whole week before `today`'s: what a digest sent in `today`'s week reports on."""
    return week_cycle(monday_of(today) - timedelta(days=7))


# Check-ins --------------------------------------------------------------------------------------


def check_in_on(anchor: date, cadence_days: int, cycle: int) -> date:
    """The day a relationship is next expected to meet, `cycle` cadences after its last meeting (or
    its start): the day its reminder leads up to and its "did you meet?" follows."""
    return anchor + timedelta(days=cadence_days * cycle)


def next_check_in(anchor: date, cadence_days: int, today: date) -> date:
    """The first expected meeting day on or after `today` (never a day already past)."""
    if cadence_days <= 0:
        raise ValueError("a cadence lasts at least one day")
    elapsed = (today - anchor).days
    cycle = max(1, -(-elapsed // cadence_days))
    return check_in_on(anchor, cadence_days, cycle)


def workspace_zone(member_zones: Iterable[str | None]) -> str:
    """The zone a workspace's calendar runs in: the one most of its members share (ties: the first
    name in order), UTC when nobody has one. Reports, exports and digests date stored instants by it."""
    counts = Counter(name for name in member_zones if name)
    if not counts:
        return "UTC"
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
