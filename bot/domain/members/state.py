"""What "joined", "active", "paused" and "left" mean: one definition, used by every query, report and worker.

A member's own status says whether they are taking a break or have left Mentor Circles; an enrollment's
status says whether they still take part in one program. Someone is in a program when they have joined,
their enrollment is active and they have not left; they are paused there while their own pause lasts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


def has_joined(signed_up: bool, status: str) -> bool:
    """Signed up and not left: the test every member-only command uses."""
    return signed_up and status != MemberStatus.LEFT


def is_paused(status: str, paused_until: date | None, today: date) -> bool:
    """On a break today (a pause "until" a date ends on that date)."""
    return status == MemberStatus.PAUSED and (paused_until is None or paused_until > today)


def may_be_nudged(status: str, paused_until: date | None, today: date) -> bool:
    """Neither left nor on a break today."""
    return status != MemberStatus.LEFT and not is_paused(status, paused_until, today)


def standing(member_status: str, enrollment_status: str | None) -> MemberStatus:
    """A participant's state in one program: left if they left it or Mentor Circles, else their own status."""
    if MemberStatus.LEFT in (member_status, enrollment_status):
        return MemberStatus.LEFT
    return MemberStatus(member_status)


def overall_standing(standings: Iterable[MemberStatus]) -> MemberStatus:
    """Someone's state across the programs they have been in: active in any, else paused, else left."""
    found = set(standings)
    for state in (MemberStatus.ACTIVE, MemberStatus.PAUSED):
        if state in found:
            return state
    return MemberStatus.LEFT
