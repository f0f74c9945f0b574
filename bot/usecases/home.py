"""What a member's App Home shows: their own page and, for coordinators, every program's line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient

from bot.coordinators import Coordinators
from bot.domain.members import local_today
from bot.usecases.programs import ProgramLine, program_lines
from bot.usecases.roster import ProgramPeople, Roster
from bot.usecases.unit_of_work import UnitOfWork
from storage.home import MemberHome, load_member_home


@dataclass(frozen=True)
class HomeScreen:
    member: MemberHome | None
    """None before someone signs up (and after they erase their data): the welcome page."""
    coordinators: str
    """Mentions of the workspace's coordinators, for the footer."""
    programs: list[ProgramLine] | None
    """Shown to coordinators only."""
    people: list[ProgramPeople] | None = None
    """Each program's people taking part (coordinators only): the Home's roster section."""


def home_screen(
    uow: UnitOfWork,
    coordinators: Coordinators,
    directory: WebClient,
    user_id: str,
    *,
    now: datetime,
    timezone: str,
) -> HomeScreen:
    """Reads only; creates no member row. `directory` is used only to ask Slack whether someone is a
    workspace admin (who count as coordinators)."""
    team_id, enterprise_id = uow.workspace.team_id, uow.workspace.enterprise_id or None
    is_coordinator = coordinators.is_coordinator(
        team_id, user_id, enterprise_id=enterprise_id, client=directory
    )
    member = uow.members.find(user_id)
    return HomeScreen(
        member=(
            load_member_home(
                uow.session, uow.workspace.id, member, local_today(now, member.tz or timezone), timezone
            )
            if member is not None
            else None
        ),
        coordinators=coordinators.mentions(team_id, enterprise_id),
        programs=program_lines(uow, now, timezone) if is_coordinator else None,
        people=Roster.home_lines(uow) if is_coordinator else None,
    )
