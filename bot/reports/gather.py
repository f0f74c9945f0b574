"""Reading one workspace's report from storage and bucketing it into cycles."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.domain.reports import Report, count_per_cycle, monthly_cycles
from storage.reports import ReportRepository


def gather_report(session: Session, workspace_id: int, today: date, title: str) -> Report:
    """The report as of `today`, in calendar-month cycles from the first sign-up or activity."""
    repository = ReportRepository(session, workspace_id)
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
        participants=repository.participants(),
        circles=relationships.get("circle", 0),
        mentorships=relationships.get("mentorship", 0),
        cycles=tuple(count_per_cycle(cycles, activity)),
        stalled=repository.stalled(),
        dead_letters=repository.dead_letters(),
        faq=repository.faq_gaps(),
    )
