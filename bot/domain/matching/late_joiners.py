"""Adding people who join after a round was published, without moving anyone already placed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import linear_sum_assignment

from .circles import active_pool, plan_round
from .explain import circle_reasons
from .mentors import match_mentors
from .model import (
    DEFAULT_CIRCLE_WEIGHTS,
    DEFAULT_MENTOR_WEIGHTS,
    DEFAULT_SIZE,
    NO_HISTORY,
    Circle,
    CircleSize,
    CircleWeights,
    History,
    MatchResult,
    MentorWeights,
    Pair,
    Person,
    Unmatched,
    Unplaced,
    pair_key,
)
from .pair_costs import HARD, PairCosts, forbidden_pairs_of

_CROWDING = 0.25
"""Extra cost per member a circle would have, so joiners go to smaller circles first."""


@dataclass(frozen=True)
class LateJoinResult:
    circles: tuple[Circle, ...]
    """Every circle after the additions: the existing ones in their original order (members only
    appended to), then any new circles formed by joiners."""
    added: tuple[tuple[str, int], ...]
    """(joiner id, index into ``circles``) for each joiner placed."""
    unplaced: tuple[Unmatched, ...]


def add_late_joiners(
    circles: Sequence[Sequence[str]],
    joiners: Iterable[Person],
    members: Iterable[Person],
    *,
    size: CircleSize = DEFAULT_SIZE,
    history: History = NO_HISTORY,
    weights: CircleWeights = DEFAULT_CIRCLE_WEIGHTS,
    forbidden_pairs: Iterable[Pair] = (),
    seed: int = 0,
) -> LateJoinResult:
    """Place ``joiners`` into existing ``circles`` (up to ``size.max``) or, if enough are left
    over, into new circles of their own. ``members`` are the profiles of people already placed."""
    placed = {pid for c in circles for pid in c}
    newcomers, _ = active_pool(j for j in joiners if j.id not in placed)
    known = {p.id: p for p in members}
    everyone = [known.get(pid, Person(pid)) for pid in sorted(placed)] + newcomers
    forbidden = forbidden_pairs_of(everyone, forbidden_pairs)
    costs = PairCosts.build(everyone, weights, history, forbidden)
    index = {pid: i for i, pid in enumerate(costs.ids)}
    slot_circle: list[int] = []
    slot_cost: list[float] = []
    for c, circle in enumerate(circles):
        for extra in range(max(0, size.max - len(circle))):
            slot_circle.append(c)
            slot_cost.append(_CROWDING * (len(circle) + extra))
    assignment: dict[int, int] = {}
    if newcomers and slot_circle:
        matrix = np.full((len(newcomers), len(slot_circle) + len(newcomers)), HARD)
        matrix[:, len(slot_circle) :] = HARD / 2
        for r, person in enumerate(newcomers):
            row = costs.row(index[person.id])
            for s, c in enumerate(slot_circle):
                matrix[r, s] = float(sum(row[index[pid]] for pid in circles[c])) + slot_cost[s]
        rows, cols = linear_sum_assignment(matrix)
        for r, col in zip(rows.tolist(), cols.tolist(), strict=True):
            if col < len(slot_circle) and matrix[r, col] < HARD / 2:
                assignment[r] = slot_circle[col]
    updated = [list(c) for c in circles]
    added: list[tuple[str, int]] = []
    for r, c in sorted(assignment.items()):
        updated[c].append(newcomers[r].id)
        added.append((newcomers[r].id, c))
    leftover = [p for r, p in enumerate(newcomers) if r not in assignment]
    unplaced: list[Unmatched] = []
    if len(leftover) >= min(size.min, 2):
        plan = plan_round(
            leftover, size=size, history=history, weights=weights, forbidden_pairs=forbidden_pairs, seed=seed
        )
        for formed in plan.circles:
            updated.append(list(formed.members))
            added += [(pid, len(updated) - 1) for pid in formed.members]
        unplaced += list(plan.unplaced)
    else:
        open_circles = [c for c in circles if len(c) < size.max]
        unplaced += [Unmatched(p.id, _no_place_reason(p, open_circles, forbidden)) for p in leftover]
    people = {p.id: p for p in everyone}
    meetings = history.meetings()
    result = []
    for members_ids in updated:
        group = [people[pid] for pid in members_ids]
        score = costs.group_cost([index[pid] for pid in members_ids])
        result.append(
            Circle(tuple(members_ids), circle_reasons(group, meetings, history.labels()), round(score, 6))
        )
    return LateJoinResult(tuple(result), tuple(sorted(added)), tuple(sorted(unplaced, key=lambda u: u.id)))


def _no_place_reason(person: Person, open_circles: Sequence[Sequence[str]], forbidden: set[Pair]) -> Unplaced:
    """Why a joiner fits no circle: rules (their own list, or not only theirs) or no room left."""

    def clashes(circle: Sequence[str], own_only: bool) -> bool:
        if own_only:
            return any(pid in person.avoid for pid in circle)
        return any(pair_key(person.id, pid) in forbidden for pid in circle)

    if not open_circles or not all(clashes(c, own_only=False) for c in open_circles):
        return Unplaced.NO_ROOM
    return Unplaced.OWN_LIST if all(clashes(c, own_only=True) for c in open_circles) else Unplaced.RULES


def add_late_mentees(
    mentees: Iterable[Person],
    mentors: Iterable[Person],
    current_pairs: Iterable[Pair],
    *,
    teams: bool = False,
    weights: MentorWeights = DEFAULT_MENTOR_WEIGHTS,
    forbidden_pairs: Iterable[Pair] = (),
    seed: int = 0,
) -> MatchResult:
    """Match new ``mentees`` with the room mentors have left; ``current_pairs`` (mentee, mentor)
    stay exactly as they are and only count against capacity."""
    load: dict[str, int] = {}
    for _, mentor in set(current_pairs):
        load[mentor] = load.get(mentor, 0) + 1
    residual = [replace(m, capacity=max(0, m.capacity - load.get(m.id, 0))) for m in mentors]
    return match_mentors(
        mentees, residual, teams=teams, weights=weights, forbidden_pairs=forbidden_pairs, seed=seed
    )
