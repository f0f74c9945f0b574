"""The coordinators' roster: who takes part in which program, where they are placed, and how it is going.

Pure: `storage/roster.py` reads the rows, using the report's definitions of a person's state in a
program (`bot.domain.members.state.standing`) and of which program each relationship, meeting and
check-in belongs to (`storage.reports.Ownership`). Nothing here holds goal text, meeting notes or
do-not-match lists: someone left out by a list looks exactly like anyone else not placed yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.members.state import MemberStatus
from bot.domain.reports import YES, rate

FILTERS = ("unmatched", "paused", "left", "changes")
"""The roster's filters; with none, everyone taking part (active or paused) is listed."""
PAGE_SIZE = 10


@dataclass(frozen=True)
class CheckIns:
    """The "did you meet?" questions delivered, and how they were answered."""

    asked: int = 0
    answered: int = 0
    yes: int = 0

    def add(self, response: str | None) -> CheckIns:
        return CheckIns(self.asked + 1, self.answered + (response is not None), self.yes + (response == YES))

    @property
    def response_rate(self) -> float | None:
        return rate(self.answered, self.asked)


@dataclass(frozen=True)
class Placement:
    """One live circle or mentorship a participant is in, from their side."""

    kind: str
    """`circle` or `mentorship`."""
    role: str
    label: str
    others: tuple[tuple[str, str], ...]
    """(Slack user id, role) of the others in it."""


@dataclass(frozen=True)
class RosterEntry:
    """One person in one program."""

    user_id: str
    name: str
    roles: tuple[str, ...]
    stage: str | None
    program: str
    status: MemberStatus
    placements: tuple[Placement, ...]
    meetings: int
    last_met: date | None
    check_ins: CheckIns
    asked_for_change: bool = False
    """They asked privately for a different mentor or circle, and it is not honoured yet."""
    change_reasons: tuple[str, ...] = ()
    """What they said about it ("" when they gave no reason): for coordinators only."""

    @property
    def placed(self) -> bool:
        return bool(self.placements)


@dataclass(frozen=True)
class RelationshipRow:
    """One circle or mentorship of a program, for the participation CSV."""

    id: int
    program: str
    kind: str
    label: str
    people: tuple[tuple[str, str, str], ...]
    """(Slack user id, name, role) of everyone in it."""
    live: bool
    started_on: date
    meetings: int
    last_met: date | None
    check_ins: CheckIns


def keeps(entry: RosterEntry, wanted: str | None) -> bool:
    """Whether the roster filtered by `wanted` (one of `FILTERS`, or None) lists the entry."""
    if wanted == "left":
        return entry.status == MemberStatus.LEFT
    if entry.status == MemberStatus.LEFT:
        return False
    if wanted == "paused":
        return entry.status == MemberStatus.PAUSED
    if wanted == "unmatched":
        return not entry.placed
    if wanted == "changes":
        return entry.asked_for_change
    return True


def ordered(entries: Sequence[RosterEntry]) -> list[RosterEntry]:
    """By name (case folded), then program: an order that says nothing about why anyone is where they are."""
    return sorted(entries, key=lambda e: (e.name.casefold(), e.user_id, e.program.casefold()))


@dataclass(frozen=True)
class RosterQuery:
    """What `/mentor admin people ...` asked for: a program name ("" for all), a filter, a page, a CSV."""

    program: str = ""
    wanted: str | None = None
    page: int = 0
    csv: bool = False


def parse_query(text: str) -> RosterQuery:
    """`[PROGRAM] [unmatched|paused|left] [N]` or `[PROGRAM] csv`, the program name with any spaces.

    Words are read from the end: a page number, then a filter or `csv`; what is left is the program.
    """
    words = text.split()
    page = 0
    if words and words[-1].isdigit():
        page = max(int(words.pop()[:6]) - 1, 0)
    wanted: str | None = None
    csv = False
    if words and words[-1].lower() in FILTERS:
        wanted = words.pop().lower()
    elif words and words[-1].lower() == "csv":
        csv = True
        words.pop()
    return RosterQuery(" ".join(words), wanted, page, csv)


@dataclass(frozen=True)
class RosterPage:
    entries: tuple[RosterEntry, ...]
    page: int
    total: int
    query: RosterQuery
    size: int = PAGE_SIZE

    @property
    def more(self) -> bool:
        return (self.page + 1) * self.size < self.total

    @property
    def pages(self) -> int:
        return max((self.total + self.size - 1) // self.size, 1)


def page_of(entries: Sequence[RosterEntry], query: RosterQuery, size: int = PAGE_SIZE) -> RosterPage:
    kept = [entry for entry in ordered(entries) if keeps(entry, query.wanted)]
    last = max((len(kept) - 1) // size, 0)
    page = min(query.page, last)
    return RosterPage(tuple(kept[page * size : (page + 1) * size]), page, len(kept), query, size)
