"""What coordinators are told about, and the rules that decide it (pure: no Slack, no database)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from bot.domain.members.state import MemberStatus, is_paused

AWAY_FOR_LONG = timedelta(days=14)
"""A break at least this long (or with no end) leaves a circle short-handed."""


class NoticeKind(StrEnum):
    ROUND_DUE = "round_due"
    """A review-first program's new round has started and is waiting for a preview and publish."""
    ROUND_PUBLISHED = "round_published"
    """An auto-publishing program's round went out on its own."""
    BELOW_MINIMUM = "below_minimum"
    """A circle has fewer members taking part than its program's minimum."""
    INTRO_FAILED = "intro_failed"
    """An introduction could not be posted, even after retries."""
    CHANGE_REQUESTED = "change_requested"
    """A member asked privately for a different mentor or circle (their reason is in the roster only)."""


def is_away(status: str, paused_until: date | None, today: date) -> bool:
    """Gone from a circle for now: left, or on a break with no end date or ending more than two weeks out."""
    if status == MemberStatus.LEFT:
        return True
    if not is_paused(status, paused_until, today):
        return False
    return paused_until is None or paused_until - today > AWAY_FOR_LONG


def below_minimum(present: int, minimum: int) -> bool:
    """A circle that still exists but has fewer people taking part than the program asks for."""
    return present < minimum
