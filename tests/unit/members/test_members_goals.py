from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from member_strategies import slack_text

from bot.domain.members.goals import (
    GOAL_TEXT_MAX,
    CheckInKind,
    GoalDraft,
    GoalStatus,
    apply_check_in,
    check_goal_number,
    check_in_message,
    goal_added_message,
    parse_goal_add,
    parse_goal_number,
)
from bot.domain.members.problem import Problem

TODAY = date(2026, 11, 25)


def message(result: object) -> str:
    assert isinstance(result, Problem), result
    return result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Submit my case report by March #research",
            GoalDraft("Submit my case report", date(2027, 3, 31), ("research",)),
        ),
        (
            "#teaching Give a grand rounds talk in 6 weeks",
            GoalDraft("Give a grand rounds talk", date(2027, 1, 6), ("education",)),
        ),
        (
            "Negotiate my first contract #money #contracts by 2027-03-01",
            GoalDraft("Negotiate my first contract", date(2027, 3, 1), ("business",)),
        ),
        (
            "Sleep 7 hours #wellness #burnout #leadership",
            GoalDraft("Sleep 7 hours", None, ("wellbeing", "leadership")),
        ),
        ("Read one paper a week", GoalDraft("Read one paper a week", None, ())),
        ("Finish the QI project, by June 30", GoalDraft("Finish the QI project", date(2027, 6, 30), ())),
        ("Learn C# basics by shadowing Dr. Kim", GoalDraft("Learn C# basics by shadowing Dr. Kim", None, ())),
        ("Be #1 in my class by next meeting", GoalDraft("Be #1 in my class by next meeting", None, ())),
        ("Stand by my plan in 2 months", GoalDraft("Stand by my plan", date(2027, 1, 25), ())),
        ("Talk to <#C123|general> by friday", GoalDraft("Talk to <#C123|general>", date(2026, 11, 27), ())),
        ("Write R&amp;D summary", GoalDraft("Write R&D summary", None, ())),
        (
            "  Publish 2 papers   by 2027 #Research  ",
            GoalDraft("Publish 2 papers", date(2027, 12, 31), ("research",)),
        ),
        ("Café rounds ☕ \u200bby March", GoalDraft("Café rounds ☕", date(2027, 3, 31), ())),
    ],
)
def test_goals_people_add(text: str, expected: GoalDraft) -> None:
    assert parse_goal_add(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "   ", "#research", "by March", "#research in 6 weeks"])
def test_a_goal_without_words_gets_the_usage(text: str) -> None:
    reply = message(parse_goal_add(text, TODAY))
    assert "`/mentor goal add" in reply and "optional" in reply


def test_a_very_short_goal_is_refused() -> None:
    assert "a little short" in message(parse_goal_add("ok", TODAY))


def test_a_5000_character_goal_is_refused_with_the_limit() -> None:
    reply = message(parse_goal_add("a" * 5000, TODAY))
    assert "300 characters" in reply and "5,000" in reply


def test_the_limit_is_on_the_goal_text_not_the_tags_or_deadline() -> None:
    text = "x" * GOAL_TEXT_MAX + " by March #research"
    draft = parse_goal_add(text, TODAY)
    assert isinstance(draft, GoalDraft) and len(draft.text) == GOAL_TEXT_MAX
    assert "301" in message(parse_goal_add("x" * (GOAL_TEXT_MAX + 1), TODAY))


def test_unknown_tags_are_listed_with_the_ones_that_work() -> None:
    reply = message(parse_goal_add("Write a paper #pubs #research #foo #pubs", TODAY))
    assert "`#pubs`, `#foo`" in reply and "those tags" in reply
    assert "`#research`" in reply and "`#wellbeing`" in reply and "`#teaching`" in reply


def test_a_deadline_that_cannot_be_read_is_refused_not_swallowed() -> None:
    reply = message(parse_goal_add("Pass boards by end of PGY-2", TODAY))
    assert "“end of PGY-2”" in reply and "`by March`" in reply


def test_past_and_impossible_deadlines_are_refused() -> None:
    assert "already passed" in message(parse_goal_add("Submit abstract by 2025-01-01", TODAY))
    assert "isn't a day on the calendar" in message(parse_goal_add("Submit abstract by Feb 30", TODAY))


@pytest.mark.parametrize(("text", "number"), [("3", 3), ("#3", 3), (" # 12 ", 12), ("goal 4", 4), ("２", 2)])
def test_goal_numbers(text: str, number: int) -> None:
    assert parse_goal_number(text) == number


@pytest.mark.parametrize("text", ["", "0", "-1", "three", "3 4", "#", "1.5", "9" * 50, "goal"])
def test_anything_else_gets_the_goal_number_usage(text: str) -> None:
    reply = message(parse_goal_number(text))
    assert "`/mentor goals`" in reply and "`/mentor goal done 2`" in reply


def test_numbers_outside_the_member_s_own_list_are_refused() -> None:
    assert check_goal_number(2, 3) is None
    assert "You don't have a goal 7: you have 3 goals." in message(check_goal_number(7, 3))
    assert "you have one goal" in message(check_goal_number(2, 1))
    assert "don't have any goals yet" in message(check_goal_number(1, 0))


TRANSITIONS = {
    (GoalStatus.OPEN, CheckInKind.ON_TRACK): GoalStatus.OPEN,
    (GoalStatus.OPEN, CheckInKind.NEED_HELP): GoalStatus.OPEN,
    (GoalStatus.OPEN, CheckInKind.DONE): GoalStatus.DONE,
    (GoalStatus.OPEN, CheckInKind.DROPPED): GoalStatus.DROPPED,
    (GoalStatus.DONE, CheckInKind.REOPENED): GoalStatus.OPEN,
    (GoalStatus.DROPPED, CheckInKind.REOPENED): GoalStatus.OPEN,
    (GoalStatus.DROPPED, CheckInKind.DONE): GoalStatus.DONE,
}


@pytest.mark.parametrize("status", list(GoalStatus))
@pytest.mark.parametrize("kind", [k for k in CheckInKind if k is not CheckInKind.CREATED])
def test_every_transition_is_either_allowed_or_explained(status: GoalStatus, kind: CheckInKind) -> None:
    result = apply_check_in(status, kind, number=2)
    if (status, kind) in TRANSITIONS:
        assert result == TRANSITIONS[(status, kind)]
    else:
        assert message(result).startswith("Goal 2 ")


def test_refusals_are_friendly_and_specific() -> None:
    assert (
        message(apply_check_in(GoalStatus.DONE, CheckInKind.DONE, number=3))
        == "Goal 3 is already done. Nice work!"
    )
    assert "already dropped" in message(apply_check_in(GoalStatus.DROPPED, CheckInKind.DROPPED))
    assert "already open" in message(apply_check_in(GoalStatus.OPEN, CheckInKind.REOPENED))
    assert "Reopen it first" in message(apply_check_in(GoalStatus.DONE, CheckInKind.NEED_HELP))
    assert message(apply_check_in(GoalStatus.DONE, CheckInKind.DONE)).startswith("That goal ")


def test_created_starts_a_goal_and_only_a_new_one() -> None:
    assert apply_check_in(None, CheckInKind.CREATED) is GoalStatus.OPEN
    with pytest.raises(ValueError):
        apply_check_in(GoalStatus.OPEN, CheckInKind.CREATED)
    with pytest.raises(ValueError):
        apply_check_in(None, CheckInKind.DONE)


def test_statuses_and_kinds_are_the_stored_strings() -> None:
    assert [s.value for s in GoalStatus] == ["open", "done", "dropped"]
    assert [k.value for k in CheckInKind] == [
        "created",
        "on-track",
        "need-help",
        "done",
        "dropped",
        "reopened",
    ]
    assert GoalStatus("done") is GoalStatus.DONE and CheckInKind.ON_TRACK == "on-track"


def test_confirmations_escape_the_goal_text() -> None:
    added = goal_added_message(4, GoalDraft("Cut <back> & rest", date(2027, 3, 31), ()))
    assert added == "Added goal 4: *Cut &lt;back&gt; &amp; rest*, due Wednesday, March 31, 2027. Good luck!"
    assert goal_added_message(1, GoalDraft("Rest", None, ())) == "Added goal 1: *Rest*. Good luck!"
    for kind in CheckInKind:
        text = check_in_message(kind, 2, "Write <b>")
        assert "goal 2 (*Write &lt;b&gt;*)" in text and text.endswith((".", "!"))


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(slack_text, st.text(min_size=290, max_size=700)))
def test_goal_add_never_raises_and_keeps_its_promises(text: str) -> None:
    result = parse_goal_add(text, TODAY)
    if isinstance(result, GoalDraft):
        assert 3 <= len(result.text) <= GOAL_TEXT_MAX
        assert result.text == result.text.strip()
        assert len(set(result.domains)) == len(result.domains)
        assert result.due is None or result.due > TODAY
    else:
        assert result.message


@settings(max_examples=200, deadline=None)
@given(text=slack_text)
def test_goal_number_never_raises(text: str) -> None:
    result = parse_goal_number(text)
    assert isinstance(result, Problem) or result >= 1
