"""What the coordinators' report reads: statuses, dates and counts for one workspace, never private text.

Goal text, meeting notes and do-not-match lists are not selected here at all; the only text read is FAQ
questions, which are stored without a user id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from bot.domain.members.state import MemberStatus
from bot.domain.reports import Activity, CheckIn, FaqGaps, Participants, top_questions
from storage.models import FaqMiss, Goal, Meeting, MeetingAttendee, Member, OutboxNudge, Relationship

STALLED_KINDS = ("stalled", "stalled_coordinator")


@dataclass(frozen=True)
class ProgramScope:
    """One program's share of a workspace: its people (past and present) and its relationships.

    `include_unassigned` (the default program) also takes relationships formed before programs existed.
    """

    program_id: int
    member_ids: frozenset[int]
    include_unassigned: bool = False


class ReportRepository:
    """The report's numbers for a whole workspace or, given a `ProgramScope`, for one program.

    FAQ misses are stored without a user id, so they are always the workspace's.
    """

    def __init__(self, session: Session, workspace_id: int, scope: ProgramScope | None = None) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.scope = scope
        self._scope_cache: tuple[set[int], set[str]] | None = None

    def _members(self, column: Any) -> ColumnElement[bool]:
        return true() if self.scope is None else column.in_(sorted(self.scope.member_ids))

    def _relationships(self) -> ColumnElement[bool]:
        if self.scope is None:
            return true()
        mine = Relationship.program_id == self.scope.program_id
        return mine | Relationship.program_id.is_(None) if self.scope.include_unassigned else mine

    def _relationship_ids(self) -> set[int]:
        return set(
            self.session.scalars(
                select(Relationship.id).where(
                    Relationship.workspace_id == self.workspace_id, self._relationships()
                )
            )
        )

    def _owns_checkin(self, user_id: str, payload: dict[str, Any] | None) -> bool:
        """A check-in belongs to its relationship's program; one without a relationship to its recipient's."""
        if self.scope is None:
            return True
        if self._scope_cache is None:
            slack_ids = set(
                self.session.scalars(
                    select(Member.slack_user_id).where(Member.id.in_(sorted(self.scope.member_ids)))
                )
            )
            self._scope_cache = (self._relationship_ids(), slack_ids)
        relationship_ids, slack_ids = self._scope_cache
        relationship_id = (payload or {}).get("relationship_id")
        return relationship_id in relationship_ids if relationship_id is not None else user_id in slack_ids

    def _user_ids(self) -> ColumnElement[bool]:
        if self.scope is None:
            return true()
        return OutboxNudge.user_id.in_(
            select(Member.slack_user_id).where(Member.id.in_(sorted(self.scope.member_ids)))
        )

    def participants(self) -> Participants:
        rows = self.session.execute(
            select(Member.status, func.count())
            .where(
                Member.workspace_id == self.workspace_id,
                Member.joined_at.is_not(None),
                self._members(Member.id),
            )
            .group_by(Member.status)
        ).all()
        by_status = {status: int(count) for status, count in rows}
        return Participants(
            active=by_status.get(MemberStatus.ACTIVE, 0),
            paused=by_status.get(MemberStatus.PAUSED, 0),
            left=by_status.get(MemberStatus.LEFT, 0),
        )

    def first_joined_on(self) -> date | None:
        joined = self.session.scalar(
            select(func.min(Member.joined_at)).where(
                Member.workspace_id == self.workspace_id, self._members(Member.id)
            )
        )
        return joined.date() if joined else None

    def active_relationships(self) -> Counter[str]:
        """Current (not ended) relationships by kind: circle, mentorship."""
        rows = self.session.execute(
            select(Relationship.kind, func.count())
            .where(
                Relationship.workspace_id == self.workspace_id,
                Relationship.is_live,
                self._relationships(),
            )
            .group_by(Relationship.kind)
        ).all()
        return Counter({kind: int(count) for kind, count in rows})

    def activity(self) -> Activity:
        scoped_goal = (Goal.workspace_id == self.workspace_id) & self._members(Goal.member_id)
        meetings = self.session.scalars(
            select(Meeting.held_on).where(Meeting.workspace_id == self.workspace_id, self._meetings())
        )
        checkins = [
            (sent_at, response)
            for sent_at, response, user_id, payload in self.session.execute(
                select(
                    OutboxNudge.sent_at, OutboxNudge.response, OutboxNudge.user_id, OutboxNudge.payload
                ).where(
                    OutboxNudge.workspace_id == self.workspace_id,
                    OutboxNudge.kind == "did_you_meet",
                    OutboxNudge.status == "sent",
                    OutboxNudge.sent_at.is_not(None),
                )
            )
            if self._owns_checkin(user_id, payload)
        ]
        goals_set = self.session.scalars(select(Goal.created_at).where(scoped_goal))
        goals_completed = self.session.scalars(
            select(Goal.completed_at).where(
                scoped_goal, Goal.status == "done", Goal.completed_at.is_not(None)
            )
        )
        return Activity(
            meetings_held=tuple(meetings),
            did_you_meet=tuple(CheckIn(sent_at.date(), response) for sent_at, response in checkins),
            goals_set=tuple(at.date() for at in goals_set),
            goals_completed=tuple(at.date() for at in goals_completed if at is not None),
        )

    def _meetings(self) -> ColumnElement[bool]:
        """A program's meetings: those of its relationships, and unlinked ones its members attended."""
        if self.scope is None:
            return true()
        linked = Meeting.relationship_id.in_(
            select(Relationship.id).where(
                Relationship.workspace_id == self.workspace_id, self._relationships()
            )
        )
        attended = Meeting.id.in_(
            select(MeetingAttendee.meeting_id).where(
                MeetingAttendee.member_id.in_(sorted(self.scope.member_ids))
            )
        )
        return linked | (Meeting.relationship_id.is_(None) & attended)

    def stalled(self) -> int:
        """Current relationships flagged as stalled with no meeting logged since the flag.

        A stalled nudge's payload names the last meeting it knew of; if that is still the relationship's
        last meeting, the stretch it was raised for has not ended.
        """
        active = select(Relationship.id).where(
            Relationship.workspace_id == self.workspace_id,
            Relationship.is_live,
            self._relationships(),
        )
        last_met = dict(
            self.session.execute(
                select(Meeting.relationship_id, func.max(Meeting.held_on))
                .where(Meeting.workspace_id == self.workspace_id, Meeting.relationship_id.in_(active))
                .group_by(Meeting.relationship_id)
            ).all()
        )
        current = set(self.session.scalars(active))
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
        return len(flagged)

    def dead_letters(self) -> int:
        return (
            self.session.scalar(
                select(func.count()).where(
                    OutboxNudge.workspace_id == self.workspace_id,
                    OutboxNudge.status == "dead",
                    self._user_ids(),
                )
            )
            or 0
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
