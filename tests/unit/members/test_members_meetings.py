from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from member_strategies import slack_text

from bot.domain.members.meetings import (
    MAX_ATTENDEES,
    NOTES_MAX,
    Ambiguous,
    Inferred,
    MetDraft,
    NoMatch,
    Relationship,
    choose_relationship,
    parse_met,
)
from bot.domain.members.problem import Problem

TODAY = date(2026, 11, 25)  # a Wednesday


def message(result: object) -> str:
    assert isinstance(result, Problem), result
    return result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", MetDraft((), TODAY, "")),
        ("coffee chat about fellowship", MetDraft((), TODAY, "coffee chat about fellowship")),
        ("<@U123ABC>", MetDraft(("U123ABC",), TODAY, "")),
        (
            "<@U123ABC> <@U456DEF|sam> <@U123ABC> talked about research",
            MetDraft(("U123ABC", "U456DEF"), TODAY, "talked about research"),
        ),
        ("with <@U1AB> and <@W2CD>, yesterday", MetDraft(("U1AB", "W2CD"), date(2026, 11, 24), "")),
        (
            "<@U1AB> on Nov 20 we talked about my CV",
            MetDraft(("U1AB",), date(2026, 11, 20), "we talked about my CV"),
        ),
        ("<@U1AB> on 2026-11-20: CV review", MetDraft(("U1AB",), date(2026, 11, 20), "CV review")),
        ("yesterday <@U1AB> mock interview", MetDraft(("U1AB",), date(2026, 11, 24), "mock interview")),
        ("<@U1AB> last tuesday", MetDraft(("U1AB",), date(2026, 11, 24), "")),
        ("3 days ago <@U1AB> & <@U2CD>", MetDraft(("U1AB", "U2CD"), date(2026, 11, 22), "")),
        ("<@U1AB> discussed my CV on Nov 20", MetDraft(("U1AB",), date(2026, 11, 20), "discussed my CV")),
        ("<@U1AB> discussed my CV on the ward", MetDraft(("U1AB",), TODAY, "discussed my CV on the ward")),
        ("on marketing my practice", MetDraft((), TODAY, "on marketing my practice")),
        ("<@U1AB> notes &lt;3 &amp; thanks", MetDraft(("U1AB",), TODAY, "notes <3 & thanks")),
        ("<@U1AB> asked about <@U9ZZ>'s lab", MetDraft(("U1AB",), TODAY, "asked about <@U9ZZ>'s lab")),
        ("<@U1AB> emailed a@b.org after", MetDraft(("U1AB",), TODAY, "emailed a@b.org after")),
        ("\u200b<@U1AB>\u00a0 today ☕ great chat", MetDraft(("U1AB",), TODAY, "☕ great chat")),
    ],
)
def test_meetings_people_log(text: str, expected: MetDraft) -> None:
    assert parse_met(text, TODAY) == expected


@pytest.mark.parametrize("text", ["@bob coffee", "<@U1AB> and @bob", "yesterday @dr.kim"])
def test_plain_at_names_ask_for_autocomplete(text: str) -> None:
    reply = message(parse_met(text, TODAY))
    assert "I couldn't tell who “@" in reply and "Slack's @ autocomplete" in reply


def test_group_mentions_are_refused() -> None:
    for text in ["<!here> standup", "<!subteam^S123|@interns>"]:
        assert "not groups or channels" in message(parse_met(text, TODAY))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U1AB> tomorrow", "hasn't happened yet"),
        ("<@U1AB> on 2027-01-01", "hasn't happened yet"),
        ("<@U1AB> on Nov 31", "isn't a day on the calendar"),
        ("<@U1AB> on 2024-05-01 kickoff", "more than a year ago"),
        ("400 days ago", "more than a year ago"),
        ("<@U1AB> talked on 13/45", "isn't a day on the calendar"),
    ],
)
def test_impossible_and_out_of_range_dates_are_refused(text: str, expected: str) -> None:
    assert expected in message(parse_met(text, TODAY))


def test_long_notes_are_refused_with_the_limit() -> None:
    reply = message(parse_met("<@U1AB> " + "n" * 5000, TODAY))
    assert "2,000 characters" in reply and "5,000" in reply
    assert isinstance(parse_met("n" * NOTES_MAX, TODAY), MetDraft)


def test_too_many_people_are_refused() -> None:
    many = " ".join(f"<@U{n:04d}X>" for n in range(MAX_ATTENDEES + 1))
    assert f"up to {MAX_ATTENDEES} people" in message(parse_met(many, TODAY))


CIRCLE = Relationship("c1", "circle", frozenset({"UME", "UA", "UB", "UC"}), "Wednesday circle")
MENTOR = Relationship("m1", "mentorship", frozenset({"UME", "UA"}), "Dr. Ada")
OTHER_MENTOR = Relationship("m2", "mentorship", frozenset({"UME", "UD"}), "Dr. Dee")


def test_no_mentions_and_one_relationship_is_that_relationship() -> None:
    assert choose_relationship([], [MENTOR]) == Inferred(MENTOR)


def test_no_mentions_and_several_relationships_is_ambiguous() -> None:
    result = choose_relationship([], [CIRCLE, MENTOR])
    assert isinstance(result, Ambiguous) and result.candidates == (CIRCLE, MENTOR)
    assert result.question == (
        "Which was this meeting for: *Wednesday circle* (your circle) or *Dr. Ada* (your mentorship)?"
    )


def test_mentions_pick_the_relationship_that_holds_them_all() -> None:
    assert choose_relationship(["UB"], [CIRCLE, MENTOR, OTHER_MENTOR]) == Inferred(CIRCLE)
    assert choose_relationship(["UD"], [CIRCLE, MENTOR, OTHER_MENTOR]) == Inferred(OTHER_MENTOR)
    assert choose_relationship(["UA", "UB", "UA"], [CIRCLE, MENTOR]) == Inferred(CIRCLE)


def test_mentions_that_fit_several_relationships_are_ambiguous() -> None:
    result = choose_relationship(["UA"], [CIRCLE, MENTOR, OTHER_MENTOR])
    assert isinstance(result, Ambiguous) and result.candidates == (CIRCLE, MENTOR)


def test_mentions_that_fit_none_make_an_ad_hoc_meeting() -> None:
    assert choose_relationship(["UA", "UD"], [CIRCLE, MENTOR, OTHER_MENTOR]) == NoMatch(("UA", "UD"))
    assert choose_relationship(["UX", "UX"], []) == NoMatch(("UX",))
    assert choose_relationship([], []) == NoMatch(())


def test_three_way_question_and_escaped_labels() -> None:
    odd = Relationship("c2", "circle", {"UME"}, "<Night> & float")
    result = choose_relationship([], [CIRCLE, MENTOR, odd])
    assert isinstance(result, Ambiguous)
    assert result.question.endswith(
        "*Wednesday circle* (your circle), *Dr. Ada* (your mentorship) or *&lt;Night&gt; &amp; float* (your circle)?"
    )
    assert odd.member_ids == frozenset({"UME"})


user_ids = st.from_regex(r"U[A-Z0-9]{2,8}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(slack_text, st.text(min_size=1900, max_size=2500)))
def test_parse_met_never_raises(text: str) -> None:
    result = parse_met(text, TODAY)
    if isinstance(result, MetDraft):
        assert len(result.notes) <= NOTES_MAX
        assert len(set(result.attendee_ids)) == len(result.attendee_ids)
        assert date(2025, 11, 25) <= result.met_on <= TODAY


@settings(max_examples=100, deadline=None)
@given(ids=st.lists(user_ids, max_size=MAX_ATTENDEES), notes=st.text(max_size=200))
def test_leading_mentions_become_attendees_in_order(ids: list[str], notes: str) -> None:
    text = " ".join(f"<@{user_id}>" for user_id in ids) + " so: " + notes
    result = parse_met(text, TODAY)
    if isinstance(result, MetDraft):
        assert result.attendee_ids == tuple(dict.fromkeys(ids))


@settings(max_examples=100, deadline=None)
@given(
    mentioned=st.lists(user_ids, max_size=4),
    groups=st.lists(st.frozensets(user_ids, max_size=5), max_size=4),
)
def test_choose_relationship_agrees_with_its_definition(
    mentioned: list[str], groups: list[frozenset[str]]
) -> None:
    relationships = [
        Relationship(f"r{i}", "circle", members, f"Circle {i}") for i, members in enumerate(groups)
    ]
    result = choose_relationship(mentioned, relationships)
    fitting = [r for r in relationships if set(mentioned) <= r.member_ids]
    if len(fitting) == 1:
        assert result == Inferred(fitting[0])
    elif fitting:
        assert result == Ambiguous(tuple(fitting))
    else:
        assert result == NoMatch(tuple(dict.fromkeys(mentioned)))
