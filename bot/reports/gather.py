"""Reading one workspace's report, or one program's, from storage and bucketing it into cycles.

Each program's numbers are its own (see `storage.reports.Ownership`); the all-programs report adds the
programs' numbers up and counts each person once, however many programs they take part in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.calendar import Cycle, monthly_cycles, workspace_zone
from bot.domain.members.state import MemberStatus, overall_standing
from bot.domain.reports import Activity, CycleCounts, Participants, Report, count_per_cycle
from storage.feedback import FeedbackRepository
from storage.models import Member, Program
from storage.reports import ReportRepository


def calendar_zone(session: Session, workspace_id: int) -> str:
    """The workspace's calendar zone (`bot.domain.calendar.workspace_zone` of its members' zones)."""
    return workspace_zone(
        session.scalars(
            select(Member.tz).where(Member.workspace_id == workspace_id, Member.joined_at.is_not(None))
        )
    )


@dataclass(frozen=True)
class Gathered:
    """Every program's share of a workspace's numbers, read once."""

    repository: ReportRepository
    activity: dict[int, Activity]
    relationships: dict[int, Counter[str]]
    stalled: Counter[int]
    dead_letters: Counter[int]

    @classmethod
    def read(cls, session: Session, workspace_id: int, zone: str) -> Gathered:
        repository = ReportRepository(session, workspace_id, zone)
        return cls(
            repository,
            repository.activity(),
            repository.active_relationships(),
            repository.stalled(),
            repository.dead_letters(),
        )

    def program_ids(self, program: Program | None) -> tuple[int, ...]:
        return self.repository.ownership.program_ids if program is None else (program.id,)

    def participants(self, program_ids: tuple[int, ...]) -> tuple[Participants, int]:
        """Each person once, by their state across `program_ids`; and how many are in several of them."""
        standings = self.repository.ownership.standings
        by_member: dict[int, list[MemberStatus]] = {}
        for program_id in program_ids:
            for member_id, state in standings.get(program_id, {}).items():
                by_member.setdefault(member_id, []).append(state)
        several = sum(1 for states in by_member.values() if len(states) > 1)
        return Participants.of(overall_standing(states) for states in by_member.values()), several

    def combined(self, program_ids: tuple[int, ...]) -> Activity:
        total = Activity()
        for program_id in program_ids:
            total = total + self.activity.get(program_id, Activity())
        return total

    def first_day(self, program_ids: tuple[int, ...]) -> date | None:
        standings = self.repository.ownership.standings
        members = {member_id for program_id in program_ids for member_id in standings.get(program_id, {})}
        return self.repository.first_joined_on(members)


def gather_report(
    session: Session,
    workspace_id: int,
    today: date,
    title: str,
    program: Program | None = None,
    zone: str | None = None,
) -> Report:
    """The report as of `today`, in calendar-month cycles from the first sign-up or activity.

    Given a `program`, only what belongs to it; otherwise every program's numbers added up. Instants are
    dated in `zone`, by default the workspace's calendar zone.
    """
    zone = zone or calendar_zone(session, workspace_id)
    gathered = Gathered.read(session, workspace_id, zone)
    program_ids = gathered.program_ids(program)
    activity = gathered.combined(program_ids)
    days = activity.days()
    joined = gathered.first_day(program_ids)
    if joined:
        days.append(joined)
    cycles = monthly_cycles(min(days, default=today), max([today, *days]))
    participants, several = gathered.participants(program_ids)
    relationships = sum((gathered.relationships.get(i, Counter()) for i in program_ids), Counter())
    return Report(
        title=title,
        as_of=today,
        participants=participants,
        circles=relationships.get("circle", 0),
        mentorships=relationships.get("mentorship", 0),
        cycles=tuple(count_per_cycle(cycles, activity)),
        stalled=sum(gathered.stalled.get(i, 0) for i in program_ids),
        dead_letters=sum(gathered.dead_letters.get(i, 0) for i in program_ids),
        faq=gathered.repository.faq_gaps(),
        programs=len(program_ids),
        in_several=several,
        feedback=tuple(
            FeedbackRepository(session, workspace_id).results(
                [program] if program is not None else gathered.repository.all_programs
            )
        ),
    )


@dataclass(frozen=True)
class WeekCounts:
    """A digest week's numbers for the whole workspace, counted exactly as the report counts them."""

    week: Cycle
    participants: Participants
    counts: CycleCounts
    zone: str


def gather_week(session: Session, workspace_id: int, week: Cycle, zone: str | None = None) -> WeekCounts:
    """The all-programs report's numbers for the days of `week` only, and its participants now."""
    zone = zone or calendar_zone(session, workspace_id)
    gathered = Gathered.read(session, workspace_id, zone)
    program_ids = gathered.program_ids(None)
    (counts,) = count_per_cycle([week], gathered.combined(program_ids))
    return WeekCounts(week, gathered.participants(program_ids)[0], counts, zone)
