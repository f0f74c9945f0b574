"""Personal settings: `/mentor frequency VALUE` and `/mentor pause [until DATE | for N weeks]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.text import clean_text
from bot.domain.vocabulary import frequency_label

from .dates import ImpossibleDay, add_years, format_date, impossible_day_problem, normalize_phrase, read_date
from .problem import Problem
from .slack_text import echo

PAUSE_HORIZON_YEARS = 1
FREQUENCY_CHOICES = (
    "`biweekly` (every two weeks), `monthly`, `every 6 weeks` or `quarterly` (every three months)"
)
PAUSE_EXAMPLES = "`/mentor pause until March 1`, `/mentor pause for 2 weeks`"

_FREQUENCY_PHRASES: dict[str, str] = {
    **dict.fromkeys(
        (
            "biweekly",
            "bi weekly",
            "fortnightly",
            "every fortnight",
            "every two weeks",
            "every 2 weeks",
            "every other week",
            "two weeks",
            "2 weeks",
        ),
        "biweekly",
    ),
    **dict.fromkeys(("monthly", "every month", "once a month", "each month", "month"), "monthly"),
    **dict.fromkeys(("every 6 weeks", "every six weeks", "6 weeks", "six weeks"), "every-6-weeks"),
    **dict.fromkeys(
        (
            "quarterly",
            "every quarter",
            "once a quarter",
            "every 3 months",
            "every three months",
            "3 months",
            "three months",
        ),
        "quarterly",
    ),
}
_OPEN_ENDED = frozenset({"", "indefinitely", "until resumed", "until i resume", "until further notice"})


@dataclass(frozen=True)
class PauseUntil:
    """A pause: `until` is the day nudges start again; None pauses until `/mentor resume`."""

    until: date | None


def parse_frequency(text: str) -> str | Problem:
    """A frequency id from `monthly`, `every two weeks`, `fortnightly`, `every 3 months` and the like."""
    key = re.sub(r"[\s_-]+", " ", clean_text(text).lower().strip(" .!")).strip()
    if key in _FREQUENCY_PHRASES:
        return _FREQUENCY_PHRASES[key]
    if not key:
        return Problem(f"Tell me how often you'd like to meet: {FREQUENCY_CHOICES}.")
    return Problem(f"I didn't recognise {echo(text)} as a meeting frequency. Choose {FREQUENCY_CHOICES}.")


def frequency_confirmation(frequency: str) -> str:
    return f"Got it: you'd like to meet {frequency_label(frequency)}. I'll pace your reminders to match."


def parse_pause(text: str, today: date) -> PauseUntil | Problem:
    """`""` pauses until resumed; `until March 1`, `until 2027-01-05`, `for 2 weeks` or `2 weeks` set an end."""
    phrase = normalize_phrase(text)
    if phrase in _OPEN_ENDED:
        return PauseUntil(None)
    reading = read_date(phrase, today, direction="future", month_day="first")
    if reading is None:
        return Problem(
            f"I couldn't read {echo(text)} as a date. Try {PAUSE_EXAMPLES}, "
            "or just `/mentor pause` to pause until you come back."
        )
    if isinstance(reading, ImpossibleDay):
        return impossible_day_problem(text)
    if reading <= today:
        return Problem(
            "A pause needs to end after today. "
            f"Try {PAUSE_EXAMPLES}, or just `/mentor pause` to pause until you come back."
        )
    if reading > add_years(today, PAUSE_HORIZON_YEARS):
        return Problem(
            f"{format_date(reading)} is more than a year away. For a long break, use `/mentor pause` on its own "
            "and `/mentor resume` when you're back."
        )
    return PauseUntil(reading)


def pause_confirmation(pause: PauseUntil) -> str:
    if pause.until is None:
        return "You're paused: no nudges or new matches until you type `/mentor resume`. Take good care!"
    return (
        f"You're paused until {format_date(pause.until)}: no nudges or new matches until then. "
        "Type `/mentor resume` to come back sooner."
    )
