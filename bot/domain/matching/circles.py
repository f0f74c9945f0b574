"""Peer circles: the public entry points that turn a pool of members into planned rounds.

Hard rules are never broken. Inactive people are left out; do-not-match lists are symmetric and,
with the program's forbidden pairs, carry a cost no soft preference can outweigh. If the search
still cannot keep two such people apart (someone avoids nearly everyone), the person with the most
conflicts (on a tie, the one whose own list causes them) is left unplaced and the rest are planned
again. The reason says whether their own list alone is why (``Unplaced.OWN_LIST``) or not
(``Unplaced.RULES``); no warning mentions it, as warnings are shown to coordinators.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

from .explain import circle_reasons
from .model import (
    DEFAULT_CIRCLE_WEIGHTS,
    DEFAULT_SIZE,
    NO_HISTORY,
    Circle,
    CircleSize,
    CircleWeights,
    History,
    HistoryRound,
    Pair,
    Person,
    RoundPlan,
    RoundStats,
    Unmatched,
    Unplaced,
    pair_key,
)
from .multi_round import Plan, complete_plan, search_rounds
from .pair_costs import PairCosts, forbidden_pairs_of
from .round_search import search_round
from .sizing import plan_sizes

JOINT_PLANNING_LIMIT = 200
"""Pools larger than this plan several rounds one after another instead of jointly."""


def active_pool(members: Iterable[Person]) -> tuple[list[Person], list[str]]:
    """Active members sorted by id, first occurrence of each id kept."""
    seen: dict[str, Person] = {}
    warnings = []
    for person in members:
        if not person.active:
            continue
        if person.id in seen:
            warnings.append(f"{person.id} appears more than once; using the first entry.")
            continue
        seen[person.id] = person
    return [seen[k] for k in sorted(seen)], warnings


def _conflicts(
    plan: Plan, forbidden: set[Pair], ids: Sequence[str], avoid: dict[str, frozenset[str]]
) -> dict[str, tuple[int, int]]:
    """Per person in a clash: (clashes, how many of them are with people on their own list)."""
    counts: dict[str, tuple[int, int]] = {}
    for round_ in plan:
        for circle in round_:
            for a, b in combinations(circle, 2):
                if pair_key(ids[a], ids[b]) in forbidden:
                    for me, other in ((ids[a], ids[b]), (ids[b], ids[a])):
                        total, own = counts.get(me, (0, 0))
                        counts[me] = (total + 1, own + (other in avoid[me]))
    return counts


def _hopeless(pool: Sequence[Person], forbidden: set[Pair], smallest: int) -> Unmatched | None:
    """Someone who clashes with so many others that no circle of the smallest size could hold them.

    Only the worst is returned (most clashes, then most of them from their own list): once they are
    left out, the sizes and everyone else's chances are worked out again, so the people they avoid
    are not left out with them.
    """
    ids = {p.id for p in pool}
    degree: dict[str, int] = {}
    for a, b in forbidden:
        if a in ids and b in ids:
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
    own = {p.id: len((p.avoid & ids) - {p.id}) for p in pool}

    def too_few(clashes: int) -> bool:
        return len(pool) - 1 - clashes < smallest - 1

    stuck = [p.id for p in pool if too_few(degree.get(p.id, 0))]
    if not stuck:
        return None
    worst = min(stuck, key=lambda pid: (-degree.get(pid, 0), -own[pid], pid))
    return Unmatched(worst, Unplaced.OWN_LIST if too_few(own[worst]) else Unplaced.RULES)


def _search(costs: PairCosts, sizes: Sequence[int], rounds: int, seed: int, effort: float) -> Plan:
    if rounds == 1:
        return [search_round(costs, sizes, seed, effort=effort).groups]
    if costs.n <= JOINT_PLANNING_LIMIT:
        return search_rounds(costs, sizes, rounds, seed, effort=effort)
    return complete_plan(costs, sizes, rounds, seed, [])


def plan_rounds(
    members: Iterable[Person],
    *,
    rounds: int = 1,
    size: CircleSize = DEFAULT_SIZE,
    history: History = NO_HISTORY,
    weights: CircleWeights = DEFAULT_CIRCLE_WEIGHTS,
    forbidden_pairs: Iterable[Pair] = (),
    seed: int = 0,
    effort: float = 1.0,
) -> tuple[RoundPlan, ...]:
    """Plan the next ``rounds`` rounds of circles for the active members, jointly.

    Everyone active is placed exactly once per round unless a hard rule makes that impossible, in
    which case they are listed in ``unplaced`` with the reason. Same input and seed, same plan.
    """
    pool, warnings = active_pool(members)
    forbidden = forbidden_pairs_of(pool, forbidden_pairs)
    avoid = {p.id: p.avoid for p in pool}
    unplaced: list[Unmatched] = []
    while True:
        sizes = plan_sizes(len(pool), size)
        if sizes.sizes:
            stuck = _hopeless(pool, forbidden, min(sizes.sizes))
            if stuck:
                unplaced.append(stuck)
                pool = [p for p in pool if p.id != stuck.id]
                continue
        costs = PairCosts.build(pool, weights, history, forbidden)
        plan = (
            _search(costs, sizes.sizes, rounds, seed, effort) if sizes.sizes else [[] for _ in range(rounds)]
        )
        conflicts = _conflicts(plan, forbidden, costs.ids, avoid)
        if not conflicts:
            break
        worst = min(conflicts, key=lambda pid: (-conflicts[pid][0], -conflicts[pid][1], pid))
        total, own = conflicts[worst]
        unplaced.append(Unmatched(worst, Unplaced.OWN_LIST if own == total else Unplaced.RULES))
        pool = [p for p in pool if p.id != worst]
    if len(pool) == 1:
        unplaced.append(Unmatched(pool[0].id, Unplaced.ALONE))
    if sizes.warning:
        warnings.append(sizes.warning)
    unplaced.sort(key=lambda u: u.id)
    return _describe(pool, costs, plan, history, tuple(warnings), tuple(unplaced))


def plan_round(
    members: Iterable[Person],
    *,
    size: CircleSize = DEFAULT_SIZE,
    history: History = NO_HISTORY,
    weights: CircleWeights = DEFAULT_CIRCLE_WEIGHTS,
    forbidden_pairs: Iterable[Pair] = (),
    seed: int = 0,
    effort: float = 1.0,
) -> RoundPlan:
    """Plan the next single round; takes the same keyword options as ``plan_rounds``."""
    return plan_rounds(
        members,
        rounds=1,
        size=size,
        history=history,
        weights=weights,
        forbidden_pairs=forbidden_pairs,
        seed=seed,
        effort=effort,
    )[0]


def _describe(
    pool: Sequence[Person],
    costs: PairCosts,
    plan: Plan,
    history: History,
    warnings: tuple[str, ...],
    unplaced: tuple[Unmatched, ...],
) -> tuple[RoundPlan, ...]:
    people = {p.id: p for p in pool}
    plans = []
    for number, round_ in enumerate(plan):
        round_costs = costs.after(plan[:number]) if number else costs
        meetings = history.meetings()
        circles = []
        new_pairs = repeat_pairs = 0
        for group in round_:
            ids = sorted(costs.ids[i] for i in group)
            members = [people[i] for i in ids]
            for a, b in combinations(ids, 2):
                if pair_key(a, b) in meetings:
                    repeat_pairs += 1
                else:
                    new_pairs += 1
            score = round(round_costs.group_cost(sorted(group)), 6)
            circles.append(Circle(tuple(ids), circle_reasons(members, meetings, history.labels()), score))
        circles.sort(key=lambda c: c.members)
        stats = RoundStats(
            len(circles), sum(len(c.members) for c in circles), new_pairs, repeat_pairs, len(unplaced)
        )
        objective = round(sum(c.score for c in circles), 6)
        plans.append(RoundPlan(tuple(circles), objective, warnings, stats, unplaced))
        history = history.then(
            HistoryRound(tuple(c.members for c in circles), label=f"planned round {number + 1}")
        )
    return tuple(plans)
