"""A member's goals and their check-in history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Goal, GoalCheckin
from storage.relationships import RelationshipRepository


@dataclass(frozen=True)
class GoalSummary:
    """A goal as its owner's `/mentor goals` list shows it; `check_ins` leaves out the "created" entry."""

    number: int
    text: str
    due_on: date | None
    domain: str | None
    status: str
    shared: bool
    check_ins: int


def goal_summary(goal: Goal) -> GoalSummary:
    return GoalSummary(
        number=goal.number,
        text=goal.text,
        due_on=goal.due_on,
        domain=goal.domain,
        status=goal.status,
        shared=goal.shared,
        check_ins=sum(1 for checkin in goal.checkins if checkin.kind != "created"),
    )


def same_goal_text(left: str, right: str) -> bool:
    """Whether two goal texts say the same thing, ignoring case and spacing (a repeated submission)."""
    return " ".join(left.casefold().split()) == " ".join(right.casefold().split())


class GoalRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def answered_since(self, goal: Goal, kinds: Sequence[str], since: datetime) -> bool:
        """Whether the goal got a check-in of one of these kinds at or after `since`."""
        query = select(GoalCheckin.id).where(
            GoalCheckin.goal_id == goal.id, GoalCheckin.kind.in_(list(kinds)), GoalCheckin.created_at >= since
        )
        return self.session.scalar(query.limit(1)) is not None

    def for_member(self, member_id: int, statuses: Sequence[str] | None = None) -> list[Goal]:
        query = select(Goal).where(Goal.workspace_id == self.workspace_id, Goal.member_id == member_id)
        if statuses:
            query = query.where(Goal.status.in_(statuses))
        return list(self.session.scalars(query.order_by(Goal.number)))

    def for_members(self, member_ids: Sequence[int], statuses: Sequence[str]) -> list[Goal]:
        if not member_ids:
            return []
        query = select(Goal).where(
            Goal.workspace_id == self.workspace_id, Goal.member_id.in_(member_ids), Goal.status.in_(statuses)
        )
        return list(self.session.scalars(query.order_by(Goal.member_id, Goal.number)))

    def by_number(self, member_id: int, number: int) -> Goal | None:
        return self.session.scalar(
            select(Goal).where(
                Goal.workspace_id == self.workspace_id, Goal.member_id == member_id, Goal.number == number
            )
        )

    def add(
        self, member_id: int, text: str, domain: str | None, due_on: date | None, attempts: int = 5
    ) -> Goal:
        """Number the goal after the member's highest; two adds racing for a number retry with the next one."""
        for attempt in range(attempts):
            highest = (
                self.session.scalar(select(func.max(Goal.number)).where(Goal.member_id == member_id)) or 0
            )
            goal = Goal(
                workspace_id=self.workspace_id,
                member_id=member_id,
                number=highest + 1,
                text=text,
                domain=domain,
                due_on=due_on,
                status="open",
            )
            goal.checkins.append(GoalCheckin(kind="created"))
            try:
                with self.session.begin_nested():
                    self.session.add(goal)
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
                continue
            return goal
        raise AssertionError("unreachable")

    def set_status(self, goal: Goal, status: str, checkin_kind: str, now: datetime) -> None:
        goal.status = status
        goal.completed_at = now if status == "done" else None
        goal.checkins.append(GoalCheckin(kind=checkin_kind, created_at=now))

    def check_in(self, goal: Goal, kind: str, now: datetime) -> None:
        goal.checkins.append(GoalCheckin(kind=kind, created_at=now))
        goal.updated_at = now

    def highest_number(self, member_id: int) -> int:
        """The member's largest goal number so far (goal numbers are never reused)."""
        query = select(func.max(Goal.number)).where(
            Goal.workspace_id == self.workspace_id, Goal.member_id == member_id
        )
        return self.session.scalar(query) or 0

    def open_with_text(self, member_id: int, text: str) -> Goal | None:
        """The member's open goal saying the same as `text`, if any."""
        return next((g for g in self.for_member(member_id, ("open",)) if same_goal_text(g.text, text)), None)

    def recently_closed(self, member_id: int, limit: int) -> list[Goal]:
        query = (
            select(Goal)
            .where(
                Goal.workspace_id == self.workspace_id,
                Goal.member_id == member_id,
                Goal.status.in_(("done", "dropped")),
            )
            .order_by(Goal.updated_at.desc(), Goal.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def count_open(self, member_id: int) -> int:
        query = select(func.count()).where(
            Goal.workspace_id == self.workspace_id, Goal.member_id == member_id, Goal.status == "open"
        )
        return self.session.scalar(query) or 0

    def set_shared(self, goal: Goal, shared: bool, now: datetime) -> None:
        goal.shared = shared
        goal.updated_at = now

    def audience(self, member_id: int, *, include_peers: bool) -> list[str]:
        """Slack ids of the other members whose App Home shows this member's goals.

        Mirrors the App Home's rule: a mentor sees their mentee's open goals; circle-mates (and fellow
        mentees) see only the goals marked shared, so they count only when `include_peers`.
        """
        viewers: dict[str, None] = {}
        for relationship in RelationshipRepository(self.session, self.workspace_id).active_for(member_id):
            mine = next(link for link in relationship.members if link.member_id == member_id)
            for link in relationship.members:
                if link.member_id == member_id or not link.member.has_joined:
                    continue
                if link.role == "mentor":
                    sees = mine.role == "mentee"
                else:
                    sees = include_peers and mine.role in ("peer", "mentee")
                if sees:
                    viewers[link.member.slack_user_id] = None
        return list(viewers)
