"""A member's goals and their check-in history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Goal, GoalCheckin


class GoalRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

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

    def add(self, member_id: int, text: str, domain: str | None, due_on: date | None) -> Goal:
        highest = self.session.scalar(select(func.max(Goal.number)).where(Goal.member_id == member_id)) or 0
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
        self.session.add(goal)
        self.session.flush()
        return goal

    def set_status(self, goal: Goal, status: str, checkin_kind: str, now: datetime) -> None:
        goal.status = status
        goal.completed_at = now if status == "done" else None
        goal.checkins.append(GoalCheckin(kind=checkin_kind, created_at=now))

    def check_in(self, goal: Goal, kind: str, now: datetime) -> None:
        goal.checkins.append(GoalCheckin(kind=kind, created_at=now))
        goal.updated_at = now
