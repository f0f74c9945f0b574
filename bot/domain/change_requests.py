"""Members asking for a change, and mentees choosing their mentor: the rules (pure: no Slack, no database)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.matching.model import Pair

MAX_REASON = 500
"""The longest reason a member may give (coordinators read it in the roster)."""
DEFAULT_RESPONSE_DAYS = 3
"""How long a mentor has to answer a mentee's choice, unless the program says otherwise."""


@dataclass(frozen=True)
class Reason:
    text: str


@dataclass(frozen=True)
class ReasonTooLong:
    length: int


def read_reason(typed: str | None) -> Reason | ReasonTooLong:
    """The reason as typed, trimmed ("" when left out); too long ones are refused, never cut."""
    text = (typed or "").strip()
    if len(text) > MAX_REASON:
        return ReasonTooLong(len(text))
    return Reason(text)


def kept_apart(requests: Iterable[tuple[str, Iterable[str]]]) -> list[Pair]:
    """The pairs a round or rematch must not make: each member who asked for a change, with each person
    they were with when they asked."""
    return sorted({(member, other) for member, others in requests for other in others if other != member})


def respond_by(offered_at: datetime, days: int) -> datetime:
    """When a mentor's answer to a mentee's choice is due: `days` after it was offered."""
    return offered_at + timedelta(days=max(days, 1))


@dataclass(frozen=True)
class Suggestion:
    """A mentor the engine suggests to a mentee, with its reasons (never a do-not-match list)."""

    user_id: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Suggestions:
    program_id: int
    program: str
    mentors: tuple[Suggestion, ...]
    response_days: int
