"""Mentor matching: one mentor per mentee (1:1) or a mentorship team of up to three.

1:1 is an assignment problem with capacities. Each mentor becomes ``capacity`` slots whose cost
grows by ``load`` per mentee already taken (a convex cost, so load spreads evenly), each mentee
gets a private "unmatched" slot, and ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
(LAPJVsp) finds the optimal assignment. Large pools keep each mentee's best mentors (ties broken
by seed) as candidates, plus every mentor with room for mentees the first pass left out. The
reported ``bound`` adds each mentee's cheapest possible mentor to the cheapest possible load; it is
valid for the full problem, so ``gap`` = 0 proves optimality.

Teams are a set-partitioning MIP solved with HiGHS (``scipy.optimize.milp``): one column per
candidate team (1-3 of the mentee's best and most needed mentors) with coverage, preference and
size costs; capacities are hard rows; load is the same convex slot cost. Mentees left unmatched
or not fully covered get extra columns built from mentors who still have room, and the MIP is
solved again (up to three times). HiGHS reports its dual bound and gap, which hold for the
generated column set (not every possible team). scipy is already a dependency and HiGHS is fast on these models; OR-Tools would
add ~30 MB for no gain here.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .explain import match_reasons
from .mentor_costs import MentorCosts
from .model import (
    DEFAULT_MENTOR_WEIGHTS,
    MatchResult,
    MentorMatch,
    MentorWeights,
    Person,
    Unmatched,
    Unplaced,
)

_CANDIDATES_1TO1 = 16
_CHUNK = 1024
_TEAM_CANDIDATES = 8
_TEAM_COLUMNS = 12
_REPAIR_ROUNDS = 3


def _active(people: Iterable[Person]) -> list[Person]:
    seen: dict[str, Person] = {}
    for p in people:
        if p.active and p.id not in seen:
            seen[p.id] = p
    return [seen[k] for k in sorted(seen)]


def _kept_pairs(
    costs: MentorCosts, existing: Iterable[tuple[str, str]], max_per_mentee: int
) -> dict[int, list[int]]:
    """Existing (mentee, mentor) pairs that may continue: both active, no hard rule, capacity left."""
    e_index = {p.id: i for i, p in enumerate(costs.mentees)}
    m_index = {p.id: j for j, p in enumerate(costs.mentors)}
    load = [0] * len(costs.mentors)
    kept: dict[int, list[int]] = {}
    for mentee, mentor in sorted(set(existing)):
        i, j = e_index.get(mentee), m_index.get(mentor)
        if i is None or j is None or (i, j) in costs.forbidden:
            continue
        if load[j] >= costs.mentors[j].capacity or len(kept.get(i, [])) >= max_per_mentee:
            continue
        kept.setdefault(i, []).append(j)
        load[j] += 1
    return kept


def _unmatched_reason(costs: MentorCosts, mentee: int) -> Unplaced:
    """Why a mentee is left without a mentor. Their own list counts as the reason only when it alone
    rules out every other mentor, so a mentee is never told about a list that is someone else's."""
    person = costs.mentees[mentee]
    others = {j for j, m in enumerate(costs.mentors) if m.id != person.id}
    if not others:
        return Unplaced.NO_MENTORS
    if not others - {int(j) for j in costs.forbidden_by_mentee.get(mentee, ())}:
        avoided = {j for j in others if costs.mentors[j].id in person.avoid}
        return Unplaced.OWN_LIST if avoided == others else Unplaced.RULES
    return Unplaced.MENTORS_FULL


def _load_floor(slot_costs: np.ndarray, matched: int) -> float:
    """The least load cost any solution matching ``matched`` mentees can have."""
    if matched <= 0:
        return 0.0
    return float(np.sort(slot_costs)[:matched].sum())


def match_mentors(
    mentees: Iterable[Person],
    mentors: Iterable[Person],
    *,
    teams: bool = False,
    max_team: int = 3,
    weights: MentorWeights = DEFAULT_MENTOR_WEIGHTS,
    forbidden_pairs: Iterable[tuple[str, str]] = (),
    existing: Iterable[tuple[str, str]] = (),
    keep_existing: bool = False,
    seed: int = 0,
    time_limit: float = 25.0,
) -> MatchResult:
    """Match active mentees to active mentors; ``existing`` pairs are (mentee id, mentor id).

    Capacities and do-not-match rules are never broken. With ``keep_existing`` the existing pairs
    that are still allowed stay and only the rest is matched around them.
    """
    mentee_list, mentor_list = _active(mentees), _active(mentors)
    costs = MentorCosts.build(mentee_list, mentor_list, weights, forbidden_pairs)
    per_mentee = max_team if teams else 1
    kept = _kept_pairs(costs, existing, per_mentee) if keep_existing else {}
    if teams:
        return _match_teams(costs, kept, max_team, seed, time_limit)
    return _match_one_to_one(costs, kept, seed)


def _result(
    costs: MentorCosts,
    chosen: dict[int, list[int]],
    kept: dict[int, list[int]],
    objective: float,
    bound: float | None,
    warnings: tuple[str, ...] = (),
) -> MatchResult:
    matches, unmatched = [], []
    w = costs.weights
    flat_e = np.array([i for i, team in chosen.items() for _ in team], dtype=np.int64)
    flat_m = np.array([j for team in chosen.values() for j in team], dtype=np.int64)
    prefs = costs.preference_pairs(flat_e, flat_m) if len(flat_e) else np.zeros(0)
    pref_of: dict[int, float] = {}
    for i, value in zip(flat_e.tolist(), prefs.tolist(), strict=True):
        pref_of[i] = pref_of.get(i, 0.0) + value
    for i, mentee in enumerate(costs.mentees):
        team = sorted(chosen.get(i, []), key=lambda j: costs.mentors[j].id)
        if not team:
            unmatched.append(Unmatched(mentee.id, _unmatched_reason(costs, i)))
            continue
        people = [costs.mentors[j] for j in team]
        covered = costs.covered(i, team)
        score = (
            pref_of[i] + w.uncovered * (len(mentee.needs) - len(covered)) + w.extra_mentor * (len(team) - 1)
        )
        is_kept = bool(kept.get(i)) and set(kept[i]) == set(team)
        matches.append(
            MentorMatch(
                mentee=mentee.id,
                mentors=tuple(m.id for m in people),
                covered=covered,
                reasons=match_reasons(mentee, people, kept=is_kept),
                score=round(score, 6),
                kept=is_kept,
            )
        )
    objective = round(objective, 6)
    gap = None
    if bound is not None:
        bound = round(min(bound, objective), 6)
        gap = 0.0 if objective - bound <= 1e-9 else (objective - bound) / max(abs(objective), 1e-9)
    return MatchResult(tuple(matches), tuple(unmatched), objective, bound, gap, warnings)


def _slot_costs(costs: MentorCosts, kept: dict[int, list[int]]) -> tuple[list[np.ndarray], np.ndarray]:
    """Per mentor: the cost of each remaining slot (load so far times ``load``)."""
    taken = np.zeros(len(costs.mentors), dtype=np.int64)
    for js in kept.values():
        for j in js:
            taken[j] += 1
    slots = [
        costs.weights.load * np.arange(taken[j], max(taken[j], costs.mentors[j].capacity), dtype=np.float64)
        for j in range(len(costs.mentors))
    ]
    return slots, taken


def _match_one_to_one(costs: MentorCosts, kept: dict[int, list[int]], seed: int) -> MatchResult:
    w = costs.weights
    slots, taken = _slot_costs(costs, kept)
    kept_cost = sum(float(costs.single(np.array([i]), np.array(js)).sum()) for i, js in kept.items())
    kept_cost += sum(w.load * k * (k - 1) / 2 for k in taken.tolist())
    todo = np.array([i for i in range(len(costs.mentees)) if i not in kept], dtype=np.int64)
    free = np.array([len(s) for s in slots], dtype=np.int64)
    open_mentors = np.flatnonzero(free > 0)
    chosen: dict[int, list[int]] = {i: list(js) for i, js in kept.items()}
    if len(todo) == 0 or len(open_mentors) == 0:
        objective = kept_cost + w.unmatched * len(todo)
        return _result(costs, chosen, kept, objective, objective)
    rng = np.random.default_rng(seed)
    k = min(len(open_mentors), _CANDIDATES_1TO1)
    jitter = rng.random((min(_CHUNK, len(todo)), len(open_mentors)), dtype=np.float32) * np.float32(1e-3)
    edges_e, edges_m, edges_c = [], [], []
    best_single = np.full(len(todo), w.unmatched)
    for start in range(0, len(todo), _CHUNK):
        rows = todo[start : start + _CHUNK]
        block = costs.single(rows, open_mentors)
        best_single[start : start + len(rows)] = np.minimum(block.min(axis=1), w.unmatched)
        if k < len(open_mentors):
            top = np.argpartition(block + jitter[: len(rows)], k - 1, axis=1)[:, :k]
        else:
            top = np.broadcast_to(np.arange(len(open_mentors)), (len(rows), k))
        picked = np.take_along_axis(block, top, axis=1)
        ok = np.isfinite(picked)
        edges_e.append(np.repeat(np.arange(start, start + len(rows)), k)[ok.ravel()])
        edges_m.append(open_mentors[top][ok])
        edges_c.append(picked[ok])
    e, m, c = np.concatenate(edges_e), np.concatenate(edges_m), np.concatenate(edges_c)
    assignment = _assign(len(todo), e, m, c, slots, w.unmatched)
    if len(np.unique(assignment[assignment >= 0])) < len(open_mentors):
        left = np.flatnonzero(assignment < 0)
        used = np.bincount(assignment[assignment >= 0], minlength=len(costs.mentors))
        room = np.flatnonzero(used < free)
        if len(left) and len(room):
            block = costs.single(todo[left], room)
            ok = np.isfinite(block)
            extra_e = np.repeat(left, len(room))[ok.ravel()]
            extra_m = np.tile(room, len(left))[ok.ravel()]
            e = np.concatenate([e, extra_e])
            m = np.concatenate([m, extra_m])
            c = np.concatenate([c, block[ok]])
            assignment = _assign(len(todo), e, m, c, slots, w.unmatched)
    hit = np.flatnonzero(assignment >= 0)
    objective = kept_cost + w.unmatched * (len(todo) - len(hit))
    objective += float(costs.single_pairs(todo[hit], assignment[hit]).sum())
    load = np.zeros(len(costs.mentors), dtype=np.int64)
    for pos in hit.tolist():
        j = int(assignment[pos])
        objective += float(slots[j][load[j]])
        load[j] += 1
        chosen[int(todo[pos])] = [j]
    matched = int((assignment >= 0).sum())
    all_slots = np.concatenate([s for s in slots if len(s)]) if any(len(s) for s in slots) else np.zeros(0)
    pair_floor = np.sort(best_single - w.unmatched)[:matched].sum() + w.unmatched * len(todo)
    bound = kept_cost + float(pair_floor) + _load_floor(all_slots, matched)
    return _result(costs, chosen, kept, objective, bound)


def _assign(
    n: int, e: np.ndarray, m: np.ndarray, c: np.ndarray, slots: list[np.ndarray], unmatched: float
) -> np.ndarray:
    """Optimal mentee -> mentor assignment over the candidate edges; -1 where unmatched."""
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in slots])]).astype(np.int64)
    counts = np.array([len(s) for s in slots], dtype=np.int64)[m]
    rows = np.repeat(e, counts)
    mentor_of_col = np.repeat(m, counts)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    cols = offsets[mentor_of_col] + within
    slot_cost = np.concatenate(slots)[cols] if len(cols) else np.zeros(0)
    vals = np.repeat(c, counts) + slot_cost
    total_slots = int(offsets[-1])
    rows = np.concatenate([rows, np.arange(n)])
    cols = np.concatenate([cols, total_slots + np.arange(n)])
    vals = np.concatenate([vals, np.full(n, unmatched)]) + 1.0
    graph = sp.csr_matrix((vals, (rows, cols)), shape=(n, total_slots + n))
    _, col_of_row = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(slots)), [len(s) for s in slots])
    return np.where(col_of_row < total_slots, owner[np.minimum(col_of_row, max(total_slots - 1, 0))], -1)


def _team_columns(
    costs: MentorCosts,
    i: int,
    must: list[int],
    max_team: int,
    rng: np.random.Generator,
    allowed: np.ndarray | None = None,
) -> list[tuple[tuple[int, ...], float]]:
    """The mentee's cheapest candidate teams (each containing every mentor in ``must``).

    Candidates are the mentee's best mentors overall plus the two best-fitting mentors for each
    needed domain, limited to ``allowed`` mentors when given.
    """
    w = costs.weights
    single = costs.single(np.array([i]))[0]
    usable = np.isfinite(single)
    if allowed is not None:
        usable &= allowed
    finite = np.flatnonzero(usable)
    if len(finite) == 0:
        return [(tuple(must), 0.0)] if must else []
    candidates: set[int] = set()
    jitter = single[finite] + rng.random(len(finite)) * 1e-3
    candidates |= set(finite[np.argsort(jitter, kind="stable")[:_TEAM_CANDIDATES]].tolist())
    pref = costs.preference(np.array([i]))[0]
    need = int(costs.needs[i])
    for bit in range(len(costs.domains)):
        if need >> bit & 1:
            offering = finite[(costs.offers[finite] >> bit & 1) == 1]
            if len(offering):
                order = np.argsort(pref[offering] + rng.random(len(offering)) * 1e-3, kind="stable")
                candidates |= set(offering[order[:2]].tolist())
    pool = sorted(candidates - set(must))
    room = max_team - len(must)
    columns = []
    for size in range(0 if must else 1, room + 1):
        for combo in combinations(pool, size):
            team = tuple(sorted((*must, *combo)))
            offered = 0
            for j in team:
                offered |= int(costs.offers[j])
            missing = int(np.bitwise_count(need & ~offered))
            cost = w.uncovered * missing + float(pref[list(team)].sum()) + w.extra_mentor * (len(team) - 1)
            columns.append((team, cost))
    columns.sort(key=lambda col: (col[1], col[0]))
    return columns[:_TEAM_COLUMNS]


def _match_teams(
    costs: MentorCosts, kept: dict[int, list[int]], max_team: int, seed: int, time_limit: float
) -> MatchResult:
    """Solve the team MIP; then, for mentees left without a good team, add columns built only from
    mentors who still have room and solve again (a few rounds of column generation)."""
    rng = np.random.default_rng(seed)
    columns: dict[tuple[int, tuple[int, ...]], float] = {}
    for i in range(len(costs.mentees)):
        for team, cost in _team_columns(costs, i, kept.get(i, []), max_team, rng):
            columns[(i, team)] = cost
    capacity = np.array([m.capacity for m in costs.mentors], dtype=np.int64)
    solved = _solve_teams(costs, columns, time_limit)
    for _ in range(_REPAIR_ROUNDS):
        if solved is None:
            break
        chosen = solved[0]
        load = np.zeros(len(costs.mentors), dtype=np.int64)
        for mentor_ids in chosen.values():
            load[mentor_ids] += 1
        room = load < capacity
        weak = [
            i
            for i in range(len(costs.mentees))
            if i not in chosen or len(costs.covered(i, chosen[i])) < int(costs.need_count[i])
        ]
        added = 0
        for i in weak:
            for team, cost in _team_columns(costs, i, kept.get(i, []), max_team, rng, allowed=room):
                if (i, team) not in columns:
                    columns[(i, team)] = cost
                    added += 1
        if not added:
            break
        solved = _solve_teams(costs, columns, time_limit)
    if solved is None:
        objective = costs.weights.unmatched * len(costs.mentees)
        return _result(costs, {}, kept, objective, None, ("The team solver found no solution in time.",))
    chosen, objective, bound, timed_out = solved
    warnings = (
        ("The team solver stopped at its time limit; the bound shows how close it got.",) if timed_out else ()
    )
    return _result(costs, chosen, kept, objective, bound, warnings)


def _solve_teams(
    costs: MentorCosts, columns: dict[tuple[int, tuple[int, ...]], float], time_limit: float
) -> tuple[dict[int, list[int]], float, float | None, bool] | None:
    w = costs.weights
    slots, _ = _slot_costs(costs, {})
    n_e, n_m = len(costs.mentees), len(costs.mentors)
    keys = sorted(columns)
    n_x = len(keys)
    slot_owner = np.repeat(np.arange(n_m), [len(s) for s in slots]).astype(np.int64)
    slot_cost = np.concatenate(slots) if n_m else np.zeros(0)
    n_y = len(slot_cost)
    c = np.concatenate([[columns[k] for k in keys], slot_cost, np.full(n_e, w.unmatched)])
    rows, cols = [], []
    for k, (i, team) in enumerate(keys):
        rows += [i, *(n_e + j for j in team)]
        cols += [k] * (1 + len(team))
    vals = [1.0] * len(rows) + [-1.0] * n_y + [1.0] * n_e
    rows += [n_e + int(j) for j in slot_owner] + list(range(n_e))
    cols += list(range(n_x, n_x + n_y)) + list(range(n_x + n_y, n_x + n_y + n_e))
    a = sp.csr_matrix((vals, (rows, cols)), shape=(n_e + n_m, n_x + n_y + n_e))
    rhs = np.concatenate([np.ones(n_e), np.zeros(n_m)])
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_y), np.ones(n_e)])
    res = milp(
        c,
        integrality=integrality,
        bounds=(0, 1),
        constraints=LinearConstraint(a, rhs, rhs),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-4, "disp": False},
    )
    if res.x is None:
        return None
    chosen = {i: list(team) for k, (i, team) in enumerate(keys) if res.x[k] > 0.5}
    bound = getattr(res, "mip_dual_bound", None)
    return chosen, float(res.fun), None if bound is None else float(bound), res.status == 1
