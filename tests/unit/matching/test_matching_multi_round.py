"""Joint planning reaches the known repeat-free limits on the social golfer references."""

from itertools import combinations

import pytest

from bot.domain.matching import CircleSize, CircleWeights, History, Person, plan_rounds
from bot.domain.matching.designs import affine_rounds


def _repeats(plans) -> int:
    seen: set[tuple[str, str]] = set()
    repeats = 0
    for plan in plans:
        for circle in plan.circles:
            for pair in combinations(circle.members, 2):
                repeats += pair in seen
                seen.add(pair)
    return repeats


@pytest.mark.parametrize(("n", "k", "rounds"), [(15, 3, 7), (20, 4, 5), (16, 4, 5), (9, 3, 4)])
def test_social_golfer_references_are_repeat_free(n, k, rounds):
    people = [Person(f"P{i:02d}") for i in range(n)]
    plans = plan_rounds(people, rounds=rounds, size=CircleSize(k, k, k), weights=CircleWeights(), seed=1)
    assert _repeats(plans) == 0
    assert all(plan.stats.repeat_pairs == 0 for plan in plans)


def test_plans_avoid_pairs_from_history_and_from_earlier_planned_rounds():
    people = [Person(f"P{i:02d}") for i in range(12)]
    triples = [[f"P{i:02d}" for i in range(k, k + 3)] for k in range(0, 12, 3)]
    plans = plan_rounds(people, rounds=1, history=History.from_circles([triples]), size=CircleSize(4, 4, 4))
    assert plans[0].stats.repeat_pairs == 0
    assert all("new to each other" in c.reasons for c in plans[0].circles)
    two = plan_rounds(people, rounds=2, size=CircleSize(3, 3, 3))
    assert _repeats(two) == 0


@pytest.mark.parametrize(("n", "k", "expected"), [(16, 4, 5), (27, 3, 13), (32, 4, 9), (16, 2, 15)])
def test_affine_designs_are_repeat_free_partitions(n, k, expected):
    rounds = affine_rounds(n, k)
    assert len(rounds) == expected
    seen = set()
    for circles in rounds:
        assert sorted(p for c in circles for p in c) == list(range(n))
        for circle in circles:
            assert len(circle) == k
            for pair in combinations(circle, 2):
                assert pair not in seen
                seen.add(pair)


def test_no_design_for_other_sizes():
    assert affine_rounds(15, 3) == []
    assert affine_rounds(20, 4) == []
