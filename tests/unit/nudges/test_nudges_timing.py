from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.nudges.model import Schedule
from bot.domain.nudges.timing import (
    effective_send_hour,
    is_quiet_hour,
    is_sendable,
    local_date,
    next_send_time,
    resolve_zone,
)

DEFAULT = Schedule()
ANY_DAY = Schedule(weekdays_only=False)
NO_QUIET_ANY_DAY = Schedule(weekdays_only=False, quiet_start=0, quiet_end=0)
ZONES = sorted(available_timezones() - {"Factory", "localtime"})


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def send_on(day: date, tz: str, schedule: Schedule = DEFAULT) -> datetime:
    """The send time on `day` itself, asked for from well before it."""
    return next_send_time(
        utc(day.year, day.month, day.day) - timedelta(days=2), tz, schedule, on_or_after=day
    )


# Transition weekends: the Friday before and the Monday after each change, at 9:00 local, in UTC.
DST_CASES = [
    # US 2026: clocks spring forward Sun Mar 8 and fall back Sun Nov 1.
    ("America/New_York", date(2026, 3, 6), utc(2026, 3, 6, 14)),
    ("America/New_York", date(2026, 3, 9), utc(2026, 3, 9, 13)),
    ("America/New_York", date(2026, 10, 30), utc(2026, 10, 30, 13)),
    ("America/New_York", date(2026, 11, 2), utc(2026, 11, 2, 14)),
    ("America/Chicago", date(2026, 3, 6), utc(2026, 3, 6, 15)),
    ("America/Chicago", date(2026, 3, 9), utc(2026, 3, 9, 14)),
    ("America/Chicago", date(2026, 10, 30), utc(2026, 10, 30, 14)),
    ("America/Chicago", date(2026, 11, 2), utc(2026, 11, 2, 15)),
    ("America/Los_Angeles", date(2026, 3, 6), utc(2026, 3, 6, 17)),
    ("America/Los_Angeles", date(2026, 3, 9), utc(2026, 3, 9, 16)),
    ("America/Los_Angeles", date(2026, 10, 30), utc(2026, 10, 30, 16)),
    ("America/Los_Angeles", date(2026, 11, 2), utc(2026, 11, 2, 17)),
    # Arizona keeps standard time all year.
    ("America/Phoenix", date(2026, 3, 6), utc(2026, 3, 6, 16)),
    ("America/Phoenix", date(2026, 3, 9), utc(2026, 3, 9, 16)),
    ("America/Phoenix", date(2026, 11, 2), utc(2026, 11, 2, 16)),
    # US 2027: Sun Mar 14 and Sun Nov 7.
    ("America/New_York", date(2027, 3, 12), utc(2027, 3, 12, 14)),
    ("America/New_York", date(2027, 3, 15), utc(2027, 3, 15, 13)),
    ("America/New_York", date(2027, 11, 5), utc(2027, 11, 5, 13)),
    ("America/New_York", date(2027, 11, 8), utc(2027, 11, 8, 14)),
    ("America/Los_Angeles", date(2027, 3, 15), utc(2027, 3, 15, 16)),
    ("America/Phoenix", date(2027, 3, 15), utc(2027, 3, 15, 16)),
    # EU 2026: Sun Mar 29 and Sun Oct 25; 2027: Sun Mar 28 and Sun Oct 31.
    ("Europe/London", date(2026, 3, 27), utc(2026, 3, 27, 9)),
    ("Europe/London", date(2026, 3, 30), utc(2026, 3, 30, 8)),
    ("Europe/London", date(2026, 10, 23), utc(2026, 10, 23, 8)),
    ("Europe/London", date(2026, 10, 26), utc(2026, 10, 26, 9)),
    ("Europe/Berlin", date(2026, 3, 27), utc(2026, 3, 27, 8)),
    ("Europe/Berlin", date(2026, 3, 30), utc(2026, 3, 30, 7)),
    ("Europe/Berlin", date(2026, 10, 23), utc(2026, 10, 23, 7)),
    ("Europe/Berlin", date(2026, 10, 26), utc(2026, 10, 26, 8)),
    ("Europe/London", date(2027, 3, 26), utc(2027, 3, 26, 9)),
    ("Europe/London", date(2027, 3, 29), utc(2027, 3, 29, 8)),
    ("Europe/Berlin", date(2027, 10, 29), utc(2027, 10, 29, 7)),
    ("Europe/Berlin", date(2027, 11, 1), utc(2027, 11, 1, 8)),
    # Southern hemisphere: Sydney leaves daylight time on Sun Apr 5 2026 and returns on Sun Oct 4.
    ("Australia/Sydney", date(2026, 4, 3), utc(2026, 4, 2, 22)),
    ("Australia/Sydney", date(2026, 4, 6), utc(2026, 4, 5, 23)),
    ("Australia/Sydney", date(2026, 10, 2), utc(2026, 10, 1, 23)),
    ("Australia/Sydney", date(2026, 10, 5), utc(2026, 10, 4, 22)),
    # Half- and three-quarter-hour offsets.
    ("Asia/Kolkata", date(2026, 3, 9), utc(2026, 3, 9, 3, 30)),
    ("Pacific/Chatham", date(2026, 4, 3), utc(2026, 4, 2, 19, 15)),
    ("Pacific/Chatham", date(2026, 4, 6), utc(2026, 4, 5, 20, 15)),
    ("Pacific/Chatham", date(2026, 9, 25), utc(2026, 9, 24, 20, 15)),
    ("Pacific/Chatham", date(2026, 9, 28), utc(2026, 9, 27, 19, 15)),
]


@pytest.mark.parametrize(("tz", "day", "expected"), DST_CASES)
def test_nine_local_on_both_sides_of_each_transition(tz: str, day: date, expected: datetime) -> None:
    assert send_on(day, tz) == expected


@pytest.mark.parametrize(
    ("tz", "day", "expected"),
    [
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 13)),
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 14)),
        ("America/Chicago", date(2027, 3, 14), utc(2027, 3, 14, 14)),
        ("Europe/Berlin", date(2026, 3, 29), utc(2026, 3, 29, 7)),
        ("Europe/London", date(2026, 10, 25), utc(2026, 10, 25, 9)),
        ("Australia/Sydney", date(2026, 4, 5), utc(2026, 4, 4, 23)),
    ],
)
def test_nine_local_on_the_transition_sunday_itself(tz: str, day: date, expected: datetime) -> None:
    assert send_on(day, tz, ANY_DAY) == expected


@pytest.mark.parametrize(
    ("tz", "day", "hour", "expected_wall", "expected"),
    [
        # 2:00-2:59 does not exist in New York on Mar 8 2026: the first minute that does is 3:00 EDT.
        ("America/New_York", date(2026, 3, 8), 2, datetime(2026, 3, 8, 3, 0), utc(2026, 3, 8, 7)),
        ("America/Chicago", date(2027, 3, 14), 2, datetime(2027, 3, 14, 3, 0), utc(2027, 3, 14, 8)),
        ("Europe/Berlin", date(2026, 3, 29), 2, datetime(2026, 3, 29, 3, 0), utc(2026, 3, 29, 1)),
        # London skips 1:00-1:59 on Mar 28 2027.
        ("Europe/London", date(2027, 3, 28), 1, datetime(2027, 3, 28, 2, 0), utc(2027, 3, 28, 1)),
        # Chatham skips 2:45-3:44 on Sep 27 2026: 3:00 becomes 3:45 CHADT (+13:45).
        ("Pacific/Chatham", date(2026, 9, 27), 3, datetime(2026, 9, 27, 3, 45), utc(2026, 9, 26, 14)),
    ],
)
def test_a_send_hour_inside_a_gap_moves_to_the_first_valid_minute(
    tz: str, day: date, hour: int, expected_wall: datetime, expected: datetime
) -> None:
    schedule = Schedule(send_hour=hour, weekdays_only=False, quiet_start=0, quiet_end=0)
    result = send_on(day, tz, schedule)
    assert result == expected
    assert result.astimezone(ZoneInfo(tz)).replace(tzinfo=None) == expected_wall


@pytest.mark.parametrize(
    ("tz", "day", "expected"),
    [
        # 1:00 happens twice in New York on Nov 1 2026 (EDT, then EST): the first one counts.
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 5)),
        # 2:00 happens twice in Berlin on Oct 25 2026 (CEST, then CET).
        ("Europe/Berlin", date(2026, 10, 25), utc(2026, 10, 25, 0)),
    ],
)
def test_an_ambiguous_send_hour_uses_its_first_occurrence(tz: str, day: date, expected: datetime) -> None:
    hour = expected.astimezone(ZoneInfo(tz)).hour
    assert (
        send_on(day, tz, Schedule(send_hour=hour, weekdays_only=False, quiet_start=0, quiet_end=0))
        == expected
    )


def test_the_second_occurrence_is_skipped_once_the_first_has_passed() -> None:
    schedule = Schedule(send_hour=1, weekdays_only=False, quiet_start=0, quiet_end=0)
    result = next_send_time(utc(2026, 11, 1, 5, 30), "America/New_York", schedule)
    assert result == utc(2026, 11, 2, 6)


TEN_PLUS_ZONES = [
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Pacific/Chatham",
    "Pacific/Honolulu",
]


@pytest.mark.parametrize("day", [date(2026, 3, 9), date(2026, 3, 30), date(2026, 4, 6), date(2026, 11, 2)])
def test_members_in_many_zones_each_get_nine_local_on_the_same_local_day(day: date) -> None:
    instants = {}
    for tz in TEN_PLUS_ZONES:
        result = send_on(day, tz)
        local = result.astimezone(ZoneInfo(tz))
        assert (local.date(), local.time()) == (day, time(9, 0)), tz
        instants[tz] = result
    assert len(set(instants.values())) >= 10


def test_an_unknown_or_empty_zone_reads_as_utc() -> None:
    after = utc(2026, 3, 10, 12)
    expected = utc(2026, 3, 11, 9)
    assert next_send_time(after, "Mars/Olympus_Mons", Schedule()) == expected
    assert next_send_time(after, "", Schedule()) == expected
    assert next_send_time(after, None, Schedule()) == expected
    assert next_send_time(after, "../../etc/passwd", Schedule()) == expected
    assert resolve_zone("Not a zone") == ZoneInfo("UTC")


def test_a_naive_instant_is_read_as_utc() -> None:
    assert next_send_time(datetime(2026, 3, 10, 12), "UTC", Schedule()) == utc(2026, 3, 11, 9)


def test_weekends_are_skipped_unless_allowed() -> None:
    friday_noon = utc(2026, 3, 13, 17)  # 13:00 in New York
    assert next_send_time(friday_noon, "America/New_York", Schedule()) == utc(2026, 3, 16, 13)
    assert next_send_time(friday_noon, "America/New_York", ANY_DAY) == utc(2026, 3, 14, 13)


def test_the_send_hour_itself_counts_as_at_or_after() -> None:
    nine = utc(2026, 3, 10, 13)
    assert next_send_time(nine, "America/New_York", Schedule()) == nine
    assert next_send_time(nine + timedelta(seconds=1), "America/New_York", Schedule()) == utc(2026, 3, 11, 13)


def test_on_or_after_sets_the_earliest_local_day() -> None:
    result = next_send_time(utc(2026, 3, 2), "Asia/Tokyo", Schedule(), on_or_after=date(2026, 3, 4))
    assert result == utc(2026, 3, 4, 0)
    earlier_day = next_send_time(utc(2026, 3, 2), "Asia/Tokyo", Schedule(), on_or_after=date(2026, 2, 1))
    assert earlier_day == utc(2026, 3, 2, 0)


@pytest.mark.parametrize(
    ("schedule", "expected_hour"),
    [
        (Schedule(send_hour=7, quiet_start=20, quiet_end=8), 8),
        (Schedule(send_hour=22, quiet_start=21, quiet_end=6), 6),
        (Schedule(send_hour=13, quiet_start=12, quiet_end=14), 14),
        (Schedule(send_hour=2, quiet_start=5, quiet_end=5), 2),
        (Schedule(send_hour=17, quiet_start=20, quiet_end=8), 17),
    ],
)
def test_a_send_hour_in_quiet_hours_moves_to_their_end(schedule: Schedule, expected_hour: int) -> None:
    assert effective_send_hour(schedule) == expected_hour
    result = next_send_time(utc(2026, 3, 10), "Europe/Berlin", schedule, on_or_after=date(2026, 3, 10))
    assert result.astimezone(ZoneInfo("Europe/Berlin")).hour == expected_hour


@pytest.mark.parametrize(
    ("hour", "quiet"),
    [(21, True), (23, True), (0, True), (7, True), (8, False), (12, False), (19, False), (20, True)],
)
def test_quiet_hours_wrap_past_midnight(hour: int, quiet: bool) -> None:
    assert is_quiet_hour(hour, Schedule(quiet_start=20, quiet_end=8)) is quiet


@pytest.mark.parametrize(
    ("at", "schedule", "sendable"),
    [
        (utc(2026, 3, 10, 18), Schedule(), True),  # Tuesday 14:00 in New York
        (utc(2026, 3, 11, 3), Schedule(), False),  # Tuesday 23:00
        (utc(2026, 3, 15, 18), Schedule(), False),  # Sunday 14:00
        (utc(2026, 3, 15, 18), ANY_DAY, True),
        (utc(2026, 3, 11, 3), NO_QUIET_ANY_DAY, True),
    ],
)
def test_is_sendable(at: datetime, schedule: Schedule, sendable: bool) -> None:
    assert is_sendable(at, "America/New_York", schedule) is sendable


def test_local_date_follows_the_zone() -> None:
    instant = utc(2026, 3, 10, 23, 30)
    assert local_date(instant, "Asia/Kolkata") == date(2026, 3, 11)
    assert local_date(instant, "America/Los_Angeles") == date(2026, 3, 10)


schedules = st.builds(
    Schedule,
    send_hour=st.integers(0, 23),
    weekdays_only=st.booleans(),
    quiet_start=st.integers(0, 23),
    quiet_end=st.integers(0, 23),
)
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


@settings(max_examples=400, deadline=None)
@given(
    after=instants,
    tz=st.sampled_from(ZONES),
    schedule=schedules,
    on_or_after=st.none() | st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
)
def test_next_send_time_properties(
    after: datetime, tz: str, schedule: Schedule, on_or_after: date | None
) -> None:
    zone = ZoneInfo(tz)
    result = next_send_time(after, tz, schedule, on_or_after)
    local = result.astimezone(zone)
    hour = effective_send_hour(schedule)

    assert result.tzinfo is UTC
    assert result >= after
    if on_or_after is not None:
        assert local.date() >= on_or_after
    if schedule.weekdays_only:
        assert local.weekday() < 5
    assert not is_quiet_hour(local.hour, schedule)
    assert is_sendable(result, tz, schedule)

    intended = datetime.combine(local.date(), time(hour))
    if (local.hour, local.minute) == (hour, 0):
        assert _exists(intended, zone)
    else:
        # Only a DST gap may move it: the intended wall time (on this day or the one before, for a gap
        # that swallows midnight) did not exist, and the minute before the result is still before it.
        gap_days = [
            d
            for d in (local.date(), local.date() - timedelta(days=1))
            if not _exists(datetime.combine(d, time(hour)), zone)
        ]
        assert gap_days, (tz, local)
        before = (result - timedelta(minutes=1)).astimezone(zone).replace(tzinfo=None)
        assert before < datetime.combine(gap_days[0], time(hour))

    # Nothing earlier would do: every earlier day's send time was before `after` or not allowed.
    first_day = max(after.astimezone(zone).date(), on_or_after or date.min)
    day = first_day
    while day < local.date() - timedelta(days=1):
        earlier = send_on_wall(day, hour, zone)
        assert earlier < after or not is_sendable(earlier, tz, schedule), (tz, day)
        day += timedelta(days=1)


def send_on_wall(day: date, hour: int, zone: ZoneInfo) -> datetime:
    wall = datetime.combine(day, time(hour))
    while not _exists(wall, zone):
        wall += timedelta(minutes=1)
    return wall.replace(tzinfo=zone).astimezone(UTC)


@settings(max_examples=200, deadline=None)
@given(after=instants, tz=st.sampled_from(ZONES), schedule=schedules)
def test_next_send_time_is_a_fixed_point(after: datetime, tz: str, schedule: Schedule) -> None:
    first = next_send_time(after, tz, schedule)
    assert next_send_time(first, tz, schedule) == first
