"""Local search for one round of circles.

The state keeps ``U[g, p]`` = total cost between person ``p`` and the members of circle ``g``, so
the change in objective of swapping person ``i`` with *every* other person ``j`` is one vectorised
numpy expression (``O(n)``), and applying a swap updates two rows of ``U``. Descent works through a
queue of people ("don't look bits"): each gets its best swap or size-preserving move, and the
members of any circle that changes are queued again. It starts from people sorted by the
attributes the program wants shared, then iterated local search kicks the solution with a few
random swaps and descends again, undoing kicks that make things worse. Pools up to a few hundred
also restart from random partitions and keep the best. Effort is counted in moves and kicks,
never in seconds, so the same input and seed always give the same circles. Pools up to 2,000 use a
dense cost matrix; larger ones compute cost rows on demand.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .pair_costs import PairCosts

_EPS = 1e-9
_DENSE_LIMIT = 2000
_RESTART_LIMIT = 300


@dataclass
class SearchResult:
    groups: list[list[int]]
    objective: float


class _State:
    def __init__(self, row: Callable[[int], np.ndarray], groups: list[list[int]], n: int) -> None:
        self.row = row
        self.n = n
        self.groups = [list(g) for g in groups]
        self.grp = np.empty(n, dtype=np.int64)
        for g, members in enumerate(self.groups):
            self.grp[members] = g
        self.size = np.array([len(g) for g in self.groups], dtype=np.int64)
        self.U = np.zeros((len(self.groups), n))
        for g, members in enumerate(self.groups):
            for p in members:
                self.U[g] += row(p)
        self.own = self.U[self.grp, np.arange(n)]
        self.journal: list[tuple[str, int, int]] = []

    def objective(self) -> float:
        return float(self.own.sum() / 2)

    def _refresh_own(self, *gs: int) -> None:
        for g in gs:
            members = self.groups[g]
            self.own[members] = self.U[g, members]

    def swap(self, i: int, j: int) -> None:
        ci, cj = self.row(i), self.row(j)
        gi, gj = int(self.grp[i]), int(self.grp[j])
        self.U[gi] += cj - ci
        self.U[gj] += ci - cj
        self.grp[i], self.grp[j] = gj, gi
        self.groups[gi][self.groups[gi].index(i)] = j
        self.groups[gj][self.groups[gj].index(j)] = i
        self._refresh_own(gi, gj)
        self.journal.append(("swap", i, j))

    def move(self, i: int, h: int) -> None:
        ci = self.row(i)
        gi = int(self.grp[i])
        self.U[gi] -= ci
        self.U[h] += ci
        self.grp[i] = h
        self.groups[gi].remove(i)
        self.groups[h].append(i)
        self.size[gi] -= 1
        self.size[h] += 1
        self._refresh_own(gi, h)
        self.journal.append(("move", i, gi))

    def undo_to(self, mark: int) -> None:
        while len(self.journal) > mark:
            kind, a, b = self.journal.pop()
            if kind == "swap":
                self.swap(a, b)
            else:
                self.move(a, b)
            self.journal.pop()

    def improve_person(self, i: int) -> tuple[int, int] | None:
        """Apply the best improving swap or move for ``i``; return the two circles it changed."""
        ci = self.row(i)
        gi = int(self.grp[i])
        delta = self.U[self.grp, i] - 2 * ci + self.U[gi] - self.U[gi, i] - self.own
        delta[self.groups[gi]] = np.inf
        j = int(np.argmin(delta))
        best = float(delta[j])
        target = -1
        smaller = np.flatnonzero(self.size == self.size[gi] - 1)
        if len(smaller):
            move_delta = self.U[smaller, i] - self.U[gi, i]
            k = int(np.argmin(move_delta))
            if move_delta[k] < best:
                best, target = float(move_delta[k]), int(smaller[k])
        if best >= -_EPS:
            return None
        if target >= 0:
            self.move(i, target)
            return gi, target
        gj = int(self.grp[j])
        self.swap(i, j)
        return gi, gj

    def descend(self, rng: random.Random, queue: list[int], budget: int) -> None:
        """Improve people from ``queue`` until nobody in it can improve (or the budget runs out).

        When a circle changes, its members are queued again ("don't look bits").
        """
        rng.shuffle(queue)
        pending = deque(queue)
        queued = np.zeros(self.n, dtype=bool)
        queued[queue] = True
        while pending and budget > 0:
            budget -= 1
            i = pending.popleft()
            queued[i] = False
            changed = self.improve_person(i)
            if changed is None:
                continue
            for g in changed:
                for p in self.groups[g]:
                    if not queued[p]:
                        queued[p] = True
                        pending.append(p)


def _initial_groups(costs: PairCosts, sizes: Sequence[int], rng: random.Random) -> list[list[int]]:
    """Chunk people sorted by the attributes the program wants shared (random tie-break)."""
    n = costs.n
    w = costs.weights
    tiebreak = list(range(n))
    rng.shuffle(tiebreak)
    columns = [np.array(tiebreak)]
    shared = [
        (w.track, costs.track),
        (w.specialty, costs.specialty),
        (w.stage, costs.rank),
        (w.tz_proximity, np.nan_to_num(costs.tz, nan=99.0)),
        (w.same_site, costs.site),
    ]
    for weight, values in sorted(shared, key=lambda item: item[0]):
        if weight > 0:
            columns.append(values)
    order = np.lexsort(columns).tolist() if len(columns) > 1 else tiebreak
    groups, start = [], 0
    for s in sizes:
        groups.append(order[start : start + s])
        start += s
    return groups


def search_round(
    costs: PairCosts,
    sizes: Sequence[int],
    seed: int,
    *,
    history_scale: float = 1.0,
    effort: float = 1.0,
    start: list[list[int]] | None = None,
) -> SearchResult:
    """Partition ``costs.ids`` into groups of the given sizes, minimising the total pair cost."""
    n = costs.n
    if n == 0 or not sizes:
        return SearchResult([], 0.0)
    if len(sizes) == 1:
        groups = [list(range(n))]
        return SearchResult(groups, _objective(costs, groups, history_scale))
    rng = random.Random(seed)
    if n <= _DENSE_LIMIT:
        dense = costs.matrix(history_scale=history_scale)

        def row(i: int) -> np.ndarray:
            found: np.ndarray = dense[i]
            return found
    else:

        def row(i: int) -> np.ndarray:
            return costs.row(i, history_scale=history_scale)

    restarts = 1 if start is not None or n > _RESTART_LIMIT else max(1, round(4 * effort))
    best: tuple[float, list[list[int]]] | None = None
    for attempt in range(restarts):
        if start is not None:
            groups = start
        elif attempt == 0:
            groups = _best_construction(costs, sizes, rng, row)
        else:
            groups = _random_groups(n, sizes, rng)
        state = _State(row, groups, n)
        _improve(state, rng, n, len(sizes), effort / restarts)
        found = (state.objective(), [sorted(g) for g in state.groups])
        if best is None or found[0] < best[0] - _EPS:
            best = found
    assert best is not None
    return SearchResult(best[1], _objective(costs, best[1], history_scale))


def _improve(state: _State, rng: random.Random, n: int, circles: int, effort: float) -> None:
    """Descend, then iterated local search: random kicks, kept unless they make things worse."""
    state.descend(rng, list(range(n)), budget=max(n, int(effort * 12 * n)))
    best_obj = state.objective()
    mark = len(state.journal)
    kicks = int(effort * min(1600, 160_000 // n))
    strength = max(2, min(8, circles // 4))
    for _ in range(kicks):
        touched: list[int] = []
        for _ in range(rng.randint(2, strength)):
            a, b = rng.sample(range(circles), 2)
            i, j = rng.choice(state.groups[a]), rng.choice(state.groups[b])
            state.swap(i, j)
            touched += state.groups[a] + state.groups[b]
        state.descend(rng, sorted(set(touched)), budget=20 * n)
        obj = state.objective()
        if obj <= best_obj + _EPS:
            best_obj, mark = min(obj, best_obj), len(state.journal)
        else:
            state.undo_to(mark)
    state.journal.clear()


def _greedy_groups(
    costs: PairCosts, sizes: Sequence[int], row: Callable[[int], np.ndarray]
) -> list[list[int]]:
    """Seed each circle with the next unplaced person and add whoever fits the circle best."""
    remaining = np.ones(costs.n, dtype=bool)
    groups = []
    for s in sizes:
        first = int(np.argmax(remaining))
        remaining[first] = False
        group, total = [first], row(first).copy()
        while len(group) < s:
            pick = int(np.argmin(np.where(remaining, total, np.inf)))
            remaining[pick] = False
            group.append(pick)
            total += row(pick)
        groups.append(group)
    return groups


def _best_construction(
    costs: PairCosts, sizes: Sequence[int], rng: random.Random, row: Callable[[int], np.ndarray]
) -> list[list[int]]:
    """The cheaper of the attribute-sorted chunks and the greedy circles."""
    options = [_initial_groups(costs, sizes, rng), _greedy_groups(costs, sizes, row)]
    return min(options, key=lambda groups: sum(float(sum(row(a)[b] for b in g)) for g in groups for a in g))


def _random_groups(n: int, sizes: Sequence[int], rng: random.Random) -> list[list[int]]:
    order = list(range(n))
    rng.shuffle(order)
    groups, start = [], 0
    for s in sizes:
        groups.append(order[start : start + s])
        start += s
    return groups


def _objective(costs: PairCosts, groups: list[list[int]], history_scale: float) -> float:
    total = 0.0
    for g in groups:
        for a_pos, a in enumerate(g):
            r = costs.row(a, history_scale=history_scale)
            total += float(sum(r[b] for b in g[a_pos + 1 :]))
    return total
