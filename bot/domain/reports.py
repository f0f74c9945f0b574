"""The coordinators' report: cycles, per-cycle counts and rates, from dated events (counts only).

Pure: `storage/reports.py` reads the dates, this module buckets them into cycles. Nothing here ever
holds goal text, meeting notes or do-not-match lists; the only free text is FAQ questions, which
carry no user id.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.domain.calendar import Cycle, fixed_cycles, monthly_cycles
from bot.domain.feedback import RoundFeedback
from bot.domain.members.state import MemberStatus

__all__ = [
    "Activity",
    "CheckIn",
    "Cycle",
    "CycleCounts",
    "FaqGaps",
    "Participants",
    "Report",
    "count_per_cycle",
    "fixed_cycles",
    "monthly_cycles",
    "percent",
    "rate",
    "top_questions",
]

YES = "met"
"""The "did you meet?" answer that means yes ("scheduled" and "not yet" are answers, but not yes)."""


def rate(part: int, whole: int) -> float | None:
    """`part / whole`, or None when there is nothing to divide (shown as "no data", never as 0%)."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


@dataclass(frozen=True)
class CheckIn:
    """A "did you meet?" that was delivered, and the answer if there was one."""

    sent_on: date
    response: str | None


@dataclass(frozen=True)
class Activity:
    """The dated events a report counts."""

    meetings_held: tuple[date, ...] = ()
    did_you_meet: tuple[CheckIn, ...] = ()
    goals_set: tuple[date, ...] = ()
    goals_completed: tuple[date, ...] = ()

    def __add__(self, other: Activity) -> Activity:
        return Activity(
            self.meetings_held + other.meetings_held,
            self.did_you_meet + other.did_you_meet,
            self.goals_set + other.goals_set,
            self.goals_completed + other.goals_completed,
        )

    def days(self) -> list[date]:
        return [
            *self.meetings_held,
            *(c.sent_on for c in self.did_you_meet),
            *self.goals_set,
            *self.goals_completed,
        ]


@dataclass(frozen=True)
class CycleCounts:
    cycle: Cycle
    meetings: int = 0
    asked: int = 0
    answered: int = 0
    yes: int = 0
    goals_set: int = 0
    goals_completed: int = 0

    @property
    def response_rate(self) -> float | None:
        return rate(self.answered, self.asked)

    @property
    def yes_rate(self) -> float | None:
        """Of the answers, how many said they met."""
        return rate(self.yes, self.answered)


def count_per_cycle(cycles: Sequence[Cycle], activity: Activity) -> list[CycleCounts]:
    """Each cycle's counts; events outside every cycle are not counted."""
    starts = [cycle.start for cycle in cycles]

    def tally(days: Iterable[date]) -> Counter[int]:
        found: Counter[int] = Counter()
        for day in days:
            index = bisect_right(starts, day) - 1
            if index >= 0 and day in cycles[index]:
                found[index] += 1
        return found

    checkins = activity.did_you_meet
    meetings = tally(activity.meetings_held)
    asked = tally(c.sent_on for c in checkins)
    answered = tally(c.sent_on for c in checkins if c.response is not None)
    yes = tally(c.sent_on for c in checkins if c.response == YES)
    goals_set = tally(activity.goals_set)
    goals_completed = tally(activity.goals_completed)
    return [
        CycleCounts(
            cycle,
            meetings=meetings[i],
            asked=asked[i],
            answered=answered[i],
            yes=yes[i],
            goals_set=goals_set[i],
            goals_completed=goals_completed[i],
        )
        for i, cycle in enumerate(cycles)
    ]


@dataclass(frozen=True)
class Participants:
    active: int = 0
    paused: int = 0
    left: int = 0

    @classmethod
    def of(cls, standings: Iterable[MemberStatus]) -> Participants:
        """Count people by their standing (`bot.domain.members.state.standing`), one entry per person."""
        found = Counter(standings)
        return cls(found[MemberStatus.ACTIVE], found[MemberStatus.PAUSED], found[MemberStatus.LEFT])

    @property
    def total(self) -> int:
        return self.active + self.paused + self.left


@dataclass(frozen=True)
class FaqGaps:
    """Questions the FAQ declined or whose answer was marked not helpful."""

    declined: int = 0
    not_helpful: int = 0
    top_questions: tuple[tuple[str, int], ...] = ()
    """The most asked of those questions, with how often (case and spacing folded together)."""


def top_questions(questions: Iterable[str], limit: int = 10) -> tuple[tuple[str, int], ...]:
    """Group questions that differ only in case or spacing; most frequent first, then first asked."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for question in questions:
        text = " ".join(question.split())
        if not text:
            continue
        folded = text.casefold()
        shown.setdefault(folded, text)
        counts[folded] += 1
    order = {folded: i for i, folded in enumerate(shown)}
    ranked = sorted(counts, key=lambda folded: (-counts[folded], order[folded]))
    return tuple((shown[folded], counts[folded]) for folded in ranked[:limit])


@dataclass(frozen=True)
class Report:
    """A program's (or, before programs, a workspace's) numbers for its coordinators."""

    title: str
    as_of: date
    participants: Participants
    circles: int
    mentorships: int
    cycles: tuple[CycleCounts, ...]
    stalled: int
    dead_letters: int
    faq: FaqGaps = field(default_factory=FaqGaps)
    programs: int = 1
    """How many programs the numbers add up (the all-programs report: every program's)."""
    in_several: int = 0
    """People taking part in more than one of those programs: counted once in `participants`."""
    feedback: tuple[RoundFeedback, ...] = ()
    """End-of-round feedback per program and round, oldest round first."""

    @property
    def totals(self) -> CycleCounts:
        """The cycles' counts added up (its `cycle` spans them all)."""
        if not self.cycles:
            return CycleCounts(Cycle(self.as_of, self.as_of, "all time"))
        span = Cycle(self.cycles[0].cycle.start, self.cycles[-1].cycle.end, "all time")
        return CycleCounts(
            span,
            meetings=sum(c.meetings for c in self.cycles),
            asked=sum(c.asked for c in self.cycles),
            answered=sum(c.answered for c in self.cycles),
            yes=sum(c.yes for c in self.cycles),
            goals_set=sum(c.goals_set for c in self.cycles),
            goals_completed=sum(c.goals_completed for c in self.cycles),
        )
