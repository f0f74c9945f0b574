"""Matching benchmark: engine vs. exact optimum and vs. the baselines other tools use.

Run from the repository root: ``python -m bench.matching.run [--quick]``. Prints a table and writes
``bench/results/matching.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from bench.matching.baselines import greedy_circles, greedy_mentors, greedy_teams, random_with_history
from bench.matching.exact import exact_round
from bench.matching.instances import mentor_program, random_history, residents
from bot.domain.matching import CircleSize, CircleWeights, MentorWeights, Person, match_mentors, plan_rounds
from bot.domain.matching.mentor_costs import MentorCosts
from bot.domain.matching.multi_round import complete_plan
from bot.domain.matching.pair_costs import PairCosts, forbidden_pairs_of
from bot.domain.matching.sizing import plan_sizes

RESULTS = Path(__file__).resolve().parents[1] / "results" / "matching.json"
COLUMNS = [
    "instance",
    "method",
    "n",
    "k",
    "time_s",
    "objective",
    "gap",
    "repeats",
    "hard",
    "worst_off",
    "load_spread",
    "note",
]


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _circle_metrics(costs: PairCosts, groups: list[list[int]]) -> dict[str, Any]:
    soft = costs.matrix(hard=False) if costs.n <= 2000 else None
    objective = repeats = hard = 0.0
    worst = 0.0
    for g in groups:
        for a in g:
            row = soft[a] if soft is not None else costs.row(a, hard=False)
            mates = [b for b in g if b != a]
            share = float(sum(row[b] for b in mates)) / max(1, len(mates))
            worst = max(worst, share)
            met = set(costs.history_nbrs[a].tolist())
            banned = set(costs.forbidden_nbrs[a].tolist())
            for b in mates:
                if a < b:
                    objective += float(row[b])
                    repeats += b in met
                    hard += b in banned
    return {
        "objective": round(objective, 6),
        "repeats": int(repeats),
        "hard": int(hard),
        "worst_off": round(worst, 3),
    }


def _engine_groups(
    people: list[Person], history, size: CircleSize
) -> tuple[list[list[int]], float, PairCosts]:
    plan, seconds = _timed(lambda: plan_rounds(people, size=size, history=history)[0])
    active = sorted(p.id for p in people if p.active)
    placed = {pid for c in plan.circles for pid in c.members}
    pool = [p for p in sorted(people, key=lambda p: p.id) if p.id in placed]
    costs = PairCosts.build(pool, CircleWeights(), history, forbidden_pairs_of(pool))
    index = {pid: i for i, pid in enumerate(costs.ids)}
    assert len(placed) + len(plan.unplaced) == len(active)
    return [[index[pid] for pid in c.members] for c in plan.circles], seconds, costs


def circles_rows(n: int, rounds_of_history: int, exact: bool, time_limit: float) -> list[dict[str, Any]]:
    people = residents(n, seed=n)
    history = random_history([p.id for p in people], rounds_of_history, 4, seed=n)
    size = CircleSize(4, 3, 5)
    groups, seconds, costs = _engine_groups(people, history, size)
    sizes = tuple(len(g) for g in groups)
    name = f"circles n={n}" + (f" h={rounds_of_history}" if rounds_of_history else "")
    rows = [
        {
            "instance": name,
            "method": "engine",
            "n": n,
            "k": 4,
            "time_s": seconds,
            **_circle_metrics(costs, groups),
        }
    ]
    for method, fn in (
        ("random+history", lambda: random_with_history(costs, sizes, seed=1)),
        ("greedy", lambda: greedy_circles(costs, sizes)),
    ):
        result, took = _timed(fn)
        rows.append(
            {
                "instance": name,
                "method": method,
                "n": n,
                "k": 4,
                "time_s": took,
                **_circle_metrics(costs, result),
            }
        )
    if exact:
        found, took = _timed(
            lambda: exact_round(costs, sizes, upper=rows[0]["objective"], time_limit=time_limit)
        )
        note = "optimal" if found.proven else f"time limit, bound {found.bound}"
        rows.append(
            {
                "instance": name,
                "method": "exact MIP",
                "n": n,
                "k": 4,
                "time_s": took,
                "objective": None if found.objective is None else round(found.objective, 6),
                "note": note,
            }
        )
        reference = found.objective if found.proven else found.bound
        for row in rows[:-1]:
            if reference is not None:
                row["gap"] = (row["objective"] - reference) / max(reference, 1e-9)
                if not found.proven:
                    row["note"] = "gap vs. HiGHS lower bound"
    return rows


def _plan_repeats(plans) -> int:
    seen: set[tuple[str, str]] = set()
    repeats = 0
    for plan in plans:
        for circle in plan.circles:
            for pair in combinations(circle.members, 2):
                repeats += pair in seen
                seen.add(pair)
    return repeats


def _prefix_repeat_free(rounds: list[list[list[int]]]) -> int:
    seen: set[tuple[int, int]] = set()
    for count, circles in enumerate(rounds):
        pairs = {tuple(sorted(p)) for c in circles for p in combinations(c, 2)}
        if pairs & seen:
            return count
        seen |= pairs
    return len(rounds)


def golfer_rows(n: int, k: int, known: int, floor: int) -> list[dict[str, Any]]:
    people = [Person(f"P{i:02d}") for i in range(n)]
    size = CircleSize(k, k, k)
    start = time.perf_counter()
    achieved = 0
    for rounds in range(known, floor - 1, -1):
        plans = plan_rounds(people, rounds=rounds, size=size, seed=1)
        if _plan_repeats(plans) == 0:
            achieved = rounds
            break
    seconds = time.perf_counter() - start
    name = f"golfer {n}/{k} (known {known})"
    costs = PairCosts.build(people, CircleWeights())
    sizes = plan_sizes(n, size).sizes
    sequential, took = _timed(lambda: complete_plan(costs, sizes, known, 1, []))
    return [
        {
            "instance": name,
            "method": "engine",
            "n": n,
            "k": k,
            "time_s": seconds,
            "repeats": 0 if achieved else None,
            "note": f"{achieved} repeat-free rounds",
        },
        {
            "instance": name,
            "method": "round-by-round",
            "n": n,
            "k": k,
            "time_s": took,
            "note": f"{_prefix_repeat_free(sequential)} repeat-free rounds",
        },
    ]


def _mentor_metrics(costs: MentorCosts, chosen: dict[int, list[int]]) -> dict[str, Any]:
    load = np.zeros(len(costs.mentors), dtype=np.int64)
    hard = 0
    covered = needed = 0
    for i, team in chosen.items():
        for j in team:
            load[j] += 1
            hard += (i, j) in costs.forbidden
        covered += len(costs.covered(i, team))
    needed = int(costs.need_count.sum())
    capacity = np.array([m.capacity for m in costs.mentors])
    hard += int((load > capacity).sum())
    used = load[capacity > 0]
    return {
        "hard": hard,
        "load_spread": int(used.max() - used.min()) if len(used) else 0,
        "coverage": covered / max(needed, 1),
        "matched": len(chosen),
    }


def _objective(costs: MentorCosts, chosen: dict[int, list[int]]) -> float:
    w = costs.weights
    total = w.unmatched * (len(costs.mentees) - len(chosen))
    load = np.zeros(len(costs.mentors), dtype=np.int64)
    for i, team in chosen.items():
        pref = float(costs.preference(np.array([i]), np.array(team)).sum())
        missing = int(costs.need_count[i]) - len(costs.covered(i, team))
        total += pref + w.uncovered * missing + w.extra_mentor * (len(team) - 1)
        for j in team:
            load[j] += 1
    return total + float(sum(w.load * k * (k - 1) / 2 for k in load.tolist()))


def mentor_rows(
    n_mentees: int, n_mentors: int, teams: bool, capacity: tuple[int, int]
) -> list[dict[str, Any]]:
    mentees, mentors = mentor_program(n_mentees, n_mentors, seed=7, capacity=capacity)
    result, seconds = _timed(lambda: match_mentors(mentees, mentors, teams=teams))
    costs = MentorCosts.build(
        sorted(mentees, key=lambda p: p.id), sorted(mentors, key=lambda p: p.id), MentorWeights()
    )
    e_index = {p.id: i for i, p in enumerate(costs.mentees)}
    m_index = {p.id: j for j, p in enumerate(costs.mentors)}
    chosen = {e_index[m.mentee]: [m_index[x] for x in m.mentors] for m in result.matches}
    name = f"{'teams' if teams else '1:1'} {n_mentees}/{n_mentors}"
    rows = []
    metrics = _mentor_metrics(costs, chosen)
    rows.append(
        {
            "instance": name,
            "method": "engine",
            "n": n_mentees,
            "k": 3 if teams else 1,
            "time_s": seconds,
            "objective": result.objective,
            "gap": result.gap,
            **metrics,
            "note": f"coverage {metrics['coverage']:.1%}, bound {result.bound}, unmatched {len(result.unmatched)}",
        }
    )
    greedy, took = _timed(lambda: greedy_teams(costs) if teams else greedy_mentors(costs))
    metrics = _mentor_metrics(costs, greedy)
    objective = _objective(costs, greedy)
    gap = (objective - result.bound) / objective if result.bound is not None else None
    rows.append(
        {
            "instance": name,
            "method": "greedy",
            "n": n_mentees,
            "k": 3 if teams else 1,
            "time_s": took,
            "objective": round(objective, 6),
            "gap": gap,
            **metrics,
            "note": f"coverage {metrics['coverage']:.1%}, unmatched {n_mentees - metrics['matched']}",
        }
    )
    return rows


def _fmt(value: Any, column: str) -> str:
    if value is None:
        return "-"
    if column == "time_s":
        return f"{value:.2f}"
    if column == "gap":
        return f"{0.0 if abs(value) < 5e-7 else value:.2%}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def print_table(rows: list[dict[str, Any]]) -> None:
    cells = [[_fmt(row.get(c), c) for c in COLUMNS] for row in rows]
    widths = [max(len(c), *(len(r[k]) for r in cells)) for k, c in enumerate(COLUMNS)]
    print(" | ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in cells:
        print(" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small instances only (about a minute)")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    exact_sizes = [16, 24, 32] if args.quick else [16, 20, 24, 28, 32, 36, 40]
    for n in exact_sizes:
        rows += circles_rows(n, 3, exact=True, time_limit=60.0)
    for n in [1000] if args.quick else [1000, 5000]:
        rows += circles_rows(n, 12, exact=False, time_limit=0)
    golfers = [(15, 3, 7, 6), (20, 4, 5, 4)] + ([] if args.quick else [(32, 4, 10, 9)])
    for n, k, known, floor in golfers:
        rows += golfer_rows(n, k, known, floor)
    rows += mentor_rows(2000 if args.quick else 10_000, 500 if args.quick else 2500, False, (3, 5))
    rows += mentor_rows(500 if args.quick else 2000, 125 if args.quick else 500, True, (3, 6))
    print_table(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"quick": args.quick, "rows": rows}, indent=2, default=float))
    print(f"\nwrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
