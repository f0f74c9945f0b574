"""The exact optimum of one round of circles, as a set-partitioning MIP (HiGHS via scipy).

One binary column per possible circle of the planned sizes that contains no forbidden pair; each
person is covered exactly once and the number of circles of each size is fixed. Only practical for
small pools (n <= 40 with circles of 4: ~91k columns); it lives in the benchmark, not the engine.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp

from bot.domain.matching.pair_costs import HARD, PairCosts


def exact_round(costs: PairCosts, sizes: tuple[int, ...], time_limit: float = 60.0) -> tuple[float, float]:
    """(optimal objective, proven gap reported by HiGHS)."""
    n = costs.n
    matrix = costs.matrix()
    columns: list[tuple[int, ...]] = []
    values: list[float] = []
    size_of: list[int] = []
    for k in sorted(set(sizes)):
        combos = np.array(list(combinations(range(n), k)), dtype=np.int64)
        total = np.zeros(len(combos))
        for a, b in combinations(range(k), 2):
            total += matrix[combos[:, a], combos[:, b]]
        keep = total < HARD / 2
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
    return float(res.fun), float(getattr(res, "mip_gap", 0.0) or 0.0)
