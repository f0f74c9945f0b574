"""Inputs and outputs of the matching engine: plain frozen dataclasses, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

Pair = tuple[str, str]


def pair_key(a: str, b: str) -> Pair:
    """An unordered pair in canonical (sorted) form."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Person:
    """A member as the engine sees them. Every field but ``id`` is optional.

    ``needs`` are the domains a mentee (or circle member) wants help with, ``offers`` the domains a
    mentor can help with, ``capacity`` how many mentees a mentor takes. ``avoid`` is the confidential
    do-not-match list; it is symmetric for the engine. Inactive (paused, departed) people are ignored.
    """

    id: str
    stage: str | None = None
    specialty: str | None = None
    site: str | None = None
    tz: str | None = None
    track: str | None = None
    needs: frozenset[str] = frozenset()
    offers: frozenset[str] = frozenset()
    capacity: int = 1
    avoid: frozenset[str] = frozenset()
    active: bool = True


@dataclass(frozen=True)
class HistoryRound:
    """One past round: the circles that met and the mentor-mentee pairs that were matched."""

    circles: tuple[tuple[str, ...], ...] = ()
    pairs: tuple[Pair, ...] = ()
    label: str = ""
    """How people know the round ('round 2 of 2026–27', from `bot.domain.calendar`); "" when unnamed."""

    def met_pairs(self) -> set[Pair]:
        met = {pair_key(a, b) for a, b in self.pairs if a != b}
        for circle in self.circles:
            for i, a in enumerate(circle):
                for b in circle[i + 1 :]:
                    if a != b:
                        met.add(pair_key(a, b))
        return met


@dataclass(frozen=True)
class History:
    """Past rounds, oldest first (the most recent round is last)."""

    rounds: tuple[HistoryRound, ...] = ()

    @classmethod
    def from_circles(cls, rounds: Iterable[Iterable[Iterable[str]]]) -> History:
        return cls(tuple(HistoryRound(tuple(tuple(c) for c in circles)) for circles in rounds))

    def then(self, round_: HistoryRound) -> History:
        return History((*self.rounds, round_))

    def labels(self) -> tuple[str, ...]:
        """Each round's name, oldest first, in the numbering `meetings` uses (round n is `labels[n - 1]`)."""
        return tuple(round_.label for round_ in self.rounds)

    def meetings(self) -> dict[Pair, list[int]]:
        """For each pair that has met: the 1-based round numbers (oldest round = 1) they met in."""
        met: dict[Pair, list[int]] = {}
        for number, round_ in enumerate(self.rounds, start=1):
            for pair in round_.met_pairs():
                met.setdefault(pair, []).append(number)
        return met


@dataclass(frozen=True)
class CircleSize:
    """Target circle size and the hard bounds around it."""

    target: int = 4
    min: int = 3
    max: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.min <= self.target <= self.max:
            raise ValueError(f"circle sizes need 1 <= min <= target <= max, got {self}")


@dataclass(frozen=True)
class CircleWeights:
    """How much each soft preference counts when forming circles (all costs are >= 0).

    ``new_people`` is the penalty for putting together two people who met in the last round; a
    meeting r rounds ago costs ``new_people * decay ** (r - 1)``. ``stage``, ``specialty`` and
    ``track`` are signed: positive prefers the same, negative prefers a mix, zero ignores.
    ``same_site`` and ``tz_proximity`` reward being at one site and in nearby time zones.
    """

    new_people: float = 10.0
    decay: float = 0.5
    stage: float = 1.0
    specialty: float = 0.0
    same_site: float = 1.0
    tz_proximity: float = 1.0
    track: float = 0.5


@dataclass(frozen=True)
class Circle:
    members: tuple[str, ...]
    reasons: tuple[str, ...] = ()
    score: float = 0.0
    """Sum of the soft-preference costs of the circle's pairs: lower is better, 0 is ideal."""


class Unplaced(StrEnum):
    """Why the engine left someone out of a round.

    Two of these come from confidential do-not-match lists, so the distinction is for the engine and
    for telling the member privately only: whatever coordinators see shows every reason the same way.
    """

    OWN_LIST = "own_list"
    """Their own do-not-match list, on its own, rules out everyone they could be matched with."""
    RULES = "rules"
    """Do-not-match rules rule them out, but not their own list alone (someone else's list, or a
    program rule, is part of it). Never tell the member: it would reveal someone else's list."""
    NO_MENTORS = "no_mentors"
    """There are no active mentors (other than themselves)."""
    MENTORS_FULL = "mentors_full"
    """Every mentor they could have is at capacity."""
    ALONE = "alone"
    """They are the only active member left to form a circle."""
    NO_ROOM = "no_room"
    """A late joiner: every circle is full (or its free places went to other joiners)."""

    @property
    def because_of_rules(self) -> bool:
        """Whether a do-not-match list or program rule is why (confidential: never show coordinators)."""
        return self in (Unplaced.OWN_LIST, Unplaced.RULES)

    @property
    def detail(self) -> str:
        """A plain description for engine-level tools (the JSON CLI), not for anything in Slack."""
        return _UNPLACED_DETAILS[self]


_UNPLACED_DETAILS = {
    Unplaced.OWN_LIST: "their own do-not-match list rules out everyone they could be matched with",
    Unplaced.RULES: "do-not-match rules rule out everyone they could be matched with",
    Unplaced.NO_MENTORS: "no mentors are available",
    Unplaced.MENTORS_FULL: "every suitable mentor is at capacity",
    Unplaced.ALONE: "is the only active member, so there is nobody to meet this round",
    Unplaced.NO_ROOM: "every circle is full",
}


@dataclass(frozen=True)
class Unmatched:
    id: str
    reason: Unplaced


@dataclass(frozen=True)
class RoundStats:
    circles: int
    placed: int
    new_pairs: int
    repeat_pairs: int
    unplaced: int


@dataclass(frozen=True)
class RoundPlan:
    circles: tuple[Circle, ...]
    objective: float
    warnings: tuple[str, ...] = ()
    stats: RoundStats = field(default_factory=lambda: RoundStats(0, 0, 0, 0, 0))
    unplaced: tuple[Unmatched, ...] = ()


@dataclass(frozen=True)
class MentorWeights:
    """Costs of a mentor match (all >= 0, lower is better).

    ``uncovered`` is charged per needed domain nobody in the match offers; ``extra_mentor`` per
    mentor beyond the first in a team; ``load`` per mentee a mentor already has (balances load).
    """

    uncovered: float = 4.0
    specialty: float = 1.0
    track: float = 1.0
    stage: float = 1.0
    load: float = 0.5
    extra_mentor: float = 0.5
    unmatched: float = 100.0
    """Cost of leaving a mentee without a mentor: far above any match, so matching comes first."""


@dataclass(frozen=True)
class MentorMatch:
    mentee: str
    mentors: tuple[str, ...]
    covered: tuple[str, ...]
    reasons: tuple[str, ...] = ()
    score: float = 0.0
    kept: bool = False


@dataclass(frozen=True)
class MatchResult:
    matches: tuple[MentorMatch, ...]
    unmatched: tuple[Unmatched, ...]
    objective: float
    bound: float | None = None
    """A lower bound on the best possible objective (same candidate set), when one is known."""
    gap: float | None = None
    """Relative gap between ``objective`` and ``bound``; 0.0 means proven optimal."""
    warnings: tuple[str, ...] = ()


DEFAULT_SIZE = CircleSize()
NO_HISTORY = History()
DEFAULT_CIRCLE_WEIGHTS = CircleWeights()
DEFAULT_MENTOR_WEIGHTS = MentorWeights()
