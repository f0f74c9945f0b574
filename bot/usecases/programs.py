"""Programs as coordinators see them (participation, the current round, the next nudge) and edit them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain.members import format_date, local_today
from bot.domain.programs import ProgramSettings, RoundWindow, round_window
from bot.usecases.unit_of_work import UnitOfWork
from storage.models import Member, Program


@dataclass(frozen=True)
class ProgramLine:
    id: int
    name: str
    is_default: bool
    settings: ProgramSettings
    active: int
    paused: int
    left: int
    round: RoundWindow | None = None
    next_nudge: str | None = None
    archived: bool = False


def program_line(uow: UnitOfWork, program: Program, now: datetime, timezone: str) -> ProgramLine:
    settings = ProgramSettings.from_json(program.settings)
    counts = uow.programs.participation(program)
    zone = ZoneInfo(timezone)
    user_ids = uow.session.scalars(
        select(Member.slack_user_id).where(Member.id.in_(uow.programs.member_ids(program)))
    )
    due = uow.outbox.next_pending(list(user_ids))
    next_nudge = None
    if due is not None:
        local = due.astimezone(zone)
        next_nudge = f"{format_date(local.date())} at {local:%H:%M} ({zone.key})"
    return ProgramLine(
        program.id,
        program.name,
        program.is_default,
        settings,
        counts.active,
        counts.paused,
        counts.left,
        round_window(settings, local_today(now, timezone)),
        next_nudge,
        program.is_archived,
    )


def program_lines(uow: UnitOfWork, now: datetime, timezone: str) -> list[ProgramLine]:
    return [program_line(uow, program, now, timezone) for program in uow.programs.all()]


@dataclass(frozen=True)
class SettingsForm:
    """A program's settings as the settings modal opens on them."""

    program_id: int
    name: str
    settings: ProgramSettings


@dataclass(frozen=True)
class ProgramReply:
    """What `/mentor admin program ...` answers: a message, the list, one program, or its settings form."""

    message: str
    lines: list[ProgramLine] | None = None
    shown: ProgramLine | None = None
    form: SettingsForm | None = None


@dataclass(frozen=True)
class SettingsSaved:
    """The settings modal's outcome; `errors` by `ProgramSettings` field name when nothing was saved."""

    errors: dict[str, str] = field(default_factory=dict)
