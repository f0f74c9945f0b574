"""Planning: read each workspace into a `WorkspaceSnapshot`, ask the policy what is due, store it once.

One transaction per workspace. Every planned nudge carries its idempotency key, and the outbox ignores a
key it already holds, so planning the same instant twice, two clocks at once, or a clock killed half way
and started again all end with exactly one row per nudge.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.domain.calendar import digest_week, local_day
from bot.domain.members import local_today
from bot.domain.members.state import MemberStatus
from bot.domain.nudges.budget import BUDGETED, DAY_CLOSED, arrange
from bot.domain.nudges.model import (
    GoalEvent,
    GoalSnapshot,
    MeetingEvent,
    MemberSnapshot,
    ParticipationCounts,
    PlannedNudge,
    ProgramCalendar,
    RelationshipSnapshot,
    Schedule,
    WorkspaceSnapshot,
)
from bot.domain.nudges.policy import coordinator_digest_key, plan_nudges, plan_week_ahead
from bot.domain.nudges.timing import resolve_zone
from bot.domain.programs import ProgramSettings
from bot.domain.vocabulary import FREQUENCY_CADENCE_DAYS
from bot.reports.gather import calendar_zone, gather_week
from storage.db import Database
from storage.models import Goal, GoalCheckin, Meeting, MeetingAttendee, Member, Relationship, Workspace
from storage.outbox import INSERT_CHUNK, MERGED, Outbox, OutboxRepository
from storage.programs import CoordinatorRepository, ProgramRepository
from storage.scheduling import MeetingPlanRepository

logger = logging.getLogger(__name__)

Policy = Callable[[WorkspaceSnapshot, datetime], list[PlannedNudge]]

DEFAULT_CADENCE_DAYS = 30
EVENT_WINDOW = timedelta(days=8)
WEEK = timedelta(days=7)
BOOKED_SINCE = timedelta(days=8)
"""How far back a member's combined DMs can still be in the week being budgeted."""


@dataclass(frozen=True)
class Program:
    """Program-wide nudge settings; a member's own `send_hour` overrides the program's."""

    schedule: Schedule = field(default_factory=Schedule)
    flag_stalled_to_coordinators: bool = False
    weekly_nudge_budget: int = 2

    @classmethod
    def from_settings(cls, settings: ProgramSettings) -> Program:
        return cls(
            Schedule(
                send_hour=settings.send_hour,
                weekdays_only=settings.weekdays_only,
                quiet_start=settings.quiet_start,
                quiet_end=settings.quiet_end,
            ),
            settings.flag_stalled,
            settings.weekly_nudge_budget,
        )


@dataclass(frozen=True)
class PlanResult:
    workspace_id: int
    planned: int
    inserted: int
    resumed: int


class Planner:
    def __init__(
        self,
        db: Database,
        *,
        default_timezone: str = "UTC",
        coordinators: Sequence[str] = (),
        program: Program | None = None,
        policy: Policy = plan_nudges,
        preview: Policy = plan_week_ahead,
    ) -> None:
        self.db = db
        self.default_timezone = default_timezone
        self.coordinators = tuple(coordinators)
        self.fixed_program = program
        """When given, every workspace uses it; otherwise each workspace's stored programs decide."""
        self.policy = policy
        self.preview = preview
        """What the coming week is expected to bring, for the message budget's ranking of days."""

    def plan_all(self, now: datetime) -> list[PlanResult]:
        with self.db.session() as session:
            workspace_ids = list(session.scalars(select(Workspace.id).order_by(Workspace.id)))
        return [self.plan_workspace(workspace_id, now) for workspace_id in workspace_ids]

    def plan_workspace(
        self, workspace_id: int, now: datetime, kinds: Collection[str] | None = None
    ) -> PlanResult:
        """Plan what is due in the workspace at `now`; given `kinds`, only nudges of those kinds."""
        with self.db.session() as session:
            resumed = self._resume_finished_pauses(session, workspace_id, now)
            snapshot = self.snapshot(session, workspace_id, now, kinds)
            planned = [nudge for nudge in self.policy(snapshot, now) if kinds is None or nudge.kind in kinds]
            inserted = self._store(session, workspace_id, snapshot, planned, now)
        if inserted:
            logger.info("workspace %s: planned %d new nudge(s)", workspace_id, inserted)
        return PlanResult(workspace_id, len(planned), inserted, resumed)

    def _store(
        self,
        session: Session,
        workspace_id: int,
        snapshot: WorkspaceSnapshot,
        planned: list[PlannedNudge],
        now: datetime,
    ) -> int:
        """Store what was planned, member nudges through the message budget (the one place it applies):
        merged into one DM per member and day, or dropped with a reason; how many rows were new."""
        outbox = OutboxRepository(session, workspace_id)
        outbox.settle_stray_parts(DAY_CLOSED)
        budgeted = [nudge for nudge in planned if nudge.kind in BUDGETED]
        held = self._held(outbox, [nudge.key for nudge in budgeted])
        fresh = [nudge for nudge in budgeted if nudge.key not in held]
        store = Outbox(session)
        inserted = store.add(workspace_id, [nudge for nudge in planned if nudge.kind not in BUDGETED], now)
        if not fresh:
            return inserted
        preview = [nudge for nudge in self.preview(snapshot, now) if nudge.key not in held]
        users = {nudge.user_id for nudge in fresh}
        booked = outbox.booked_days(users, now - BOOKED_SINCE)
        arranged = arrange(fresh, [m for m in snapshot.members if m.user_id in users], booked, preview)
        inserted += store.add(workspace_id, arranged.untouched + arranged.messages, now)
        inserted += store.add(
            workspace_id,
            [part for part, _ in arranged.merged],
            now,
            status=MERGED,
            notes={part.key: key for part, key in arranged.merged},
        )
        inserted += store.add(
            workspace_id,
            [part for part, _ in arranged.dropped],
            now,
            status="skipped",
            notes={part.key: reason for part, reason in arranged.dropped},
        )
        return inserted

    @staticmethod
    def _held(outbox: OutboxRepository, keys: list[str]) -> set[str]:
        held: set[str] = set()
        for start in range(0, len(keys), INSERT_CHUNK):
            held |= outbox.holds(keys[start : start + INSERT_CHUNK])
        return held

    # -- reading a workspace -----------------------------------------------------------------------

    def snapshot(
        self, session: Session, workspace_id: int, now: datetime, kinds: Collection[str] | None = None
    ) -> WorkspaceSnapshot:
        members = list(
            session.scalars(
                select(Member)
                .where(Member.workspace_id == workspace_id, Member.joined_at.is_not(None))
                .order_by(Member.id)
            )
        )
        programs = ProgramRepository(session, workspace_id)
        archived = programs.archived_ids() if self.fixed_program is None else set()
        resting = self._only_in_archived(programs, archived)
        members = [member for member in members if member.id not in resting]
        by_id = {member.id: member for member in members}
        program, member_programs = self._programs(session, workspace_id, members)
        outbox = OutboxRepository(session, workspace_id)
        unanswered = outbox.unanswered_checkins()
        calendars = self._calendars(programs, archived, by_id) if self.fixed_program is None else ()
        relationships = self._relationships(
            session, workspace_id, by_id, outbox, now, archived, self._owner_of(programs, calendars)
        )
        goals, goal_events = self._goals(session, workspace_id, by_id, now)
        coordinators = tuple(
            dict.fromkeys((*self.coordinators, *CoordinatorRepository(session, workspace_id).user_ids()))
        )
        return WorkspaceSnapshot(
            members=tuple(
                self._member(
                    member, unanswered.get(member.slack_user_id, ()), member_programs.get(member.id, program)
                )
                for member in members
            ),
            relationships=relationships,
            goals=goals,
            goal_events=goal_events,
            meeting_events=self._meeting_events(session, workspace_id, by_id, now),
            coordinators=coordinators,
            coordinator_schedule=program.schedule,
            flag_stalled_to_coordinators=program.flag_stalled_to_coordinators,
            counts=self._counts(session, workspace_id, outbox, now, coordinators, kinds),
            programs=calendars,
        )

    @staticmethod
    def _calendars(
        programs: ProgramRepository, archived: set[int], by_id: dict[int, Member]
    ) -> tuple[ProgramCalendar, ...]:
        """Each running program's rounds and the members taking part in it now."""
        calendars = []
        for stored in programs.all():
            if stored.id in archived:
                continue
            settings = ProgramSettings.from_json(stored.settings)
            people = frozenset(by_id[i].slack_user_id for i in programs.member_ids(stored) if i in by_id)
            calendars.append(
                ProgramCalendar(stored.id, stored.name, settings.round_months, settings.year_start, people)
            )
        return tuple(calendars)

    @staticmethod
    def _owner_of(
        programs: ProgramRepository, calendars: tuple[ProgramCalendar, ...]
    ) -> Callable[[int | None], int | None]:
        """A relationship's program among the running ones: its own, or the default program's when it has
        none or its program is gone (as the reports count it, `storage.reports.Ownership`)."""
        running = {calendar.id for calendar in calendars}
        stored = {program.id for program in programs.all()} if calendars else set()
        default_id = programs.default().id if calendars else None

        def owner(program_id: int | None) -> int | None:
            if program_id in running:
                return program_id
            if program_id in stored or default_id not in running:
                return None
            return default_id

        return owner

    def _zone(self, member: Member) -> str:
        return member.tz or self.default_timezone

    @staticmethod
    def _only_in_archived(programs: ProgramRepository, archived: set[int]) -> set[int]:
        """Members whose every program is archived: they hear nothing more from the app until one reopens."""
        if not archived:
            return set()
        in_archived: set[int] = set()
        in_running: set[int] = set()
        for stored in programs.all():
            (in_archived if stored.id in archived else in_running).update(programs.member_ids(stored))
        return in_archived - in_running

    def _programs(
        self, session: Session, workspace_id: int, members: list[Member]
    ) -> tuple[Program, dict[int, Program]]:
        """The workspace's nudge settings, and a member's own program's where they joined another one."""
        if self.fixed_program is not None:
            return self.fixed_program, {}
        programs = ProgramRepository(session, workspace_id)
        workspace_program = Program.from_settings(ProgramSettings.from_json(programs.default().settings))
        by_member: dict[int, Program] = {}
        for stored in programs.all():
            if stored.is_default or stored.is_archived:
                continue
            settings = Program.from_settings(ProgramSettings.from_json(stored.settings))
            for member_id in sorted(programs.member_ids(stored)):
                by_member.setdefault(member_id, settings)
        return workspace_program, by_member

    def _member(self, member: Member, unanswered: tuple[datetime, ...], program: Program) -> MemberSnapshot:
        schedule = program.schedule
        if member.send_hour is not None:
            schedule = Schedule(
                send_hour=member.send_hour,
                weekdays_only=schedule.weekdays_only,
                quiet_start=schedule.quiet_start,
                quiet_end=schedule.quiet_end,
            )
        assert member.joined_at is not None
        return MemberSnapshot(
            user_id=member.slack_user_id,
            tz=self._zone(member),
            status=member.status,
            paused_until=member.paused_until,
            roles=tuple(member.roles or ()),
            frequency_days=FREQUENCY_CADENCE_DAYS.get(member.frequency or "", DEFAULT_CADENCE_DAYS),
            joined_on=local_today(member.joined_at, self._zone(member)),
            schedule=schedule,
            weekly_budget=program.weekly_nudge_budget,
            needs=tuple(str(need) for need in member.needs or ()),
            unanswered_checkins=unanswered,
        )

    def _relationships(
        self,
        session: Session,
        workspace_id: int,
        by_id: dict[int, Member],
        outbox: OutboxRepository,
        now: datetime,
        archived: set[int] | None = None,
        owner: Callable[[int | None], int | None] = lambda _: None,
    ) -> tuple[RelationshipSnapshot, ...]:
        """Live circles and mentorships, except those of archived programs (no reminders about them)."""
        rows = [
            relationship
            for relationship in session.scalars(
                select(Relationship)
                .where(Relationship.workspace_id == workspace_id, Relationship.is_live)
                .order_by(Relationship.id)
            )
            if relationship.program_id not in (archived or set())
        ]
        last_meetings = dict(
            session.execute(
                select(Meeting.relationship_id, func.max(Meeting.held_on))
                .where(Meeting.workspace_id == workspace_id, Meeting.relationship_id.is_not(None))
                .group_by(Meeting.relationship_id)
            ).all()
        )
        last_logged = dict(
            session.execute(
                select(Meeting.relationship_id, func.max(Meeting.created_at))
                .where(Meeting.workspace_id == workspace_id, Meeting.relationship_id.is_not(None))
                .group_by(Meeting.relationship_id)
            ).all()
        )
        not_yet: dict[int, int] = defaultdict(int)
        for relationship_id, answered_at in outbox.not_yet_answers():
            logged = last_logged.get(relationship_id)
            if logged is None or answered_at > logged:
                not_yet[relationship_id] += 1
        planned = MeetingPlanRepository(session, workspace_id).planned_meetings()
        snapshots = []
        for relationship in rows:
            links = [link for link in relationship.members if link.member_id in by_id]
            if not links:
                continue
            members = tuple((by_id[link.member_id].slack_user_id, link.role) for link in links)
            snapshots.append(
                RelationshipSnapshot(
                    id=relationship.id,
                    kind=relationship.kind,
                    members=members,
                    cadence_days=relationship.cadence_days or self._cadence(by_id[links[0].member_id]),
                    started_on=local_today(relationship.created_at, self.default_timezone),
                    last_met_on=last_meetings.get(relationship.id),
                    not_yet_count=not_yet.get(relationship.id, 0),
                    label=relationship.label,
                    started_at=relationship.created_at,
                    program_id=owner(relationship.program_id),
                    planned_at=planned.get(relationship.id),
                    channel=relationship.intro_channel if relationship.intro_ts else None,
                )
            )
        return tuple(snapshots)

    @staticmethod
    def _cadence(member: Member) -> int:
        return FREQUENCY_CADENCE_DAYS.get(member.frequency or "", DEFAULT_CADENCE_DAYS)

    def _goals(
        self, session: Session, workspace_id: int, by_id: dict[int, Member], now: datetime
    ) -> tuple[tuple[GoalSnapshot, ...], tuple[GoalEvent, ...]]:
        goals = list(
            session.scalars(
                select(Goal)
                .where(Goal.workspace_id == workspace_id, Goal.status == "open")
                .order_by(Goal.member_id, Goal.number)
            )
        )
        last_touch = dict(
            session.execute(
                select(GoalCheckin.goal_id, func.max(GoalCheckin.created_at))
                .join(Goal, Goal.id == GoalCheckin.goal_id)
                .where(Goal.workspace_id == workspace_id, Goal.status == "open")
                .group_by(GoalCheckin.goal_id)
            ).all()
        )
        snapshots = []
        for goal in goals:
            member = by_id.get(goal.member_id)
            if member is None:
                continue
            touched = last_touch.get(goal.id) or goal.created_at
            snapshots.append(
                GoalSnapshot(
                    id=goal.id,
                    user_id=member.slack_user_id,
                    number=goal.number,
                    text=goal.text,
                    status=goal.status,
                    last_touched_on=local_today(touched, self._zone(member)),
                    shared=goal.shared,
                    domain=goal.domain,
                )
            )
        events = session.execute(
            select(Goal.member_id, Goal.number, Goal.text, GoalCheckin.kind, GoalCheckin.created_at)
            .join(Goal, Goal.id == GoalCheckin.goal_id)
            .where(Goal.workspace_id == workspace_id, GoalCheckin.created_at >= now - EVENT_WINDOW)
            .order_by(GoalCheckin.created_at, GoalCheckin.id)
        ).all()
        goal_events = tuple(
            GoalEvent(by_id[member_id].slack_user_id, number, text, kind, at)
            for member_id, number, text, kind, at in events
            if member_id in by_id
        )
        return tuple(snapshots), goal_events

    def _meeting_events(
        self, session: Session, workspace_id: int, by_id: dict[int, Member], now: datetime
    ) -> tuple[MeetingEvent, ...]:
        rows = session.execute(
            select(Meeting.id, Meeting.held_on, Meeting.created_at, MeetingAttendee.member_id)
            .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
            .where(Meeting.workspace_id == workspace_id, Meeting.created_at >= now - EVENT_WINDOW)
            .order_by(Meeting.created_at, Meeting.id, MeetingAttendee.id)
        ).all()
        grouped: dict[int, tuple[list[str], date, datetime]] = {}
        for meeting_id, held_on, logged_at, member_id in rows:
            entry = grouped.setdefault(meeting_id, ([], held_on, logged_at))
            if member_id in by_id:
                entry[0].append(by_id[member_id].slack_user_id)
        return tuple(
            MeetingEvent(tuple(user_ids), held_on, logged_at)
            for user_ids, held_on, logged_at in grouped.values()
        )

    def _counts(
        self,
        session: Session,
        workspace_id: int,
        outbox: OutboxRepository,
        now: datetime,
        coordinators: Collection[str],
        kinds: Collection[str] | None,
    ) -> ParticipationCounts | None:
        """The last whole week's numbers in the workspace's calendar zone, as the stats count them.

        None when no digest could use them: digests are not being planned, or every coordinator's digest
        of that week already is (counting a week is most of a tick's reading).
        """
        if kinds is not None and "coordinator_digest" not in kinds:
            return None
        zone = calendar_zone(session, workspace_id)
        week = digest_week(local_day(now, zone))
        keys = [coordinator_digest_key(user_id, week) for user_id in coordinators]
        if keys and outbox.holds(keys) == set(keys):
            return None
        counted = gather_week(session, workspace_id, week, zone)
        people, counts = counted.participants, counted.counts
        return ParticipationCounts(
            week_of=week.start,
            participants=people.total,
            active=people.active,
            paused=people.paused,
            left=people.left,
            meetings_logged=counts.meetings,
            did_you_meet_asked=counts.asked,
            did_you_meet_yes=counts.yes,
            goals_set=counts.goals_set,
            goals_done=counts.goals_completed,
            dead_letters=outbox.dead_since(datetime.combine(week.start, time(0), resolve_zone(zone))),
        )

    def _resume_finished_pauses(self, session: Session, workspace_id: int, now: datetime) -> int:
        """Members whose pause ended (`paused_until` reached, in their own zone) are active again."""
        paused = session.scalars(
            select(Member).where(
                Member.workspace_id == workspace_id,
                Member.status == MemberStatus.PAUSED,
                Member.paused_until.is_not(None),
            )
        )
        ended = [m.id for m in paused if m.paused_until and m.paused_until <= local_today(now, self._zone(m))]
        if ended:
            session.execute(
                update(Member)
                .where(Member.id.in_(ended))
                .values(status=MemberStatus.ACTIVE, paused_until=None)
            )
        return len(ended)
