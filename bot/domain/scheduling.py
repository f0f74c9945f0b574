"""Finding a time to meet: suggested slots, the vote and its outcome, and the calendar invite (RFC 5545).

Slots are instants (aware datetimes in UTC). Everyone sees them in their own zone because messages show
them as Slack date tokens; suggestions look at each person's zone, the local hour they get our messages
(their send hour: they are around from then) and the weekdays they marked as usually on nights or call.

A slot is chosen once at least two people have answered (in a pair: both) and every one of them can make
it; when several qualify, the earliest still to come. People who have not answered do not hold a
circle back: whoever answered decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.calendar import zone

MIN_SLOTS = 1
MAX_SLOTS = 4
SUGGESTED = 3
MEETING_MINUTES = 45
LATEST_START_HOUR = 20
"""No suggested meeting starts later than 20:00 local for anyone."""
LOOK_AHEAD_DAYS = 14
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Person:
    user_id: str
    tz: str | None
    send_hour: int = 9
    call_days: frozenset[int] = field(default_factory=frozenset)
    """Weekdays (0 = Monday) this person is usually on nights or call."""


def call_days_of(stored: Iterable[object] | None) -> frozenset[int]:
    """Weekday numbers from a stored list (weekday codes such as "mon"); anything else is ignored."""
    return frozenset(WEEKDAYS.index(str(day)) for day in stored or () if str(day) in WEEKDAYS)


def fits(person: Person, at: datetime) -> bool:
    """Whether a meeting starting at `at` suits `person`: not a call day, from their send hour to 20:00."""
    local = at.astimezone(zone(person.tz))
    start = min(max(person.send_hour, 0), LATEST_START_HOUR)
    return local.weekday() not in person.call_days and start <= local.hour <= LATEST_START_HOUR


def suggest_slots(people: Sequence[Person], now: datetime, count: int = SUGGESTED) -> list[datetime]:
    """Up to `count` slots on different days from tomorrow (UTC) on, on the hour, that suit everyone."""
    first = datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(0), UTC)
    found: list[datetime] = []
    for day in range(LOOK_AHEAD_DAYS):
        start = first + timedelta(days=day)
        slot = next(
            (
                start + timedelta(hours=hour)
                for hour in range(24)
                if all(fits(person, start + timedelta(hours=hour)) for person in people)
            ),
            None,
        )
        if slot is not None:
            found.append(slot)
        if len(found) == count:
            break
    return found


def slot_from_local(day: date, at: time, tz: str | None) -> datetime:
    """The instant a local day and time in zone `tz` name."""
    return datetime.combine(day, at, zone(tz)).astimezone(UTC)


@dataclass(frozen=True)
class Vote:
    voter: str
    slot: int
    can: bool


@dataclass(frozen=True)
class SlotTally:
    index: int
    at: datetime
    can: tuple[str, ...]
    cannot: tuple[str, ...]


def tally(slots: Sequence[datetime], votes: Iterable[Vote]) -> list[SlotTally]:
    """Who can and who can't make each slot, in the order people answered."""
    listed = list(votes)
    return [
        SlotTally(
            index,
            at,
            tuple(v.voter for v in listed if v.slot == index and v.can),
            tuple(v.voter for v in listed if v.slot == index and not v.can),
        )
        for index, at in enumerate(slots)
    ]


def answered(votes: Iterable[Vote]) -> set[str]:
    return {vote.voter for vote in votes}


def needed_answers(group_size: int) -> int:
    """At least two people decide (in a pair, both); a "group" of one decides alone."""
    return min(2, max(group_size, 1))


def chosen_slot(
    slots: Sequence[datetime], votes: Sequence[Vote], group_size: int, now: datetime
) -> int | None:
    """The slot everyone who answered can make, once enough have answered; the earliest still ahead."""
    voters = answered(votes)
    if len(voters) < needed_answers(group_size):
        return None
    agreed = [entry for entry in tally(slots, votes) if entry.at > now and set(entry.can) == voters]
    return min(agreed, key=lambda entry: entry.at).index if agreed else None


# -- the calendar invite (RFC 5545) ----------------------------------------------------------------

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//Mentor Circles//Find a time//EN"


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character; each
    continuation starts with a space, which counts towards its 75."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1
        current += char
        size += octets
    parts.append(current)
    return (CRLF + " ").join(parts)


def ics_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Invite:
    uid: str
    stamp: datetime
    start: datetime
    summary: str
    description: str = ""
    minutes: int = MEETING_MINUTES


def ics_text(invite: Invite) -> str:
    """A VCALENDAR with one VEVENT, CRLF line endings, folded lines and times in UTC."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{invite.uid}",
        f"DTSTAMP:{ics_time(invite.stamp)}",
        f"DTSTART:{ics_time(invite.start)}",
        f"DTEND:{ics_time(invite.start + timedelta(minutes=invite.minutes))}",
        f"SUMMARY:{ics_escape(invite.summary)}",
    ]
    if invite.description:
        lines.append(f"DESCRIPTION:{ics_escape(invite.description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
