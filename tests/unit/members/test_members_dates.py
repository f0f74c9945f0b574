from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from member_strategies import slack_text

from bot.domain.members.dates import (
    add_months,
    add_years,
    format_date,
    local_today,
    looks_like_date,
    parse_due_date,
    parse_meeting_date,
)
from bot.domain.members.problem import Problem

TODAY = date(2026, 11, 25)  # a Wednesday


def message(result: object) -> str:
    assert isinstance(result, Problem), result
    return result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March", date(2027, 3, 31)),
        ("by March", date(2027, 3, 31)),
        ("By march.", date(2027, 3, 31)),
        ("the end of March", date(2027, 3, 31)),
        ("march 2028", date(2028, 3, 31)),
        ("November", date(2026, 11, 30)),
        ("2027-03-01", date(2027, 3, 1)),
        ("by 2027-03-01", date(2027, 3, 1)),
        ("3/15", date(2027, 3, 15)),
        ("3/15/27", date(2027, 3, 15)),
        ("in 6 weeks", date(2027, 1, 6)),
        ("in six weeks", date(2027, 1, 6)),
        ("in 10 days", date(2026, 12, 5)),
        ("in 2 months", date(2027, 1, 25)),
        ("in a year", date(2027, 11, 25)),
        ("next month", date(2026, 12, 31)),
        ("end of next month", date(2026, 12, 31)),
        ("next week", date(2026, 12, 2)),
        ("end of year", date(2026, 12, 31)),
        ("end of the year", date(2026, 12, 31)),
        ("by the end of next year", date(2027, 12, 31)),
        ("2027", date(2027, 12, 31)),
        ("June 30", date(2027, 6, 30)),
        ("june 30th", date(2027, 6, 30)),
        ("30 June 2027", date(2027, 6, 30)),
        ("1st of june", date(2027, 6, 1)),
        ("Dec. 1", date(2026, 12, 1)),
        ("tomorrow", date(2026, 11, 26)),
        ("friday", date(2026, 11, 27)),
        ("ｍａｒｃｈ", date(2027, 3, 31)),
        ("\u200bby March\u200b", date(2027, 3, 31)),
    ],
)
def test_due_dates_people_type(text: str, expected: date) -> None:
    assert parse_due_date(text, TODAY) == expected


def test_a_bare_month_is_the_next_one_that_has_not_ended() -> None:
    assert parse_due_date("March", date(2027, 3, 10)) == date(2027, 3, 31)
    assert parse_due_date("March", date(2027, 3, 31)) == date(2028, 3, 31)
    assert parse_due_date("February", date(2027, 6, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["2020-01-01", "yesterday", "last tuesday", "1 week ago", "Jan 2026"])
def test_past_deadlines_are_refused(text: str) -> None:
    assert "has already passed" in message(parse_due_date(text, TODAY))


def test_today_is_refused_as_a_deadline() -> None:
    assert "today" in message(parse_due_date("today", TODAY))
    assert "today" in message(parse_due_date("2026-11-25", TODAY))


@pytest.mark.parametrize(
    "text", ["2035-01-01", "in 6 years", "in 99999 years", "in 999999 days", "2031-11-26"]
)
def test_deadlines_more_than_five_years_out_are_refused(text: str) -> None:
    assert "more than 5 years away" in message(parse_due_date(text, TODAY))


def test_exactly_five_years_out_is_accepted() -> None:
    assert parse_due_date("2031-11-25", TODAY) == date(2031, 11, 25)


def test_training_milestones_are_refused_with_examples_that_work() -> None:
    text = message(parse_due_date("end of PGY-2", TODAY))
    assert "“end of PGY-2”" in text
    assert "`by March`" in text and "`in 6 weeks`" in text
    assert "Training milestones" in text


@pytest.mark.parametrize(
    "text", ["we", "noon", "5pm", "soonish", "whenever", "Nov 20 we talked", "-1", "x" * 5000]
)
def test_phrases_that_are_not_dates_are_refused(text: str) -> None:
    reply = message(parse_due_date(text, TODAY))
    assert "I couldn't read" in reply and "`by March`" in reply
    assert len(reply) < 400


@pytest.mark.parametrize("text", ["Feb 30", "2027-02-29", "Nov 31", "15/3", "2026-13-01", "31 April"])
def test_impossible_calendar_days_are_named_as_such(text: str) -> None:
    assert "isn't a day on the calendar" in message(parse_due_date(text, TODAY))


def test_leap_day_is_a_real_day() -> None:
    assert parse_due_date("2028-02-29", TODAY) == date(2028, 2, 29)
    assert parse_due_date("Feb 29", TODAY) == date(2028, 2, 29)


def test_echoed_text_is_escaped_for_slack() -> None:
    reply = message(parse_due_date("<!channel> & `rm`", TODAY))
    assert "<!channel>" not in reply and "&lt;!channel&gt;" in reply
    assert "`rm`" not in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("yesterday", date(2026, 11, 24)),
        ("last tuesday", date(2026, 11, 24)),
        ("tuesday", date(2026, 11, 24)),
        ("last friday", date(2026, 11, 20)),
        ("Nov 20", date(2026, 11, 20)),
        ("on Nov 20", date(2026, 11, 20)),
        ("Nov 25", TODAY),
        ("Dec 1", date(2025, 12, 1)),
        ("2026-11-20", date(2026, 11, 20)),
        ("11/20/26", date(2026, 11, 20)),
        ("3 days ago", date(2026, 11, 22)),
        ("a week ago", date(2026, 11, 18)),
        ("last week", date(2026, 11, 18)),
        ("2025-11-25", date(2025, 11, 25)),
    ],
)
def test_meeting_dates_people_type(text: str, expected: date) -> None:
    assert parse_meeting_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2027-01-01", "in 3 days", "next friday"])
def test_future_meetings_are_refused(text: str) -> None:
    assert "hasn't happened yet" in message(parse_meeting_date(text, TODAY))


@pytest.mark.parametrize("text", ["2025-11-24", "2 years ago", "400 days ago"])
def test_meetings_more_than_a_year_ago_are_refused(text: str) -> None:
    assert "more than a year ago" in message(parse_meeting_date(text, TODAY))


@pytest.mark.parametrize("text", ["November", "last month", "sometime", ""])
def test_vague_meeting_dates_ask_for_a_day(text: str) -> None:
    reply = message(parse_meeting_date(text, TODAY))
    assert "`yesterday`" in reply and "`Nov 20`" in reply


def test_looks_like_date_tells_attempts_from_ordinary_words() -> None:
    assert looks_like_date("end of PGY-2")
    assert looks_like_date("March")
    assert looks_like_date("the 20th")
    assert not looks_like_date("shadowing Dr. Kim")
    assert not looks_like_date("next meeting")


def test_month_arithmetic_clamps_to_month_ends_and_calendar_limits() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert add_months(date(9999, 12, 1), 1) == date.max
    assert add_months(date(1, 1, 1), -1) == date.min


def test_format_date_does_not_depend_on_locale() -> None:
    assert format_date(date(2027, 3, 31)) == "Wednesday, March 31, 2027"


def test_local_today_uses_the_member_time_zone() -> None:
    instant = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert local_today(instant, "America/Los_Angeles") == date(2026, 11, 25)
    assert local_today(instant, "Asia/Tokyo") == date(2026, 11, 26)
    assert local_today(instant, "Not/AZone") == date(2026, 11, 26)
    assert local_today(instant, None) == date(2026, 11, 26)


def test_parsing_from_many_threads_gives_the_sequential_answers() -> None:
    phrases = ["June 30", "3/15", "last tuesday", "friday", "Dec. 1", "1st of june"] * 10
    expected = [parse_due_date(p, TODAY) for p in phrases]
    results: list[object] = [None] * len(phrases)

    def work(index: int) -> None:
        results[index] = parse_due_date(phrases[index], TODAY)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(phrases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=150, deadline=None)
@given(text=slack_text, today=dates)
def test_due_date_never_raises_and_stays_in_its_window(text: str, today: date) -> None:
    result = parse_due_date(text, today)
    if isinstance(result, Problem):
        assert result.message.endswith((".", "!"))
    else:
        assert today < result <= add_years(today, 5)
    assert parse_due_date(text, today) == result


@settings(max_examples=150, deadline=None)
@given(text=slack_text, today=dates)
def test_meeting_date_never_raises_and_stays_in_its_window(text: str, today: date) -> None:
    result = parse_meeting_date(text, today)
    if isinstance(result, Problem):
        assert result.message.endswith((".", "!"))
    else:
        assert add_years(today, -1) <= result <= today


@settings(max_examples=100, deadline=None)
@given(today=dates, ahead=st.integers(1, 365 * 5))
def test_any_iso_day_in_the_window_is_read_back_exactly(today: date, ahead: int) -> None:
    due = today + timedelta(days=ahead)
    if due <= add_years(today, 5):
        assert parse_due_date(due.isoformat(), today) == due
        assert parse_due_date(f"{due:%B} {due.day}, {due.year}", today) == due


@settings(max_examples=100, deadline=None)
@given(today=dates, back=st.integers(0, 365))
def test_days_ago_counts_back_from_today(today: date, back: int) -> None:
    assert parse_meeting_date(f"{back} days ago", today) == today - timedelta(days=back)
