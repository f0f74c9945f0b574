"""Reading the dates members type: goal deadlines, meeting days and pause ends.

Our own rules cover the phrases whose meaning is ours to decide ("by March" means the end of March,
"in 2 months" means that day two months on, "end of the year"); dateparser reads calendar dates and
weekdays ("June 30", "3/15", "2027-03-01", "last tuesday"). Before dateparser sees a phrase, every word
in it must be date vocabulary: dateparser is generous and would otherwise read "we" as Wednesday or
"Nov 20 we talked" as a date. Results depend only on the text and `today`.
"""

from __future__ import annotations

import calendar
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias
from zoneinfo import ZoneInfo

import dateparser

from bot.domain.text import clean_text

from .problem import Problem
from .slack_text import echo

DateResult: TypeAlias = date | Problem
Direction = Literal["future", "past"]
MonthDay = Literal["first", "last"]

MAX_PHRASE_CHARS = 60
DUE_HORIZON_YEARS = 5
MEETING_LOOKBACK_YEARS = 1
DUE_EXAMPLES = "`by March`, `by 2027-03-01`, `in 6 weeks`, `June 30` or `end of the year`"
MEETING_EXAMPLES = "`today`, `yesterday`, `last tuesday`, `Nov 20` or `3 days ago`"

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTHS[_name.lower()] = _number
    _MONTHS[_name[:3].lower()] = _number
_MONTHS["sept"] = 9

_WEEKDAYS: dict[str, int] = {}
for _number, _name in enumerate(_DAY_NAMES):
    _WEEKDAYS[_name.lower()] = _number
    _WEEKDAYS[_name[:3].lower()] = _number
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

_DATE_WORDS = frozenset(
    {
        *_MONTHS,
        *_WEEKDAYS,
        "today",
        "tomorrow",
        "yesterday",
        "now",
        "of",
        "the",
        "this",
        "next",
        "last",
        "coming",
        "past",
        "on",
        "ago",
        "day",
        "days",
        "week",
        "weeks",
    }
)

_DATE_HINTS = frozenset(
    {"today", "tomorrow", "tonight", "yesterday", "end", "week", "weeks", "month", "months", "year", "years"}
    | {"spring", "summer", "fall", "autumn", "winter", "pgy"}
)

_MONTH_PATTERN = "|".join(sorted(_MONTHS, key=len, reverse=True))
_COUNT = r"(\d{1,6}|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT = r"(day|week|fortnight|month|year)s?"

_LEADING_PREPOSITION = re.compile(r"^(?:by|on|before|until|till|til|due(?:\s+(?:by|on))?)\s+")
_FORWARD = re.compile(
    rf"^(?:in|within|for)?\s*{_COUNT}\s+{_UNIT}(?:\s+(?:from\s+(?:now|today)|ahead|time))?$"
)
_BACKWARD = re.compile(rf"^{_COUNT}\s+{_UNIT}\s+ago$")
_PERIOD = re.compile(
    r"^(?:(?:the\s+)?(start|beginning|end)\s+of\s+)?(?:the\s+)?(?:(this|next)\s+)?(week|month|year)$"
)
_MONTH_ONLY = re.compile(
    rf"^(?:(?:the\s+)?(start|beginning|end)\s+of\s+)?(?:in\s+)?({_MONTH_PATTERN})\.?(?:,?\s+(\d{{4}}))?$"
)
_YEAR_ONLY = re.compile(r"^(?:(?:the\s+)?(start|beginning|end)\s+of\s+)?(\d{4})$")
_TRAINING_MILESTONE = re.compile(r"pgy|intern|residency|fellowship|graduat|rotation|match day|boards")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
_MONTH_DAY = re.compile(rf"^({_MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$")
_DAY_MONTH = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_PATTERN})\.?(?:,?\s+(\d{{4}}))?$"
)
_TWO_DIGIT_YEAR = re.compile(r"^(\d{1,2}/\d{1,2}/)(\d{2})$")
_ORDINAL = re.compile(r"^\d{1,4}(?:st|nd|rd|th)?$")

_dateparser_lock = threading.Lock()


@dataclass(frozen=True)
class ImpossibleDay:
    """A phrase shaped like a calendar date that names no real day ("Feb 30", "2027-13-01")."""


IMPOSSIBLE_DAY = ImpossibleDay()
Reading: TypeAlias = date | ImpossibleDay | None


def format_date(day: date) -> str:
    """'Wednesday, March 31, 2027': independent of the machine's locale."""
    return f"{_DAY_NAMES[day.weekday()]}, {MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def local_today(now: datetime, tz: str | None) -> date:
    """The member's calendar date at the instant `now` (aware), in their IANA zone; UTC when unknown."""
    try:
        zone = ZoneInfo(tz) if tz else ZoneInfo("UTC")
    except (ValueError, KeyError, OSError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def parse_due_date(text: str, today: date) -> DateResult:
    """A goal deadline: a day after `today` and at most five years ahead.

    A bare month ("March", "by March") means the end of the next such month.
    """
    phrase = normalize_phrase(text)
    reading = read_date(phrase, today, direction="future", month_day="last")
    if reading is None:
        hint = ""
        if _TRAINING_MILESTONE.search(phrase):
            hint = (
                " Training milestones fall on different days in different programs, so please give the date."
            )
        return Problem(_unreadable(text, DUE_EXAMPLES) + hint)
    if isinstance(reading, ImpossibleDay):
        return impossible_day_problem(text)
    if reading < today:
        return Problem(f"{format_date(reading)} has already passed. Pick a date ahead, like {DUE_EXAMPLES}.")
    if reading == today:
        return Problem(f"That's today. Give yourself at least until tomorrow, like {DUE_EXAMPLES}.")
    if reading > add_years(today, DUE_HORIZON_YEARS):
        return Problem(
            f"{format_date(reading)} is more than {DUE_HORIZON_YEARS} years away. "
            "Pick a nearer deadline: big goals work best split into smaller steps."
        )
    return reading


def parse_meeting_date(text: str, today: date) -> DateResult:
    """The day a meeting happened: today or earlier, and no more than a year ago."""
    phrase = normalize_phrase(text)
    reading = read_date(phrase, today, direction="past", month_day="first")
    if reading is None:
        return Problem(_unreadable(text, MEETING_EXAMPLES))
    if isinstance(reading, ImpossibleDay):
        return impossible_day_problem(text)
    if reading > today:
        return Problem(
            f"{format_date(reading)} hasn't happened yet. Log the meeting once it has taken place."
        )
    if reading < add_years(today, -MEETING_LOOKBACK_YEARS):
        return Problem(
            f"{format_date(reading)} is more than a year ago. I can log meetings from the past year."
        )
    return reading


def normalize_phrase(text: str) -> str:
    """Lower-case, cleaned, without a leading "by"/"on"/"until" or trailing punctuation."""
    phrase = clean_text(text).lower().strip(" .!?;:")
    return _LEADING_PREPOSITION.sub("", phrase).strip()


def read_date(phrase: str, today: date, *, direction: Direction, month_day: MonthDay) -> Reading:
    """The day a normalized phrase names, `IMPOSSIBLE_DAY` for a non-existent calendar day, None if unreadable.

    `direction` settles phrases without a year ("June 30" is the next one, or the last one);
    `month_day` settles phrases that name a whole month or year ("March": its first or last day).
    Month- and year-sized phrases are only read looking forward: a meeting needs a day.
    """
    if not phrase or len(phrase) > MAX_PHRASE_CHARS:
        return None
    for rule in (_read_offset, _read_period, _read_month):
        reading = rule(phrase, today, direction, month_day)
        if reading is not None:
            return reading
    if _names_impossible_day(phrase):
        return IMPOSSIBLE_DAY
    return _read_with_dateparser(phrase, today, direction)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), moved back to the month's last day where needed.

    Saturates at the calendar's ends instead of failing.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, years * 12)


def add_days(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _read_offset(phrase: str, today: date, direction: Direction, month_day: MonthDay) -> date | None:
    forward = _FORWARD.match(phrase)
    backward = None if forward else _BACKWARD.match(phrase)
    found = forward or backward
    if found is None:
        return None
    count = _count(found.group(1))
    sign = 1 if forward else -1
    unit = found.group(2)
    if unit == "day":
        return add_days(today, sign * count)
    if unit in ("week", "fortnight"):
        return add_days(today, sign * count * (14 if unit == "fortnight" else 7))
    return add_months(today, sign * count * (12 if unit == "year" else 1))


def _read_period(phrase: str, today: date, direction: Direction, month_day: MonthDay) -> date | None:
    found = _PERIOD.match(phrase)
    if found is None:
        return None
    edge, which, unit = found.groups()
    if not edge and not which:
        return None
    if direction == "past" and (edge or unit != "week"):
        return None
    step = 1 if which == "next" else 0
    if unit == "week" and not edge:
        return add_days(today, 7 * step)
    pick: MonthDay = month_day if edge is None else ("last" if edge == "end" else "first")
    if unit == "week":
        monday = add_days(today, 7 * step - today.weekday())
        return monday if pick == "first" else add_days(monday, 6)
    if unit == "month":
        return _month_edge(add_months(today.replace(day=1), step), pick)
    year = today.year + step
    if year > date.max.year:
        return date.max
    return date(year, 1, 1) if pick == "first" else date(year, 12, 31)


def _read_month(phrase: str, today: date, direction: Direction, month_day: MonthDay) -> date | None:
    if direction == "past":
        return None
    year_only = _YEAR_ONLY.match(phrase)
    if year_only:
        edge, year = year_only.groups()
        pick: MonthDay = month_day if edge is None else ("last" if edge == "end" else "first")
        if int(year) < 1:
            return None
        return date(int(year), 1, 1) if pick == "first" else date(int(year), 12, 31)
    found = _MONTH_ONLY.match(phrase)
    if found is None:
        return None
    edge, name, year = found.groups()
    pick = month_day if edge is None else ("last" if edge == "end" else "first")
    month = _MONTHS[name]
    if year:
        return _month_edge(date(int(year), month, 1), pick) if int(year) >= 1 else None
    for candidate_year in (today.year, today.year + 1):
        candidate = _month_edge(date(candidate_year, month, 1), pick)
        if candidate > today:
            return candidate
    return None


def _month_edge(first: date, pick: MonthDay) -> date:
    if pick == "first":
        return first
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _names_impossible_day(phrase: str) -> bool:
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "mdy"), (_MONTH_DAY, "mdy"), (_DAY_MONTH, "dmy")):
        found = pattern.match(phrase)
        if found is None:
            continue
        parts = dict(zip(order, found.groups(), strict=True))
        month_text = parts["m"]
        month = _MONTHS[month_text] if month_text in _MONTHS else int(month_text)
        year = int(parts["y"]) if parts.get("y") else 2000
        if year < 100:
            year += 2000
        if not 1 <= month <= 12 or year < 1:
            return True
        return not 1 <= int(parts["d"]) <= calendar.monthrange(year, month)[1]
    return False


def _read_with_dateparser(phrase: str, today: date, direction: Direction) -> date | None:
    words = re.findall(r"[^\s,]+", phrase)
    if not all(_is_date_word(word) for word in words):
        return None
    phrase = _TWO_DIGIT_YEAR.sub(r"\g<1>20\g<2>", phrase)
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": direction,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "MDY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        with _dateparser_lock:
            data = dateparser.DateDataParser(languages=["en"], settings=settings).get_date_data(phrase)
    except Exception:  # dateparser may fail in unforeseen ways on odd text; treat that as unreadable
        return None
    found = data.date_obj
    if found is None or data.period not in ("day", "week") or found.time() != datetime.min.time():
        return None
    day: date = found.date()
    return day


def _is_date_word(word: str) -> bool:
    word = word.strip(".")
    if word in _DATE_WORDS or _ORDINAL.match(word):
        return True
    return bool(re.fullmatch(r"\d{1,4}([-/.])\d{1,2}(\1\d{1,4})?", word))


def names_month_or_weekday(word: str) -> bool:
    """'Nov', 'november', 'Tue.', 'Tuesday' (any case) do; 'market' does not."""
    key = word.lower().strip(".,")
    return key in _MONTHS or key in _WEEKDAYS


def looks_like_date(phrase: str) -> bool:
    """Whether a phrase reads as an attempt at a date, so that failing to read it deserves a message.

    "by March", "by the end of PGY-2" do; "by shadowing Dr. Kim" does not.
    """
    words = re.findall(r"[a-z]+|\d", normalize_phrase(phrase))
    return any(
        word.isdigit() or word in _MONTHS or word in _WEEKDAYS or word in _DATE_HINTS for word in words
    )


def _count(text: str) -> int:
    return _NUMBER_WORDS[text] if text in _NUMBER_WORDS else int(text)


def _unreadable(text: str, examples: str) -> str:
    if not clean_text(text):
        return f"Which day? Try something like {examples}."
    return f"I couldn't read {echo(text)} as a date. Try something like {examples}."


def impossible_day_problem(text: str) -> Problem:
    return Problem(
        f"{echo(text)} isn't a day on the calendar. Please check the day and the month "
        "(I read `3/15` as March 15)."
    )
