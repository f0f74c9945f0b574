"""What the coordinators' report reads: statuses, dates and counts for one workspace, never private text.

Everything counted belongs to exactly one program (`Ownership`), so a program's report holds only its
own people's and relationships' numbers and the all-programs report is the programs' reports added up.
Goal text, meeting notes and do-not-match lists are not selected here at all; the only text read is FAQ
questions, which are stored without a user id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain.calendar import local_day
from bot.domain.members.state import MemberStatus
from bot.domain.reports import Activity, CheckIn, FaqGaps, top_questions
from storage.models import FaqMiss, Goal, Meeting, MeetingAttendee, Member, OutboxNudge, Program, Relationship
from storage.programs import ProgramRepository

STALLED_KINDS = ("stalled", "stalled_coordinator")


@dataclass(frozen=True)
class Ownership:
    """Which program each relationship and each person's own things belong to.

    A relationship (and its meetings and check-ins) is its program's; one from before programs existed,
    or whose program is gone, is the default program's. A person's own things (goals, meetings logged
    outside any circle or mentorship, check-ins about none) are their home program's: the first program,
    in the programs' order (default first), they take part in now, else the first they took part in.
    """

    default_id: int
    program_ids: tuple[int, ...]
    standings: Mapping[int, Mapping[int, MemberStatus]]
    """Program id -> member id -> the member's state there, for everyone who ever took part."""
    relationships: Mapping[int, int | None]
    """Relationship id -> its program id as stored."""
    slack_ids: Mapping[str, int]

    @cached_property
    def homes(self) -> dict[int, int]:
        homes: dict[int, int] = {}
        for current in (True, False):
            for program_id in self.program_ids:
                for member_id, state in self.standings.get(program_id, {}).items():
                    if current and state == MemberStatus.LEFT:
                        continue
                    homes.setdefault(member_id, program_id)
        return homes

    def of_relationship(self, relationship_id: int | None) -> int | None:
        """The relationship's program; None when there is no such relationship."""
        if relationship_id is None or relationship_id not in self.relationships:
            return None
        stored = self.relationships[relationship_id]
        return stored if stored in self.program_ids else self.default_id

    def of_member(self, member_id: int | None) -> int:
        return self.homes.get(member_id, self.default_id) if member_id is not None else self.default_id

    def of_user(self, user_id: str) -> int:
        return self.of_member(self.slack_ids.get(user_id))

    def of_nudge(self, user_id: str, payload: dict[str, Any] | None) -> int:
        """A nudge about a relationship is its program's; any other, its recipient's home program's."""
        owner = self.of_relationship((payload or {}).get("relationship_id"))
        return owner if owner is not None else self.of_user(user_id)


class ReportRepository:
    """The report's numbers for a whole workspace, split by the program they belong to.

    Instants are counted on the day they fall on in `zone` (the calendar's zone for this workspace).
    FAQ misses are stored without a user id, so they are always the workspace's.
    """

    def __init__(self, session: Session, workspace_id: int, zone: str) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.zone = zone
        self.programs = ProgramRepository(session, workspace_id)

    @cached_property
    def all_programs(self) -> list[Program]:
        return self.programs.all()

    @cached_property
    def ownership(self) -> Ownership:
        programs = self.all_programs
        default = next(program for program in programs if program.is_default)
        relationships = dict(
            self.session.execute(
                select(Relationship.id, Relationship.program_id).where(
                    Relationship.workspace_id == self.workspace_id
                )
            ).all()
        )
        slack_ids = dict(
            self.session.execute(
                select(Member.slack_user_id, Member.id).where(Member.workspace_id == self.workspace_id)
            ).all()
        )
        return Ownership(
            default_id=default.id,
            program_ids=tuple(program.id for program in programs),
            standings={program.id: self.programs.standings(program) for program in programs},
            relationships=relationships,
            slack_ids=slack_ids,
        )

    def first_joined_on(self, member_ids: set[int]) -> date | None:
        if not member_ids:
            return None
        joined = self.session.scalar(
            select(func.min(Member.joined_at)).where(
                Member.workspace_id == self.workspace_id, Member.id.in_(sorted(member_ids))
            )
        )
        return local_day(joined, self.zone) if joined else None

    def active_relationships(self) -> dict[int, Counter[str]]:
        """Current (not ended) relationships by program and kind (circle, mentorship)."""
        found: dict[int, Counter[str]] = {}
        for relationship_id, kind in self.session.execute(
            select(Relationship.id, Relationship.kind).where(
                Relationship.workspace_id == self.workspace_id, Relationship.is_live
            )
        ):
            owner = self.ownership.of_relationship(relationship_id)
            assert owner is not None
            found.setdefault(owner, Counter())[kind] += 1
        return found

    def activity(self) -> dict[int, Activity]:
        """Each program's dated events: meetings held, check-ins sent (and answered), goals set and done."""
        owners = self.ownership
        meetings: dict[int, list[date]] = {}
        checkins: dict[int, list[CheckIn]] = {}
        goals_set: dict[int, list[date]] = {}
        goals_done: dict[int, list[date]] = {}
        first_attendee = dict(
            self.session.execute(
                select(MeetingAttendee.meeting_id, func.min(MeetingAttendee.member_id))
                .join(Meeting, Meeting.id == MeetingAttendee.meeting_id)
                .where(Meeting.workspace_id == self.workspace_id)
                .group_by(MeetingAttendee.meeting_id)
            ).all()
        )
        for meeting_id, relationship_id, logged_by_id, held_on in self.session.execute(
            select(Meeting.id, Meeting.relationship_id, Meeting.logged_by_id, Meeting.held_on).where(
                Meeting.workspace_id == self.workspace_id
            )
        ):
            owner = owners.of_relationship(relationship_id)
            if owner is None:
                owner = owners.of_member(logged_by_id or first_attendee.get(meeting_id))
            meetings.setdefault(owner, []).append(held_on)
        for sent_at, response, user_id, payload in self.session.execute(
            select(OutboxNudge.sent_at, OutboxNudge.response, OutboxNudge.user_id, OutboxNudge.payload).where(
                OutboxNudge.workspace_id == self.workspace_id,
                OutboxNudge.kind == "did_you_meet",
                OutboxNudge.status == "sent",
                OutboxNudge.sent_at.is_not(None),
            )
        ):
            owner = owners.of_nudge(user_id, payload)
            checkins.setdefault(owner, []).append(CheckIn(local_day(sent_at, self.zone), response))
        for member_id, created_at, status, completed_at in self.session.execute(
            select(Goal.member_id, Goal.created_at, Goal.status, Goal.completed_at).where(
                Goal.workspace_id == self.workspace_id
            )
        ):
            owner = owners.of_member(member_id)
            goals_set.setdefault(owner, []).append(local_day(created_at, self.zone))
            if status == "done" and completed_at is not None:
                goals_done.setdefault(owner, []).append(local_day(completed_at, self.zone))
        return {
            program_id: Activity(
                meetings_held=tuple(meetings.get(program_id, ())),
                did_you_meet=tuple(checkins.get(program_id, ())),
                goals_set=tuple(goals_set.get(program_id, ())),
                goals_completed=tuple(goals_done.get(program_id, ())),
            )
            for program_id in owners.program_ids
        }

    def stalled(self) -> Counter[int]:
        """Current relationships flagged as stalled with no meeting logged since the flag, by program.

        A stalled nudge's payload names the last meeting it knew of; if that is still the relationship's
        last meeting, the stretch it was raised for has not ended.
        """
        live = select(Relationship.id).where(
            Relationship.workspace_id == self.workspace_id, Relationship.is_live
        )
        last_met = dict(
            self.session.execute(
                select(Meeting.relationship_id, func.max(Meeting.held_on))
                .where(Meeting.workspace_id == self.workspace_id, Meeting.relationship_id.in_(live))
                .group_by(Meeting.relationship_id)
            ).all()
        )
        current = set(self.session.scalars(live))
        flagged: set[int] = set()
        for payload in self.session.scalars(
            select(OutboxNudge.payload).where(
                OutboxNudge.workspace_id == self.workspace_id, OutboxNudge.kind.in_(STALLED_KINDS)
            )
        ):
            relationship_id = payload.get("relationship_id")
            if relationship_id not in current:
                continue
            known = last_met.get(relationship_id)
            if payload.get("last_met_on") == (known.isoformat() if known else None):
                flagged.add(relationship_id)
        return Counter(self.ownership.of_relationship(relationship_id) or 0 for relationship_id in flagged)

    def dead_letters(self) -> Counter[int]:
        """Nudges that could not be delivered, by the program they were about (or their recipient's)."""
        return Counter(
            self.ownership.of_nudge(user_id, payload)
            for user_id, payload in self.session.execute(
                select(OutboxNudge.user_id, OutboxNudge.payload).where(
                    OutboxNudge.workspace_id == self.workspace_id, OutboxNudge.status == "dead"
                )
            )
        )

    def faq_gaps(self, limit: int = 10) -> FaqGaps:
        rows = self.session.execute(
            select(FaqMiss.reason, FaqMiss.question)
            .where(FaqMiss.workspace_id == self.workspace_id)
            .order_by(FaqMiss.created_at, FaqMiss.id)
        ).all()
        reasons = Counter(reason for reason, _ in rows)
        return FaqGaps(
            declined=reasons.get("declined", 0),
            not_helpful=reasons.get("not_helpful", 0),
            top_questions=top_questions((question for _, question in rows if question), limit),
        )
