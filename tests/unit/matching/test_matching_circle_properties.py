"""Property tests: for random pools and histories, every plan keeps the engine's promises."""

from __future__ import annotations

import random
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st
from matching_strategies import histories, pools

from bot.domain.matching import CircleSize, Person, RoundPlan, Unplaced, pair_key, plan_rounds
from bot.domain.matching.sizing import plan_sizes

SIZES = st.sampled_from([CircleSize(4, 3, 5), CircleSize(3, 2, 4), CircleSize(2, 2, 2), CircleSize(5, 4, 6)])


def _forbidden(people: list[Person], extra: list[tuple[str, str]]) -> set[tuple[str, str]]:
    ids = {p.id for p in people if p.active}
    pairs = {pair_key(p.id, o) for p in people for o in p.avoid if p.active and o in ids and o != p.id}
    return pairs | {pair_key(a, b) for a, b in extra if a != b}


def _check(plans: tuple[RoundPlan, ...], people: list[Person], size: CircleSize, extra) -> None:
    active = {p.id for p in people if p.active}
    forbidden = _forbidden(people, extra)
    for plan in plans:
        placed = [pid for circle in plan.circles for pid in circle.members]
        unplaced = [u.id for u in plan.unplaced]
        assert len(placed) == len(set(placed)), "someone placed twice"
        assert sorted(placed + unplaced) == sorted(active), "every active member placed once or reported"
        assert all(u.reason for u in plan.unplaced)
        for circle in plan.circles:
            for a, b in combinations(circle.members, 2):
                assert pair_key(a, b) not in forbidden, "hard rule broken"
        sizing = plan_sizes(len(placed), size)
        if sizing.warning is None and len(placed) >= size.min:
            assert all(size.min <= len(c.members) <= size.max for c in plan.circles)
        if not unplaced and len(active) >= 2 and plan_sizes(len(active), size).warning is None:
            assert all(size.min <= len(c.members) <= size.max for c in plan.circles)
        assert plan.stats.placed == len(placed)
        assert plan.stats.new_pairs + plan.stats.repeat_pairs == sum(
            len(c.members) * (len(c.members) - 1) // 2 for c in plan.circles
        )


@settings(max_examples=40, deadline=None)
@given(data=st.data(), size=SIZES, rounds=st.integers(1, 3), seed=st.integers(0, 3))
def test_plans_place_everyone_once_within_bounds_without_hard_violations(data, size, rounds, seed):
    people = data.draw(pools())
    ids = [p.id for p in people]
    history = data.draw(histories(ids))
    extra = (
        data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3)) if ids else []
    )
    plans = plan_rounds(
        people, rounds=rounds, size=size, history=history, forbidden_pairs=extra, seed=seed, effort=0.05
    )
    assert len(plans) == rounds
    _check(plans, people, size, extra)


@settings(max_examples=20, deadline=None)
@given(data=st.data(), size=SIZES, seed=st.integers(0, 3))
def test_same_input_and_seed_give_the_same_plan_whatever_the_input_order(data, size, seed):
    people = data.draw(pools())
    history = data.draw(histories([p.id for p in people]))
    first = plan_rounds(people, rounds=2, size=size, history=history, seed=seed, effort=0.05)
    shuffled = people[:]
    random.Random(seed).shuffle(shuffled)
    again = plan_rounds(shuffled, rounds=2, size=size, history=history, seed=seed, effort=0.05)
    assert first == again


def test_someone_who_avoids_everyone_is_reported_not_placed():
    people = [Person(f"U{i}") for i in range(8)] + [Person("X", avoid=frozenset(f"U{i}" for i in range(8)))]
    (plan,) = plan_rounds(people)
    assert [u.id for u in plan.unplaced] == ["X"]
    assert plan.unplaced[0].reason is Unplaced.OWN_LIST
    assert not any("do-not-match" in w for w in plan.warnings), "warnings are shown to coordinators"
    assert sorted(p for c in plan.circles for p in c.members) == [f"U{i}" for i in range(8)]


def test_avoid_lists_are_symmetric_and_inactive_people_are_left_out():
    people = [Person(f"U{i}") for i in range(6)] + [
        Person("A", avoid=frozenset({"B"})),
        Person("B"),
        Person("Z", active=False),
    ]
    for seed in range(5):
        (plan,) = plan_rounds(people, size=CircleSize(4, 4, 4), seed=seed)
        for circle in plan.circles:
            assert not {"A", "B"} <= set(circle.members)
            assert "Z" not in circle.members
        assert plan.stats.placed == 8


def test_tiny_pools():
    (two,) = plan_rounds([Person("a"), Person("b")])
    assert [c.members for c in two.circles] == [("a", "b")]
    assert two.warnings
    (one,) = plan_rounds([Person("a")])
    assert one.circles == () and [u.id for u in one.unplaced] == ["a"]
    (none,) = plan_rounds([])
    assert none.circles == () and none.unplaced == ()
    (seven,) = plan_rounds([Person(f"p{i}") for i in range(7)])
    assert sorted(len(c.members) for c in seven.circles) == [3, 4]
