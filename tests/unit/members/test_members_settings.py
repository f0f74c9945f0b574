from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from member_strategies import slack_text

from bot.domain.members.problem import Problem
from bot.domain.members.settings import (
    PauseUntil,
    frequency_confirmation,
    parse_frequency,
    parse_pause,
    pause_confirmation,
)
from bot.domain.vocabulary import FREQUENCIES

TODAY = date(2026, 11, 25)


def message(result: object) -> str:
    assert isinstance(result, Problem), result
    return result.message


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("monthly", "monthly"),
        ("Every Month", "monthly"),
        ("once a month", "monthly"),
        ("biweekly", "biweekly"),
        ("bi-weekly", "biweekly"),
        ("every two weeks", "biweekly"),
        ("every 2 weeks", "biweekly"),
        ("fortnightly", "biweekly"),
        ("6 weeks", "every-6-weeks"),
        ("every 6 weeks", "every-6-weeks"),
        ("every-6-weeks", "every-6-weeks"),
        ("EVERY SIX WEEKS.", "every-6-weeks"),
        ("quarterly", "quarterly"),
        ("every 3 months", "quarterly"),
        ("every three months", "quarterly"),
        ("\u200bｍｏｎｔｈｌｙ", "monthly"),
    ],
)
def test_frequencies_people_type(text: str, frequency: str) -> None:
    assert parse_frequency(text) == frequency


@pytest.mark.parametrize("text", ["weekly", "daily", "every 5 weeks", "sometimes", "x" * 5000])
def test_other_frequencies_list_the_four_choices(text: str) -> None:
    reply = message(parse_frequency(text))
    assert "I didn't recognise" in reply
    for choice in ("`biweekly`", "`monthly`", "`every 6 weeks`", "`quarterly`"):
        assert choice in reply
    assert len(reply) < 300


def test_an_empty_frequency_asks_the_question() -> None:
    assert message(parse_frequency("  ")).startswith("Tell me how often you'd like to meet")


def test_frequency_confirmations_use_labels() -> None:
    assert frequency_confirmation("biweekly").startswith("Got it: you'd like to meet every two weeks.")
    assert all(frequency_confirmation(f).endswith(".") for f in FREQUENCIES)


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("", None),
        ("   ", None),
        ("indefinitely", None),
        ("until March 1", date(2027, 3, 1)),
        ("until March", date(2027, 3, 1)),
        ("until 2027-01-05", date(2027, 1, 5)),
        ("for 2 weeks", date(2026, 12, 9)),
        ("2 weeks", date(2026, 12, 9)),
        ("for a month", date(2026, 12, 25)),
        ("until next month", date(2026, 12, 1)),
        ("until tomorrow", date(2026, 11, 26)),
    ],
)
def test_pauses_people_ask_for(text: str, until: date | None) -> None:
    assert parse_pause(text, TODAY) == PauseUntil(until)


@pytest.mark.parametrize("text", ["until 2026-01-01", "until yesterday", "until today", "until last tuesday"])
def test_pauses_that_end_in_the_past_are_refused(text: str) -> None:
    assert "end after today" in message(parse_pause(text, TODAY))


def test_pauses_longer_than_a_year_suggest_an_open_ended_pause() -> None:
    reply = message(parse_pause("until 2030-01-01", TODAY))
    assert "more than a year away" in reply and "`/mentor pause` on its own" in reply


@pytest.mark.parametrize("text", ["until the rotation ends", "for a while", "x" * 5000])
def test_unreadable_pauses_show_examples(text: str) -> None:
    reply = message(parse_pause(text, TODAY))
    assert "`/mentor pause until March 1`" in reply and "`/mentor pause`" in reply


def test_impossible_pause_dates_are_named() -> None:
    assert "isn't a day on the calendar" in message(parse_pause("until Feb 30", TODAY))


def test_pause_confirmations() -> None:
    assert "`/mentor resume`" in pause_confirmation(PauseUntil(None))
    assert "until Monday, March 1, 2027" in pause_confirmation(PauseUntil(date(2027, 3, 1)))


@settings(max_examples=200, deadline=None)
@given(text=slack_text)
def test_settings_parsers_never_raise(text: str) -> None:
    frequency = parse_frequency(text)
    assert isinstance(frequency, Problem) or frequency in FREQUENCIES
    pause = parse_pause(text, TODAY)
    if isinstance(pause, PauseUntil) and pause.until is not None:
        assert TODAY < pause.until <= date(2027, 11, 25)
