"""When a nudge may reach a member: their send hour, in their own time zone, DST-safe.

A send time is the member's send hour on a local calendar day, on a weekday unless their schedule
allows weekends, and never inside quiet hours (a send hour that falls inside quiet hours moves to the
end of them). Local times come from `zoneinfo`: on a spring-forward day a send hour that does not
exist becomes the first local minute that does; on a fall-back day an ambiguous hour means its first
occurrence. An unknown or empty time zone reads as UTC rather than failing the whole plan.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import Schedule

_SEARCH_DAYS = 14
"""Any sane schedule finds a send time within a few days; this bounds the search for odd ones."""
_GAP_SEARCH_MINUTES = 26 * 60
"""Long enough to step over any gap in the tz database, even a skipped calendar day."""


@lru_cache(maxsize=1024)
def resolve_zone(tz: str | None) -> ZoneInfo:
    """The IANA zone named `tz`, or UTC when it is empty or unknown."""
    if not tz:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


def local_date(at: datetime, tz: str | None) -> date:
    """The calendar date at the instant `at` in zone `tz`."""
    return _aware(at).astimezone(resolve_zone(tz)).date()


def is_quiet_hour(hour: int, schedule: Schedule) -> bool:
    """Whether a local hour lies in quiet hours (which may wrap past midnight; equal ends mean none)."""
    start, end = schedule.quiet_start % 24, schedule.quiet_end % 24
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def effective_send_hour(schedule: Schedule) -> int:
    """The schedule's send hour, moved to the end of quiet hours when it falls inside them."""
    hour = min(max(schedule.send_hour, 0), 23)
    return schedule.quiet_end % 24 if is_quiet_hour(hour, schedule) else hour


def is_sendable(at: datetime, tz: str | None, schedule: Schedule) -> bool:
    """Whether a nudge may go out at the instant `at`: an allowed day and outside quiet hours.

    It does not require the send hour itself, so a delivery that runs late can still tell a fine
    moment (mid-afternoon) from a bad one (the middle of the night, a Sunday).
    """
    local = _aware(at).astimezone(resolve_zone(tz))
    if schedule.weekdays_only and local.weekday() >= 5:
        return False
    return not is_quiet_hour(local.hour, schedule)


def next_send_time(
    after: datetime, tz: str | None, schedule: Schedule, on_or_after: date | None = None
) -> datetime:
    """The first send time at or after the instant `after` (and on or after local day `on_or_after`), in UTC."""
    after = _aware(after).astimezone(UTC)
    zone = resolve_zone(tz)
    hour = effective_send_hour(schedule)
    day = after.astimezone(zone).date()
    if on_or_after is not None and on_or_after > day:
        day = on_or_after
    for offset in range(_SEARCH_DAYS):
        candidate = _first_valid_local(datetime.combine(day + timedelta(days=offset), time(hour), zone))
        if candidate >= after and is_sendable(candidate, tz, schedule):
            return candidate
    return after


def _first_valid_local(wall: datetime) -> datetime:
    """`wall` as a UTC instant; if that wall time does not exist (a DST gap), the first minute after it that does."""
    probe = wall
    for _ in range(_GAP_SEARCH_MINUTES):
        instant = probe.astimezone(UTC)
        if instant.astimezone(wall.tzinfo).replace(tzinfo=None) == probe.replace(tzinfo=None):
            return instant
        probe += timedelta(minutes=1)
    return wall.astimezone(UTC)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
