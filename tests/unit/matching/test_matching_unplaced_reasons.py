"""Why the engine leaves someone out, and that only a member's own list counts as "their own list".

`Unplaced.OWN_LIST` is the one reason the member is told about (privately); a list that is someone
else's (`Unplaced.RULES`) must never be reported as the member's own, or telling them would reveal it.
"""

from __future__ import annotations

import json

import pytest

from bot.domain.matching import (
    CircleSize,
    Person,
    Unplaced,
    add_late_joiners,
    match_mentors,
    plan_round,
)
from bot.domain.matching.serialization import match_result_to_dict, plans_to_dict
from bot.matching_service import Proposal
from bot.presentation.matching import not_placed_blocks, preview_blocks


def avoiding(pid: str, *others: str, **fields: object) -> Person:
    return Person(pid, avoid=frozenset(others), **fields)  # type: ignore[arg-type]


def reasons(result_unmatched: tuple) -> dict[str, Unplaced]:
    return {u.id: u.reason for u in result_unmatched}


@pytest.mark.parametrize("teams", [False, True])
def test_a_mentee_whose_own_list_covers_every_mentor_is_left_out_for_that_reason(teams: bool) -> None:
    mentors = [Person("M1", capacity=3), Person("M2", capacity=3)]
    result = match_mentors([avoiding("E1", "M1", "M2"), Person("E2")], mentors, teams=teams)
    assert reasons(result.unmatched) == {"E1": Unplaced.OWN_LIST}
    assert [m.mentee for m in result.matches] == ["E2"]


@pytest.mark.parametrize(
    ("mentees", "mentors", "forbidden"),
    [
        ([Person("E1")], [avoiding("M1", "E1")], ()),
        ([avoiding("E1", "M1")], [Person("M1"), avoiding("M2", "E1")], ()),
        ([Person("E1")], [Person("M1")], [("E1", "M1")]),
    ],
    ids=["the mentor's list", "partly the mentor's list", "a program rule"],
)
def test_rules_that_are_not_only_the_mentees_own_list_are_never_called_their_own(
    mentees: list[Person], mentors: list[Person], forbidden: list[tuple[str, str]]
) -> None:
    result = match_mentors(mentees, mentors, forbidden_pairs=forbidden)
    assert reasons(result.unmatched) == {"E1": Unplaced.RULES}


def test_ordinary_mentor_reasons() -> None:
    assert reasons(match_mentors([Person("E1")], []).unmatched) == {"E1": Unplaced.NO_MENTORS}
    alone = match_mentors([Person("E1")], [Person("E1", capacity=2)])
    assert reasons(alone.unmatched) == {"E1": Unplaced.NO_MENTORS}, "being one's own mentor is no rule"
    full = match_mentors(
        [Person("E1", needs=frozenset({"research"})), Person("E2", needs=frozenset({"education"}))],
        [Person("M1", offers=frozenset({"research"}))],
    )
    assert reasons(full.unmatched) == {"E2": Unplaced.MENTORS_FULL}
    partly_avoided = match_mentors(
        [avoiding("E1", "M1"), Person("E2")],
        [Person("M1"), Person("M2")],
        existing=[("E2", "M2")],
        keep_existing=True,
    )
    assert reasons(partly_avoided.unmatched) == {"E1": Unplaced.MENTORS_FULL}, (
        "the one mentor they could have had is simply full"
    )


def test_a_peer_who_avoids_everyone_is_left_out_for_their_own_list() -> None:
    people = [Person(f"U{i}") for i in range(6)] + [avoiding("X", *(f"U{i}" for i in range(6)))]
    plan = plan_round(people)
    assert reasons(plan.unplaced) == {"X": Unplaced.OWN_LIST}
    assert plan.stats.placed == 6


def test_a_peer_everyone_avoids_is_left_out_but_not_for_their_own_list() -> None:
    people = [avoiding(f"U{i}", "X") for i in range(6)] + [Person("X")]
    plan = plan_round(people)
    assert reasons(plan.unplaced) == {"X": Unplaced.RULES}


def test_when_a_clash_remains_the_person_whose_list_it_is_steps_out() -> None:
    """Four people make one circle; "zed" avoids "amy". Either could leave; it is zed, not amy."""
    people = [Person("amy"), Person("bea"), Person("cai"), avoiding("zed", "amy")]
    plan = plan_round(people, size=CircleSize(4, 3, 5))
    assert reasons(plan.unplaced) == {"zed": Unplaced.OWN_LIST}
    assert [c.members for c in plan.circles] == [("amy", "bea", "cai")]


def test_circle_warnings_never_mention_do_not_match_lists() -> None:
    people = [Person(f"U{i}") for i in range(3)] + [avoiding("X", "U0", "U1", "U2")]
    plan = plan_round(people)
    assert plan.unplaced and not any("match" in w.lower() for w in plan.warnings)


def test_only_the_person_whose_list_it_is_steps_out_of_a_small_pool() -> None:
    plan = plan_round([Person("a"), avoiding("b", "a"), Person("c")], size=CircleSize(3, 3, 3))
    assert reasons(plan.unplaced) == {"b": Unplaced.OWN_LIST}
    assert [c.members for c in plan.circles] == [("a", "c")]
    mutual = plan_round([avoiding("a", "b"), avoiding("b", "a")])
    assert reasons(mutual.unplaced) == {"a": Unplaced.OWN_LIST, "b": Unplaced.ALONE}


def test_the_only_peer_is_alone() -> None:
    assert reasons(plan_round([Person("a")]).unplaced) == {"a": Unplaced.ALONE}


def test_late_joiners_are_told_apart_the_same_way() -> None:
    members = [Person(f"U{i}") for i in range(6)]
    circles = [["U0", "U1", "U2"], ["U3", "U4", "U5"]]
    own = add_late_joiners(circles, [avoiding("N", "U0", "U3")], members)
    assert reasons(own.unplaced) == {"N": Unplaced.OWN_LIST}
    theirs = [avoiding("U0", "N"), *members[1:3], avoiding("U3", "N"), *members[4:]]
    others = add_late_joiners(circles, [Person("N")], theirs)
    assert reasons(others.unplaced) == {"N": Unplaced.RULES}
    full = add_late_joiners([["U0", "U1", "U2"]], [Person("N")], members, size=CircleSize(3, 3, 3))
    assert reasons(full.unplaced) == {"N": Unplaced.NO_ROOM}


def test_every_reason_says_whether_a_rule_is_behind_it() -> None:
    assert {r for r in Unplaced if r.because_of_rules} == {Unplaced.OWN_LIST, Unplaced.RULES}
    assert all(r.detail for r in Unplaced)


def test_the_json_tools_name_the_reason() -> None:
    plan = plan_round([Person(f"U{i}") for i in range(3)] + [avoiding("X", "U0", "U1", "U2")])
    assert plans_to_dict((plan,))["rounds"][0]["unplaced"] == [
        {"id": "X", "reason": Unplaced.OWN_LIST.detail, "code": "own_list"}
    ]
    result = match_mentors([Person("E1")], [])
    assert match_result_to_dict(result)["unmatched"][0]["code"] == "no_mentors"


@pytest.mark.parametrize("kind", ["circles", "mentors", "teams"])
def test_coordinators_see_one_note_for_every_reason(kind: str) -> None:
    """The preview's blocks are the same whichever reason each person was left out for."""
    shown = set()
    for reason in Unplaced:
        proposal = Proposal(kind, (), (("U1", reason.value), ("U2", Unplaced.MENTORS_FULL.value)))
        rendered = json.dumps([b.to_dict() for b in preview_blocks(7, proposal, 0)])
        assert "do-not-match" not in rendered and "list" not in rendered
        shown.add(rendered)
    assert len(shown) == 1
    assert not_placed_blocks(Proposal(kind, ())) == []


def test_only_those_left_out_by_their_own_list_are_to_be_told() -> None:
    proposal = Proposal(
        "mentors", (), (("U1", "own_list"), ("U2", "rules"), ("U3", "mentors_full"), ("U4", "legacy text"))
    )
    assert proposal.left_out_by_own_list == ("U1",)
    assert proposal.unplaced_ids == ("U1", "U2", "U3", "U4")
    assert Proposal.from_json(json.loads(json.dumps(proposal.to_json()))) == proposal
