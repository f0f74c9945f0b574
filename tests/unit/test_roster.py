from __future__ import annotations

from datetime import date

import pytest

from bot.domain.members.state import MemberStatus
from bot.domain.roster import CheckIns, Placement, RosterEntry, RosterQuery, keeps, page_of, parse_query


def entry(name: str, status: MemberStatus = MemberStatus.ACTIVE, placed: bool = False) -> RosterEntry:
    placements = (Placement("circle", "peer", "", (("U2", "peer"),)),) if placed else ()
    return RosterEntry(
        f"U{name}", name, ("peer",), "PGY-1", "P", status, placements, 0, date(2027, 1, 1), CheckIns()
    )


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("", RosterQuery()),
        ("IM Faculty Mentoring", RosterQuery("IM Faculty Mentoring")),
        ("IM Faculty Mentoring unmatched", RosterQuery("IM Faculty Mentoring", "unmatched")),
        ("Paused", RosterQuery("", "paused")),
        ("left 3", RosterQuery("", "left", 2)),
        ("PGY-1 circles csv", RosterQuery("PGY-1 circles", csv=True)),
        ("0", RosterQuery()),
    ],
)
def test_the_query_reads_program_filter_page_and_csv_from_the_end(typed: str, query: RosterQuery) -> None:
    assert parse_query(typed) == query


def test_filters_keep_who_they_name_and_left_people_only_on_their_own_list() -> None:
    active, paused, left = (
        entry("a", placed=True),
        entry("p", MemberStatus.PAUSED),
        entry("l", MemberStatus.LEFT),
    )
    assert [keeps(e, None) for e in (active, paused, left)] == [True, True, False]
    assert [keeps(e, "unmatched") for e in (active, paused, left)] == [False, True, False]
    assert [keeps(e, "paused") for e in (active, paused, left)] == [False, True, False]
    assert [keeps(e, "left") for e in (active, paused, left)] == [False, False, True]


def test_pages_are_ordered_by_name_and_a_page_past_the_end_shows_the_last() -> None:
    people = [entry(name) for name in ("dora", "Ann", "cy", "Bea")]
    first = page_of(people, RosterQuery(), size=3)
    assert [e.name for e in first.entries] == ["Ann", "Bea", "cy"] and first.more and first.pages == 2
    last = page_of(people, RosterQuery(page=7), size=3)
    assert ([e.name for e in last.entries], last.page, last.more) == (["dora"], 1, False)


def test_check_ins_count_answers_and_yeses() -> None:
    tally = CheckIns().add("met").add(None).add("not_yet")
    assert (tally.asked, tally.answered, tally.yes) == (3, 2, 1)
    assert tally.response_rate == pytest.approx(2 / 3)
    assert CheckIns().response_rate is None
