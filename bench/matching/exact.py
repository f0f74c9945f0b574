"""The exact optimum of one round of circles, as a set-partitioning MIP (HiGHS via scipy).

One binary column per possible circle of the planned sizes that contains no forbidden pair; each
person is covered exactly once and the number of circles of each size is fixed. Only practical for
small pools; it lives in the benchmark, not the engine.

Given any feasible objective ``upper`` (the engine's), columns that cannot be in a solution at
least that good are dropped before solving: a circle S costs at least half of the sum, over its
members p, of m_p (p's three cheapest partners), so S survives only if
``cost(S) + 1/2 * sum(m_p for p outside S) <= upper``. The pruning is exact: every solution with
objective <= ``upper`` keeps all its columns, so the MIP optimum is the true optimum.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp

from bot.domain.matching.pair_costs import HARD, PairCosts


@dataclass(frozen=True)
class Exact:
    objective: float | None
    bound: float | None
    proven: bool


def exact_round(costs: PairCosts, sizes: tuple[int, ...], upper: float, time_limit: float = 60.0) -> Exact:
    n = costs.n
    matrix = costs.matrix()
    floor = np.sort(matrix + np.diag(np.full(n, np.inf)), axis=1)[:, : min(sizes) - 1].sum(axis=1) / 2
    slack = upper + 1e-6 - floor.sum()
    columns: list[tuple[int, ...]] = []
    values: list[float] = []
    size_of: list[int] = []
    for k in sorted(set(sizes)):
        combos = np.array(list(combinations(range(n), k)), dtype=np.int64)
        total = np.zeros(len(combos))
        for a, b in combinations(range(k), 2):
            total += matrix[combos[:, a], combos[:, b]]
        keep = (total < HARD / 2) & (total - floor[combos].sum(axis=1) <= slack)
        columns += [tuple(c) for c in combos[keep].tolist()]
        values += total[keep].tolist()
        size_of += [k] * int(keep.sum())
    counts = Counter(sizes)
    kinds = sorted(counts)
    rows, cols = [], []
    for j, members in enumerate(columns):
        rows += list(members)
        cols += [j] * len(members)
        rows.append(n + kinds.index(size_of[j]))
        cols.append(j)
    a = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + len(kinds), len(columns)))
    rhs = np.concatenate([np.ones(n), [counts[k] for k in kinds]])
    res = milp(
        np.array(values),
        integrality=np.ones(len(columns)),
        bounds=(0, 1),
        constraints=LinearConstraint(a, rhs, rhs),
        options={"time_limit": time_limit, "disp": False},
    )
    bound = getattr(res, "mip_dual_bound", None)
    if res.x is None:
        return Exact(None, bound, False)
    return Exact(float(res.fun), bound, res.status == 0)
