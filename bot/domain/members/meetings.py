"""Meetings: reading `/mentor met`, and working out which circle or mentorship a meeting belongs to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.domain.text import clean_text

from .dates import names_month_or_weekday, normalize_phrase, parse_meeting_date, read_date
from .problem import Problem
from .slack_text import echo, escape, unescape

NOTES_MAX = 2000
MAX_ATTENDEES = 20
MET_USAGE = (
    "Log a meeting like this: `/mentor met @Sam yesterday talked through my research plan`. "
    "Mention who you met and add `on Nov 20` for another day; notes are optional."
)

RelationshipKind = Literal["circle", "mentorship"]


@dataclass(frozen=True)
class MetDraft:
    attendee_ids: tuple[str, ...]
    met_on: date
    notes: str


@dataclass(frozen=True)
class Relationship:
    """A circle or a mentorship the member belongs to, as the meeting log sees it."""

    id: str
    kind: RelationshipKind
    member_ids: frozenset[str]
    label: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "member_ids", frozenset(self.member_ids))


@dataclass(frozen=True)
class Inferred:
    relationship: Relationship


@dataclass(frozen=True)
class Ambiguous:
    """More than one relationship fits: ask the member which one (e.g. with a button per candidate)."""

    candidates: tuple[Relationship, ...]

    @property
    def question(self) -> str:
        options = [f"*{escape(r.label)}* ({_kind_phrase(r.kind)})" for r in self.candidates]
        return "Which was this meeting for: " + _join_or(options) + "?"


@dataclass(frozen=True)
class NoMatch:
    """No relationship fits: an ad hoc meeting with the mentioned people.

    With nobody mentioned either, there is nobody to log it with: reply with `MET_USAGE`.
    """

    attendee_ids: tuple[str, ...] = ()


_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")
_GROUP_MENTION = re.compile(r"<!(?:subteam\^)?[^>]*>")
_PLAIN_AT = re.compile(r"@([^\s,;:]+)")
_CONNECTOR = re.compile(r"^(?:with|and|&amp;|&|\+)\s*(?=<@|<!|@)", re.IGNORECASE)
_SEPARATORS = " ,;:"
_WEEKDAY_PATTERN = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
)
_LEADING_DATE = re.compile(
    r"^(today|yesterday|tomorrow|last\s+(?:week|" + _WEEKDAY_PATTERN + r")"
    r"|(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:day|week)s?\s+ago)"
    r"(?=$|[\s,;:.])",
    re.IGNORECASE,
)
_ON = re.compile(r"^on\s+", re.IGNORECASE)
_TRAILING_ON = re.compile(r"\s+on\s+(\S+(?:\s+\S+){0,3})\s*$", re.IGNORECASE)
_NUMERIC_DATE_START = re.compile(r"^\d{1,4}[-/.]\d{1,2}")
_ON_DATE_WORDS = 4


def parse_met(text: str, today: date) -> MetDraft | Problem:
    """`/mentor met [@someone ...] [on DATE | yesterday | last tuesday | 3 days ago] [notes]`.

    Mentions (and the date) lead; an `on DATE` at the very end works too. The date defaults to today.
    """
    rest = clean_text(text)
    attendees: list[str] = []
    met_on: date | None = None
    while rest:
        rest = _CONNECTOR.sub("", rest.lstrip(_SEPARATORS)).lstrip(_SEPARATORS)
        mention = _MENTION.match(rest)
        if mention:
            if mention.group(1) not in attendees:
                attendees.append(mention.group(1))
            rest = rest[mention.end() :]
            continue
        if _GROUP_MENTION.match(rest):
            return Problem(
                "I can only log meetings with people, not groups or channels. "
                "Mention each person you met with Slack's @ autocomplete."
            )
        plain = _PLAIN_AT.match(rest)
        if plain:
            name = echo("@" + plain.group(1), limit=30)
            return Problem(f"I couldn't tell who {name} is: pick them from Slack's @ autocomplete.")
        if met_on is None:
            found = _leading_date(rest, today)
            if isinstance(found, Problem):
                return found
            if found is not None:
                met_on, rest = found
                continue
        break
    if len(attendees) > MAX_ATTENDEES:
        return Problem(f"That's a lot of people! I can log up to {MAX_ATTENDEES} people per meeting.")
    if met_on is None:
        found = _trailing_date(rest, today)
        if isinstance(found, Problem):
            return found
        met_on, rest = found if found is not None else (today, rest)
    notes = unescape(rest).strip(_SEPARATORS + "-–—")
    if len(notes) > NOTES_MAX:
        return Problem(
            f"Please keep meeting notes to {NOTES_MAX:,} characters (yours have {len(notes):,}). "
            "A few lines on what you discussed and agreed is plenty."
        )
    return MetDraft(attendee_ids=tuple(attendees), met_on=met_on, notes=notes)


def choose_relationship(
    mentioned_user_ids: Sequence[str], relationships: Iterable[Relationship]
) -> Inferred | Ambiguous | NoMatch:
    """Which of the member's circles and mentorships a meeting belongs to.

    Without mentions, the member's only relationship (if there is exactly one); with mentions, the one
    relationship that includes everyone mentioned. Leave the member's own id out of the mentions.
    """
    mentioned = tuple(dict.fromkeys(mentioned_user_ids))
    pool = tuple(relationships)
    fitting = tuple(r for r in pool if set(mentioned) <= r.member_ids)
    if len(fitting) == 1:
        return Inferred(fitting[0])
    if len(fitting) > 1:
        return Ambiguous(fitting)
    return NoMatch(mentioned)


def _leading_date(rest: str, today: date) -> tuple[date, str] | Problem | None:
    """A date phrase at the start of `rest` and what follows it; None when `rest` does not start with one."""
    keyword = _LEADING_DATE.match(rest)
    if keyword:
        parsed = parse_meeting_date(keyword.group(1), today)
        return parsed if isinstance(parsed, Problem) else (parsed, rest[keyword.end() :])
    on = _ON.match(rest)
    if on is None:
        return None
    after = rest[on.end() :]
    words = after.split()[:_ON_DATE_WORDS]
    for count in range(len(words), 0, -1):
        phrase = " ".join(words[:count])
        if read_date(normalize_phrase(phrase), today, direction="past", month_day="first") is None:
            continue
        parsed = parse_meeting_date(phrase, today)
        if isinstance(parsed, Problem):
            return parsed
        return parsed, _after_words(after, count)
    if words and _starts_like_a_date(words[0]):
        unread = parse_meeting_date(" ".join(words[:2]), today)
        return unread if isinstance(unread, Problem) else None
    return None


def _trailing_date(rest: str, today: date) -> tuple[date, str] | Problem | None:
    found = _TRAILING_ON.search(rest)
    if found is None:
        return None
    phrase = found.group(1).strip()
    if read_date(normalize_phrase(phrase), today, direction="past", month_day="first") is None:
        unread = parse_meeting_date(phrase, today) if _starts_like_a_date(phrase) else None
        return unread if isinstance(unread, Problem) else None
    parsed = parse_meeting_date(phrase, today)
    return parsed if isinstance(parsed, Problem) else (parsed, rest[: found.start()])


def _starts_like_a_date(phrase: str) -> bool:
    """Whether the phrase opens with a month, a weekday or a numeric date: an `on …` meant as a date."""
    first = phrase.split()[0] if phrase.split() else ""
    return names_month_or_weekday(first) or bool(_NUMERIC_DATE_START.match(first))


def _after_words(text: str, count: int) -> str:
    """`text` without its first `count` whitespace-separated words."""
    parts = text.split(maxsplit=count)
    return parts[count] if len(parts) > count else ""


def _kind_phrase(kind: RelationshipKind) -> str:
    return "your circle" if kind == "circle" else "your mentorship"


def _join_or(options: list[str]) -> str:
    if len(options) <= 2:
        return " or ".join(options)
    return ", ".join(options[:-1]) + " or " + options[-1]
