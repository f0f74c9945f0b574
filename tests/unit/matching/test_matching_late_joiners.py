from bot.domain.matching import (
    CircleSize,
    History,
    Person,
    Unplaced,
    add_late_joiners,
    add_late_mentees,
    match_mentors,
)


def test_joiners_fill_existing_circles_without_moving_anyone():
    members = [Person(f"U{i}", site="A" if i < 4 else "B") for i in range(7)]
    circles = [["U0", "U1", "U2", "U3"], ["U4", "U5", "U6"]]
    result = add_late_joiners(circles, [Person("N1", site="B"), Person("N2", site="A")], members)
    assert [c.members[: len(old)] for c, old in zip(result.circles, circles, strict=True)] == [
        tuple(c) for c in circles
    ]
    assert dict(result.added) == {"N1": 1, "N2": 0}
    assert result.unplaced == ()
    assert all(len(c.members) <= 5 for c in result.circles)


def test_joiners_prefer_new_faces_and_respect_do_not_match():
    members = [Person(f"U{i}") for i in range(6)]
    circles = [["U0", "U1", "U2"], ["U3", "U4", "U5"]]
    history = History.from_circles([[["N1", "U0"]]])
    result = add_late_joiners(circles, [Person("N1")], members, history=history)
    assert dict(result.added) == {"N1": 1}
    blocked = add_late_joiners(circles, [Person("N2", avoid=frozenset({"U0", "U3"}))], members)
    assert blocked.added == () and [u.id for u in blocked.unplaced] == ["N2"]


def test_leftover_joiners_form_their_own_circle_when_circles_are_full():
    members = [Person(f"U{i}") for i in range(5)]
    joiners = [Person(f"N{i}") for i in range(3)]
    result = add_late_joiners([["U0", "U1", "U2", "U3", "U4"]], joiners, members, size=CircleSize(4, 3, 5))
    assert result.circles[0].members == ("U0", "U1", "U2", "U3", "U4")
    assert sorted(result.circles[1].members) == ["N0", "N1", "N2"]
    assert {index for _, index in result.added} == {1}


def test_people_already_placed_or_inactive_are_not_added_again():
    members = [Person(f"U{i}") for i in range(3)]
    result = add_late_joiners([["U0", "U1", "U2"]], [Person("U1"), Person("Z", active=False)], members)
    assert result.added == () and result.unplaced == ()


def test_late_mentees_use_only_the_capacity_left():
    mentors = [Person("M1", capacity=2), Person("M2", capacity=1)]
    current = [("E1", "M1"), ("E2", "M2")]
    result = add_late_mentees([Person("E3"), Person("E4")], mentors, current)
    assert [m.mentors for m in result.matches] == [("M1",)]
    assert len(result.unmatched) == 1 and result.unmatched[0].reason is Unplaced.MENTORS_FULL
    everyone = match_mentors([Person(f"E{i}") for i in range(1, 5)], mentors)
    assert len(everyone.matches) == 3
