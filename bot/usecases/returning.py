"""Coming back after the app paused someone for not answering (see `bot.domain.nudges.policy.is_non_responder`).

That pause is the app's guess that the member is busy, not their choice, so the moment they answer any
nudge, press any button or use any command, they are active again. A pause the member chose themselves
(`/mentor pause`, the Home's Pause button) is theirs to end: only `resume` ends it.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.members.state import MemberStatus
from bot.usecases.unit_of_work import MemberUnit


def welcome_back(unit: MemberUnit, now: datetime) -> bool:
    """Resume a member paused by the app's non-responder rule; True when this did."""
    member = unit.member
    if member.status != MemberStatus.PAUSED or member.paused_until is not None:
        return False
    notice = unit.outbox.open_paused_notice(member.slack_user_id)
    if notice is None:
        return False
    member.status = MemberStatus.ACTIVE
    unit.outbox.record_response(notice, "resume", now)
    unit.welcomed_back = True
    return True
