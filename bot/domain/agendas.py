"""Meeting agendas: what a circle or mentorship talks about at its next due meeting (pure rules).

An agenda is built from what its people already chose to bring to it: a mentee's open goals and the
needs from their profile for a mentorship; for a circle only the goals its members shared with their
circle (and those goals' domains), never private goals, never meeting notes. The round's stage (the
first meeting, one mid-round, or the last before the round ends) sets the opening and closing items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.calendar import RoundWindow

AGENDA_GOALS = 6
"""At most this many goals on one agenda: a 30-minute meeting has room for a few."""


class Stage(StrEnum):
    FIRST = "first"
    MID = "mid"
    LAST = "last"


@dataclass(frozen=True)
class AgendaGoal:
    user_id: str
    number: int
    text: str
    shared: bool = False
    domain: str | None = None


def round_stage(
    last_met_on: date | None, expected_on: date, cadence_days: int, window: RoundWindow | None
) -> Stage:
    """First when no meeting was logged yet; last when the round ends before another one would be due."""
    if last_met_on is None:
        return Stage.FIRST
    if (
        window is not None
        and expected_on in window
        and expected_on + timedelta(days=cadence_days) >= window.ends
    ):
        return Stage.LAST
    return Stage.MID


def agenda_goals(
    kind: str, members: Sequence[tuple[str, str]], goals: Sequence[AgendaGoal]
) -> list[AgendaGoal]:
    """The goals an agenda may show: the mentee's open goals in a mentorship, shared goals in a circle."""
    if kind == "circle":
        people = [user_id for user_id, _role in members]
        chosen = [goal for goal in goals if goal.shared and goal.user_id in people]
    else:
        mentees = [user_id for user_id, role in members if role == "mentee"]
        chosen = [goal for goal in goals if goal.user_id in mentees]
        people = mentees
    order = {user_id: index for index, user_id in enumerate(people)}
    chosen.sort(key=lambda goal: (order[goal.user_id], goal.number))
    return chosen[:AGENDA_GOALS]


def agenda_needs(kind: str, mentee_needs: Sequence[str], goals: Sequence[AgendaGoal]) -> list[str]:
    """The domains to bring up: a mentee's profile needs; in a circle, the domains of its shared goals."""
    found = list(mentee_needs) if kind != "circle" else [goal.domain for goal in goals if goal.domain]
    return list(dict.fromkeys(found))
