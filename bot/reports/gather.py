"""Reading one workspace's (or one program's) report from storage and bucketing it into cycles."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.domain.reports import Participants, Report, count_per_cycle, monthly_cycles
from storage.models import Program
from storage.programs import ProgramRepository
from storage.reports import ProgramScope, ReportRepository


def gather_report(
    session: Session, workspace_id: int, today: date, title: str, program: Program | None = None
) -> Report:
    """The report as of `today`, in calendar-month cycles from the first sign-up or activity.

    Given a `program`, only its participants, its relationships and their meetings and check-ins count.
    """
    participants: Participants | None = None
    scope = None
    if program is not None:
        programs = ProgramRepository(session, workspace_id)
        scope = ProgramScope(program.id, frozenset(programs.ever_member_ids(program)), program.is_default)
        counts = programs.participation(program)
        participants = Participants(active=counts.active, paused=counts.paused, left=counts.left)
    repository = ReportRepository(session, workspace_id, scope)
    activity = repository.activity()
    days = activity.days()
    joined = repository.first_joined_on()
    if joined:
        days.append(joined)
    cycles = monthly_cycles(min(days, default=today), max([today, *days]))
    relationships = repository.active_relationships()
    return Report(
        title=title,
        as_of=today,
        participants=participants or repository.participants(),
        circles=relationships.get("circle", 0),
        mentorships=relationships.get("mentorship", 0),
        cycles=tuple(count_per_cycle(cycles, activity)),
        stalled=repository.stalled(),
        dead_letters=repository.dead_letters(),
        faq=repository.faq_gaps(),
    )
