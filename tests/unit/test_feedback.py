"""End-of-round feedback's pure rules: "near the end" of a round, the health score, when counts show, and
the policy that plans the questions once per person and round."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain import calendar
from bot.domain.feedback import (
    HEALTH_FORMULA,
    MIN_ANSWERS_SHOWN,
    QUESTIONS,
    Answers,
    LatestRound,
    RoundFeedback,
    answer_score,
    feedback_key,
    health_score,
    round_of_key,
)
from bot.domain.nudges.model import MemberSnapshot, ProgramCalendar, RelationshipSnapshot, WorkspaceSnapshot
from bot.domain.nudges.policy import plan_nudges
from bot.domain.programs import ProgramSettings, round_window

QUARTERLY = ProgramSettings(round_months=3, year_start=(7, 1))


def test_near_the_end_is_the_rounds_last_seven_days() -> None:
    window = round_window(QUARTERLY, date(2027, 2, 10))
    assert (window.starts, window.last_day) == (date(2027, 1, 1), date(2027, 3, 31))
    assert calendar.feedback_opens(window) == date(2027, 3, 25)
    assert not calendar.is_near_end(window, date(2027, 3, 24))
    assert calendar.is_near_end(window, date(2027, 3, 25))
    assert calendar.is_near_end(window, date(2027, 3, 31))
    assert not calendar.is_near_end(window, date(2027, 4, 1))


@pytest.mark.parametrize("months", [1, 2, 3, 4, 6, 12])
def test_every_round_length_has_a_last_week_inside_the_round(months: int) -> None:
    settings = ProgramSettings(round_months=months, year_start=(8, 31))
    day = date(2026, 8, 31)
    while day < date(2028, 9, 1):
        window = round_window(settings, day)
        opens = calendar.feedback_opens(window)
        assert opens in window and (window.ends - opens).days == 7
        day = window.ends


def test_the_score_gives_each_answer_its_stated_value() -> None:
    assert answer_score(Answers("yes", "four_plus", "yes")) == 1.0
    assert answer_score(Answers("no", "never", "no")) == 0.0
    assert answer_score(Answers("somewhat", "once", "not_sure")) == pytest.approx((0.5 + 1 / 3 + 0.5) / 3)
    assert answer_score(Answers(worth="somewhat")) == 0.5, "unanswered questions are left out"
    assert answer_score(Answers()) is None
    assert health_score([Answers("yes", "two_three", "yes"), Answers("no", "never", "not_sure")]) == 53
    assert health_score([]) is None
    assert [list(answers) for answers in QUESTIONS.values()] == [
        ["yes", "somewhat", "no"],
        ["never", "once", "two_three", "four_plus"],
        ["yes", "not_sure", "no"],
    ]
    for words in (
        "yes 1, somewhat ½, no 0",
        "yes 1, not sure ½, no 0",
        "never 0, once ⅓, 2–3 times ⅔, 4 or more 1",
    ):
        assert words in HEALTH_FORMULA


def test_counts_and_score_show_only_once_enough_people_answered() -> None:
    one = RoundFeedback.of(
        "Residents", "round 3 of 2026–27", date(2027, 1, 1), 4, [Answers("yes", "once", "yes")]
    )
    assert (one.answered, one.shown, one.score, one.response_rate) == (1, False, None, 0.25)
    both = RoundFeedback.of(
        "Residents",
        "round 3 of 2026–27",
        date(2027, 1, 1),
        4,
        [Answers("yes", "once", "yes"), Answers("no", "never", "no"), Answers()],
        ["zebra", "", "Apple"],
    )
    assert MIN_ANSWERS_SHOWN == 2 and both.shown and both.answered == 2
    assert both.score == health_score([Answers("yes", "once", "yes"), Answers("no", "never", "no")])
    assert both.counts["worth"] == {"yes": 1, "no": 1}
    assert both.comments == ("Apple", "zebra"), "sorted by their words, so the order says nothing of who"


def test_a_group_score_needs_two_of_its_people_to_have_answered() -> None:
    latest = LatestRound(
        "round 3 of 2026–27",
        frozenset({"UA", "UB", "UC"}),
        {"UA": Answers("yes", "four_plus", "yes"), "UB": Answers("no", "never", "no"), "UC": Answers()},
    )
    assert latest.group(["UA", "UC", "UX"]) == (2, 1, None)
    assert latest.group(["UA", "UB"]) == (2, 2, 50)


def test_the_key_names_the_program_and_round() -> None:
    key = feedback_key(12, date(2027, 1, 1), "U1")
    assert key == "round_feedback:p12:2027-01-01:U1"
    assert round_of_key(key) == (12, date(2027, 1, 1))
    assert round_of_key("did_you_meet:r1:U1:2027-01-01") is None
    assert round_of_key("round_feedback:pX:2027-01-01:U1") is None


def snapshot(
    *, status: str = "active", participants: frozenset[str] = frozenset({"UA", "UB"})
) -> WorkspaceSnapshot:
    members = tuple(
        MemberSnapshot(
            user_id=user_id,
            tz="America/Chicago",
            status=status if user_id == "UA" else "active",
            paused_until=None,
            roles=("peer",),
            frequency_days=30,
            joined_on=date(2027, 1, 4),
        )
        for user_id in ("UA", "UB")
    )
    started = datetime(2027, 1, 4, 15, tzinfo=UTC)
    relationships = (
        RelationshipSnapshot(
            1,
            "circle",
            (("UA", "peer"), ("UB", "peer")),
            30,
            date(2027, 1, 4),
            None,
            program_id=5,
            started_at=started,
        ),
        RelationshipSnapshot(
            2,
            "mentorship",
            (("UA", "mentee"), ("UB", "mentor")),
            30,
            date(2027, 1, 4),
            None,
            program_id=5,
            started_at=started,
        ),
        RelationshipSnapshot(
            3, "circle", (("UA", "peer"), ("UB", "peer")), 30, date(2027, 3, 26), None, program_id=5
        ),
    )
    programs = (ProgramCalendar(5, "Residents", 3, (7, 1), participants),)
    return WorkspaceSnapshot(members=members, relationships=relationships, programs=programs)


def feedback_planned(workspace: WorkspaceSnapshot, at: datetime) -> list[tuple[str, str, datetime]]:
    return [(n.user_id, n.key, n.due_at) for n in plan_nudges(workspace, at) if n.kind == "round_feedback"]


def test_the_policy_plans_one_survey_per_person_on_the_first_working_day_of_the_last_week() -> None:
    assert feedback_planned(snapshot(), datetime(2027, 3, 20, 12, tzinfo=UTC)) == []
    planned = feedback_planned(snapshot(), datetime(2027, 3, 24, 12, tzinfo=UTC))
    nine_in_chicago = datetime(2027, 3, 25, 14, tzinfo=UTC)
    assert planned == [
        ("UA", "round_feedback:p5:2027-01-01:UA", nine_in_chicago),
        ("UB", "round_feedback:p5:2027-01-01:UB", nine_in_chicago),
    ]
    assert feedback_planned(snapshot(), datetime(2027, 4, 1, 12, tzinfo=UTC)) == [], "not after the round"


def test_a_last_week_opening_on_a_weekend_waits_for_monday() -> None:
    window = round_window(QUARTERLY, date(2027, 11, 1))
    assert calendar.feedback_opens(window) == date(2027, 12, 25), "a Saturday"
    planned = feedback_planned(snapshot(), datetime(2027, 12, 26, 12, tzinfo=UTC))
    nine_on_monday_in_chicago = datetime(2027, 12, 27, 15, tzinfo=UTC)
    assert [(key, due) for _, key, due in planned] == [
        ("round_feedback:p5:2027-10-01:UA", nine_on_monday_in_chicago),
        ("round_feedback:p5:2027-10-01:UB", nine_on_monday_in_chicago),
    ]


def test_paused_and_left_participants_and_other_programs_people_get_nothing() -> None:
    at = datetime(2027, 3, 24, 12, tzinfo=UTC)
    assert [user for user, *_ in feedback_planned(snapshot(status="paused"), at)] == ["UB"]
    assert [user for user, *_ in feedback_planned(snapshot(status="left"), at)] == ["UB"]
    assert [user for user, *_ in feedback_planned(snapshot(participants=frozenset({"UB"})), at)] == ["UB"]
    archived = WorkspaceSnapshot(members=snapshot().members, relationships=snapshot().relationships)
    assert feedback_planned(archived, at) == [], "a relationship whose program isn't running gets nothing"
    late = WorkspaceSnapshot(
        members=snapshot().members, relationships=snapshot().relationships[2:], programs=snapshot().programs
    )
    assert feedback_planned(late, at) == [], "matched in the last week: too new to judge this round"
