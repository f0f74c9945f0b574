"""Planning several rounds of circles at once (a program's year of rotations).

Round-by-round optimisation paints itself into a corner: the early rounds use up the easy new
pairings. Here all rounds are optimised together, in the spirit of Dotú and Van Hentenryck's tabu
search for the social golfer problem. The objective is the sum over rounds of the circles' pair
costs (past history decaying with distance) plus ``new_people * C(m, 2)`` for every pair meeting
``m`` times inside the plan. Each step takes people sitting in a circle with a repeat or a hard
conflict (plus a few random ones), evaluates every swap within that round in one numpy expression,
and applies the best move that is not tabu (or that beats the best plan so far). Long stalls
restart from the best plan with a few random swaps.

The starting plan is the better of a round-by-round plan and a finite-geometry design
(``designs.affine_rounds``) completed round by round. Effort is counted in iterations, so results
are deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from .designs import affine_rounds
from .pair_costs import PairCosts
from .round_search import search_round

_EPS = 1e-9
_SAMPLE = 40
_EXPLORE = 6

Plan = list[list[list[int]]]


def complete_plan(costs: PairCosts, sizes: Sequence[int], rounds: int, seed: int, start: Plan) -> Plan:
    """Extend ``start`` to ``rounds`` rounds, planning each new round after the ones before it."""
    plan = [[list(g) for g in r] for r in start[:rounds]]
    while len(plan) < rounds:
        plan.append(search_round(costs.after(plan), sizes, seed + len(plan), effort=0.3).groups)
    return plan


def _design_start(n: int, sizes: Sequence[int], seed: int) -> Plan:
    if len(set(sizes)) != 1:
        return []
    rounds = affine_rounds(n, sizes[0], seed)
    if not rounds:
        return []
    labels = list(range(n))
    random.Random(seed).shuffle(labels)
    return [[[labels[p] for p in circle] for circle in r] for r in rounds]


class _Tabu:
    def __init__(self, costs: PairCosts, plan: Plan, seed: int) -> None:
        n = costs.n
        self.n = n
        self.rounds = len(plan)
        w = costs.weights
        self.repeat = w.new_people
        self.kmax = max(len(g) for r in plan for g in r)
        pad = np.zeros((n + 1, n + 1))
        self.base = pad.copy()
        self.base[:n, :n] = costs.matrix(history_scale=0.0)
        self.hist = pad.copy()
        self.hist[:n, :n] = costs.history_matrix()
        self.forbidden = np.zeros((n + 1, n + 1), dtype=bool)
        self.forbidden[:n, :n] = costs.forbidden_matrix()
        self.scale = [w.decay**r for r in range(self.rounds)]
        self.meet = np.zeros((n + 1, n + 1), dtype=np.int64)
        self.groups = np.full((self.rounds, max(len(r) for r in plan), self.kmax), n, dtype=np.int64)
        self.grp = np.zeros((self.rounds, n), dtype=np.int64)
        self.size = np.zeros((self.rounds, self.groups.shape[1]), dtype=np.int64)
        for r, circles in enumerate(plan):
            for g, members in enumerate(circles):
                self.groups[r, g, : len(members)] = members
                self.grp[r, members] = g
                self.size[r, g] = len(members)
                for a in members:
                    for b in members:
                        if a != b:
                            self.meet[a, b] += 1
        self.rng = random.Random(seed)
        self.noise = np.random.default_rng(seed)
        self.ar = np.arange(n)

    def plan(self) -> Plan:
        return [
            [
                [int(p) for p in self.groups[r, g] if p < self.n]
                for g in range(self.groups.shape[1])
                if self.size[r, g]
            ]
            for r in range(self.rounds)
        ]

    def objective(self) -> float:
        total = 0.0
        for r in range(self.rounds):
            full = self.groups[r][self.grp[r]]
            pair = self.base[self.ar[:, None], full] + self.scale[r] * self.hist[self.ar[:, None], full]
            total += float(pair.sum()) / 2
        m = self.meet[: self.n, : self.n]
        return total + self.repeat * float((m * (m - 1) // 2).sum()) / 2

    def conflicted(self) -> list[tuple[int, int]]:
        found = []
        for r in range(self.rounds):
            full = self.groups[r][self.grp[r]]
            bad = (self.meet[self.ar[:, None], full] >= 2) | self.forbidden[self.ar[:, None], full]
            found += [(r, int(i)) for i in np.flatnonzero(bad.any(axis=1))]
        return found

    def _row(self, r: int, rows: np.ndarray | int) -> np.ndarray:
        costs: np.ndarray = self.base[rows] + self.scale[r] * self.hist[rows] + self.repeat * self.meet[rows]
        return costs

    def own(self, r: int) -> np.ndarray:
        full = self.groups[r][self.grp[r]]
        y = self.base[self.ar[:, None], full] + self.scale[r] * self.hist[self.ar[:, None], full]
        y += (
            self.repeat
            * (self.meet[self.ar[:, None], full] - 1)
            * (full < self.n)
            * (full != self.ar[:, None])
        )
        totals: np.ndarray = y.sum(axis=1)
        return totals

    def deltas(self, r: int, i: int, own: np.ndarray) -> np.ndarray:
        """Change in objective of swapping ``i`` with each person in round ``r``."""
        yi = self._row(r, i)
        yi[self.n] = 0.0
        gsum = yi[self.groups[r]].sum(axis=1)
        a = int(self.grp[r, i])
        members = self.groups[r, a]
        join_other = gsum[self.grp[r]] - yi[: self.n]
        leave_own = gsum[a] - self.repeat * (self.size[r, a] - 1)
        rows = self._row(r, members)
        rows[members == self.n] = 0.0
        join_mine = rows[:, : self.n].sum(axis=0) - yi[: self.n]
        delta: np.ndarray = join_other - leave_own + join_mine - own
        delta[members[members < self.n]] = np.inf
        return delta

    def swap(self, r: int, i: int, j: int) -> None:
        a, b = int(self.grp[r, i]), int(self.grp[r, j])
        ma = [int(p) for p in self.groups[r, a] if p < self.n and p != i]
        mb = [int(p) for p in self.groups[r, b] if p < self.n and p != j]
        for p in ma:
            self.meet[i, p] -= 1
            self.meet[p, i] -= 1
            self.meet[j, p] += 1
            self.meet[p, j] += 1
        for p in mb:
            self.meet[j, p] -= 1
            self.meet[p, j] -= 1
            self.meet[i, p] += 1
            self.meet[p, i] += 1
        self.groups[r, a][self.groups[r, a] == i] = j
        self.groups[r, b][self.groups[r, b] == j] = i
        self.grp[r, i], self.grp[r, j] = b, a

    def run(self, iterations: int) -> Plan:
        current = self.objective()
        best, best_plan = current, self.plan()
        tabu = np.zeros((self.rounds, self.n), dtype=np.int64)
        stall_limit = 100 + 10 * self.n
        since_best = since_improvement = 0
        for it in range(1, iterations + 1):
            conflicts = self.conflicted()
            if not conflicts and current <= _EPS:
                break
            if len(conflicts) > _SAMPLE:
                conflicts = self.rng.sample(conflicts, _SAMPLE)
            explore = [(self.rng.randrange(self.rounds), self.rng.randrange(self.n)) for _ in range(_EXPLORE)]
            candidates = sorted(set(conflicts + explore))
            own_cache: dict[int, np.ndarray] = {}
            chosen: tuple[float, int, int, int, float] | None = None
            for r, i in candidates:
                if r not in own_cache:
                    own_cache[r] = self.own(r)
                exact = self.deltas(r, i, own_cache[r])
                delta = exact + self.noise.random(self.n) * 1e-7
                allowed = (tabu[r] <= it) & (tabu[r, i] <= it) | (current + exact < best - _EPS)
                delta = np.where(allowed, delta, np.inf)
                j = int(np.argmin(delta))
                if np.isfinite(delta[j]) and (chosen is None or delta[j] < chosen[0]):
                    chosen = (float(delta[j]), r, i, j, float(exact[j]))
            if chosen is None:
                continue
            _, r, i, j, change = chosen
            self.swap(r, i, j)
            current += change
            tenure = self.rng.randint(4, 12)
            tabu[r, i] = tabu[r, j] = it + tenure
            if current < best - _EPS:
                best, best_plan, since_best, since_improvement = current, self.plan(), 0, 0
            else:
                since_best += 1
                since_improvement += 1
                if since_improvement > 4 * stall_limit:
                    break
            if since_best > stall_limit:
                self.reset_to(best_plan)
                for _ in range(self.rng.randint(2, 4)):
                    r = self.rng.randrange(self.rounds)
                    i, j = self.rng.sample(range(self.n), 2)
                    if self.grp[r, i] != self.grp[r, j]:
                        self.swap(r, i, j)
                current, since_best = self.objective(), 0
        return best_plan

    def reset_to(self, plan: Plan) -> None:
        self.meet[:] = 0
        self.groups[:] = self.n
        self.size[:] = 0
        for r, circles in enumerate(plan):
            for g, members in enumerate(circles):
                self.groups[r, g, : len(members)] = members
                self.grp[r, members] = g
                self.size[r, g] = len(members)
                for a in members:
                    for b in members:
                        if a != b:
                            self.meet[a, b] += 1


def plan_objective(costs: PairCosts, plan: Plan) -> float:
    return _Tabu(costs, plan, 0).objective() if plan else 0.0


def search_rounds(
    costs: PairCosts, sizes: Sequence[int], rounds: int, seed: int, *, effort: float = 1.0
) -> Plan:
    """Plan ``rounds`` rounds of circles of the given sizes jointly; returns circles of indices."""
    if rounds <= 0 or costs.n == 0 or not sizes:
        return []
    if len(sizes) == 1:
        return [[list(range(costs.n))] for _ in range(rounds)]
    starts = [complete_plan(costs, sizes, rounds, seed, [])]
    design = _design_start(costs.n, sizes, seed)
    if design:
        starts.append(complete_plan(costs, sizes, rounds, seed, design))
    start = min(starts, key=lambda plan: plan_objective(costs, plan))
    tabu = _Tabu(costs, start, seed)
    return tabu.run(int(effort * min(20_000, 2000 + 200 * costs.n)))
