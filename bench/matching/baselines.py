"""What other tools do, for comparison: random shuffles that dodge recent pairs, and greedy."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from bot.domain.matching import Person
from bot.domain.matching.mentor_costs import MentorCosts
from bot.domain.matching.pair_costs import PairCosts

SHUFFLES = 20


def random_with_history(costs: PairCosts, sizes: Sequence[int], seed: int) -> list[list[int]]:
    """Donut-style: shuffle, keep the shuffle with the fewest recent repeats (ignores everything else)."""
    rng = random.Random(seed)
    met = [set(nbrs.tolist()) for nbrs in costs.history_nbrs]
    best: tuple[int, list[list[int]]] | None = None
    for _ in range(SHUFFLES):
        order = list(range(costs.n))
        rng.shuffle(order)
        groups, start = [], 0
        for s in sizes:
            groups.append(order[start : start + s])
            start += s
        repeats = sum(1 for g in groups for a in g for b in g if a < b and b in met[a])
        if best is None or repeats < best[0]:
            best = (repeats, groups)
    assert best is not None
    return best[1]


def greedy_circles(costs: PairCosts, sizes: Sequence[int]) -> list[list[int]]:
    """Weighted-criteria greedy: seed each circle with the next person, add whoever fits best."""
    remaining = np.ones(costs.n, dtype=bool)
    groups = []
    for s in sizes:
        first = int(np.flatnonzero(remaining)[0])
        remaining[first] = False
        group = [first]
        total = costs.row(first).copy()
        while len(group) < s:
            pick = int(np.argmin(np.where(remaining, total, np.inf)))
            remaining[pick] = False
            group.append(pick)
            total += costs.row(pick)
        groups.append(group)
    return groups


def greedy_mentors(costs: MentorCosts) -> dict[int, list[int]]:
    """Each mentee in turn takes the best mentor who still has room."""
    load = np.zeros(len(costs.mentors), dtype=np.int64)
    capacity = np.array([m.capacity for m in costs.mentors], dtype=np.int64)
    chosen: dict[int, list[int]] = {}
    for start in range(0, len(costs.mentees), 512):
        rows = np.arange(start, min(start + 512, len(costs.mentees)))
        block = costs.single(rows).astype(np.float64)
        for r, i in enumerate(rows.tolist()):
            cost = block[r] + costs.weights.load * load
            cost[load >= capacity] = np.inf
            j = int(np.argmin(cost))
            if np.isfinite(cost[j]):
                chosen[i] = [j]
                load[j] += 1
    return chosen


def greedy_teams(costs: MentorCosts, max_team: int = 3) -> dict[int, list[int]]:
    """Greedy set cover per mentee: add the mentor covering most missing needs, then best fit."""
    load = np.zeros(len(costs.mentors), dtype=np.int64)
    capacity = np.array([m.capacity for m in costs.mentors], dtype=np.int64)
    chosen: dict[int, list[int]] = {}
    for i in range(len(costs.mentees)):
        pref = costs.single(np.array([i]))[0].astype(np.float64)
        missing = int(costs.needs[i])
        team: list[int] = []
        while len(team) < max_team and (missing or not team):
            gain = np.bitwise_count(costs.offers & missing).astype(np.float64)
            score = -10 * gain + pref
            score[(load >= capacity) | ~np.isfinite(pref)] = np.inf
            score[team] = np.inf
            j = int(np.argmin(score))
            if not np.isfinite(score[j]) or (team and gain[j] == 0):
                break
            team.append(j)
            load[j] += 1
            missing &= ~int(costs.offers[j])
        if team:
            chosen[i] = team
    return chosen


def people_ids(people: Sequence[Person]) -> list[str]:
    return [p.id for p in people]
