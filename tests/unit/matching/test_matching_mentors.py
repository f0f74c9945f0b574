"""Mentor matching: hard rules, optimality against brute force, teams, existing pairs."""

from __future__ import annotations

from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.matching import MentorWeights, Person, Unplaced, match_mentors
from bot.domain.vocabulary import DOMAINS, TRACKS, stage_rank

W = MentorWeights()


def _pref(e: Person, m: Person) -> float:
    cost = 0.0
    if e.specialty and m.specialty and e.specialty != m.specialty:
        cost += W.specialty
    if e.track and m.track and e.track != m.track:
        cost += W.track
    re, rm = stage_rank(e.stage), stage_rank(m.stage)
    if re is not None and rm is not None and rm <= re:
        cost += W.stage
    return cost


def _team_cost(e: Person, team: tuple[Person, ...]) -> float:
    offered = set().union(*(m.offers for m in team))
    return (
        W.uncovered * len(e.needs - offered)
        + sum(_pref(e, m) for m in team)
        + W.extra_mentor * (len(team) - 1)
    )


def _blocked(e: Person, m: Person) -> bool:
    return m.id in e.avoid or e.id in m.avoid


def _brute_force(mentees: list[Person], mentors: list[Person], options: list[tuple[Person, ...]]) -> float:
    best = float("inf")
    for choice in product([None, *options], repeat=len(mentees)):
        load: dict[str, int] = {}
        total = 0.0
        ok = True
        for e, team in zip(mentees, choice, strict=True):
            if team is None:
                total += W.unmatched
                continue
            if any(_blocked(e, m) for m in team):
                ok = False
                break
            total += _team_cost(e, team)
            for m in team:
                load[m.id] = load.get(m.id, 0) + 1
        if not ok or any(load.get(m.id, 0) > m.capacity for m in mentors):
            continue
        total += sum(W.load * k * (k - 1) / 2 for k in load.values())
        best = min(best, total)
    return best


people_fields = dict(
    stage=st.sampled_from(["PGY-1", "PGY-3", "fellow", "faculty", None]),
    specialty=st.sampled_from(["surgery", "pediatrics", None]),
    track=st.sampled_from([*TRACKS[:2], None]),
)


@st.composite
def instances(draw: st.DrawFn, max_mentees: int, max_mentors: int):
    n_e = draw(st.integers(1, max_mentees))
    n_m = draw(st.integers(1, max_mentors))
    mentor_ids = [f"M{j}" for j in range(n_m)]
    mentees = [
        Person(
            f"E{i}",
            needs=frozenset(draw(st.lists(st.sampled_from(DOMAINS[:4]), max_size=3))),
            avoid=frozenset(draw(st.lists(st.sampled_from(mentor_ids), max_size=1))),
            **{k: draw(v) for k, v in people_fields.items()},
        )
        for i in range(n_e)
    ]
    mentors = [
        Person(
            mid,
            offers=frozenset(draw(st.lists(st.sampled_from(DOMAINS[:4]), max_size=3))),
            capacity=draw(st.integers(0, 2)),
            **{k: draw(v) for k, v in people_fields.items()},
        )
        for mid in mentor_ids
    ]
    return mentees, mentors


@settings(max_examples=40, deadline=None)
@given(instances(max_mentees=5, max_mentors=3))
def test_one_to_one_is_optimal_and_keeps_hard_rules(instance):
    mentees, mentors = instance
    result = match_mentors(mentees, mentors)
    expected = _brute_force(mentees, mentors, [(m,) for m in mentors])
    assert abs(result.objective - expected) < 1e-6
    assert result.bound is not None and result.bound <= result.objective + 1e-9
    by_id = {m.id: m for m in mentors}
    load: dict[str, int] = {}
    for match in result.matches:
        (mentor,) = match.mentors
        assert not _blocked(next(e for e in mentees if e.id == match.mentee), by_id[mentor])
        load[mentor] = load.get(mentor, 0) + 1
    assert all(load.get(m.id, 0) <= m.capacity for m in mentors)
    assert sorted([m.mentee for m in result.matches] + [u.id for u in result.unmatched]) == sorted(
        e.id for e in mentees
    )
    assert result == match_mentors(list(reversed(mentees)), mentors)


@settings(max_examples=25, deadline=None)
@given(instances(max_mentees=3, max_mentors=3))
def test_teams_are_optimal_on_small_instances(instance):
    mentees, mentors = instance
    result = match_mentors(mentees, mentors, teams=True)
    teams = [t for size in (1, 2, 3) for t in combinations(mentors, size)]
    expected = _brute_force(mentees, mentors, teams)
    assert abs(result.objective - expected) < 1e-6
    for match in result.matches:
        mentee = next(e for e in mentees if e.id == match.mentee)
        offered = set().union(*(m.offers for m in mentors if m.id in match.mentors))
        assert set(match.covered) == mentee.needs & offered
        assert 1 <= len(match.mentors) <= 3


def test_capacity_is_hard_and_load_is_balanced():
    mentees = [Person(f"E{i}", needs=frozenset({"research"})) for i in range(6)]
    mentors = [Person(f"M{j}", offers=frozenset({"research"}), capacity=4) for j in range(3)]
    result = match_mentors(mentees, mentors)
    loads = sorted(sum(m.mentors == (mid,) for m in result.matches) for mid in ("M0", "M1", "M2"))
    assert loads == [2, 2, 2]
    few = match_mentors(mentees, [Person("M0", offers=frozenset({"research"}), capacity=2)])
    assert len(few.matches) == 2
    assert {u.reason for u in few.unmatched} == {Unplaced.MENTORS_FULL}


def test_do_not_match_in_either_direction_is_respected():
    mentees = [Person("E1", avoid=frozenset({"M1"})), Person("E2")]
    mentors = [Person("M1", capacity=5), Person("M2", capacity=5, avoid=frozenset({"E2"}))]
    result = match_mentors(mentees, mentors)
    assert {(m.mentee, m.mentors) for m in result.matches} == {("E1", ("M2",)), ("E2", ("M1",))}
    blocked = match_mentors([Person("E1", avoid=frozenset({"M1"}))], [Person("M1", capacity=3)])
    assert blocked.matches == () and blocked.unmatched[0].reason is Unplaced.OWN_LIST


def test_existing_pairs_are_kept_when_asked():
    mentees = [
        Person("E1", needs=frozenset({"research"})),
        Person("E2", needs=frozenset({"business"})),
    ]
    mentors = [
        Person("M1", offers=frozenset({"business"}), capacity=1),
        Person("M2", offers=frozenset({"research"}), capacity=1),
    ]
    fresh = match_mentors(mentees, mentors)
    assert {(m.mentee, m.mentors[0]) for m in fresh.matches} == {("E1", "M2"), ("E2", "M1")}
    kept = match_mentors(mentees, mentors, existing=[("E1", "M1")], keep_existing=True)
    pairs = {(m.mentee, m.mentors[0]) for m in kept.matches}
    assert pairs == {("E1", "M1"), ("E2", "M2")}
    assert next(m for m in kept.matches if m.mentee == "E1").kept
    assert "continuing an existing mentorship" in next(m for m in kept.matches if m.mentee == "E1").reasons
    ignored = match_mentors(mentees, mentors, existing=[("E1", "M1")], keep_existing=False)
    assert ignored == fresh


def test_teams_cover_needs_one_mentor_cannot():
    mentee = Person("E1", needs=frozenset({"research", "education", "business"}))
    mentors = [
        Person("M1", offers=frozenset({"research"}), capacity=1),
        Person("M2", offers=frozenset({"education", "business"}), capacity=1),
        Person("M3", offers=frozenset({"clinical"}), capacity=1),
    ]
    result = match_mentors([mentee], mentors, teams=True)
    (match,) = result.matches
    assert match.mentors == ("M1", "M2")
    assert set(match.covered) == {"research", "education", "business"}
    assert "covers research, teaching and practice management, contracts and finance" in match.reasons
    assert result.gap is not None and result.gap <= 1e-4
