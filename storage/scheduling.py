"""Meeting plans ("find a time") and their slot votes, for one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain.scheduling import Vote
from storage.models import MeetingPlan, SlotVote


def slots_of(plan: MeetingPlan) -> list[datetime]:
    return [datetime.fromtimestamp(int(epoch), UTC) for epoch in plan.slots]


def votes_of(plan: MeetingPlan) -> list[Vote]:
    return [Vote(vote.member.slack_user_id, vote.slot, vote.can) for vote in plan.votes]


class MeetingPlanRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def create(
        self, relationship_id: int, proposed_by: int, slots: Sequence[datetime], now: datetime
    ) -> MeetingPlan:
        plan = MeetingPlan(
            workspace_id=self.workspace_id,
            relationship_id=relationship_id,
            proposed_by=proposed_by,
            slots=[int(slot.timestamp()) for slot in slots],
            created_at=now,
        )
        self.session.add(plan)
        self.session.flush()
        return plan

    def get(self, plan_id: int) -> MeetingPlan | None:
        plan = self.session.get(MeetingPlan, plan_id)
        return plan if plan is not None and plan.workspace_id == self.workspace_id else None

    def lock(self, plan_id: int) -> MeetingPlan | None:
        """The plan, locked for this transaction on PostgreSQL: two votes at once decide it only once."""
        plan = self.session.scalar(
            select(MeetingPlan)
            .where(MeetingPlan.id == plan_id, MeetingPlan.workspace_id == self.workspace_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return plan

    def vote(self, plan: MeetingPlan, member_id: int, slot: int, can: bool, now: datetime) -> bool:
        """Record one answer; False when it was already the member's answer (a retried click)."""
        existing = next((v for v in plan.votes if v.member_id == member_id and v.slot == slot), None)
        if existing is not None:
            if existing.can == can:
                return False
            existing.can, existing.updated_at = can, now
            self.session.flush()
            return True
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        inserted = self.session.execute(
            dialect.insert(SlotVote)
            .values(plan_id=plan.id, member_id=member_id, slot=slot, can=can, updated_at=now)
            .on_conflict_do_nothing(index_elements=["plan_id", "member_id", "slot"])
            .returning(SlotVote.id)
        ).first()
        self.session.expire(plan, ["votes"])
        return inserted is not None

    def record_post(self, plan_id: int, channel: str, ts: str) -> None:
        plan = self.get(plan_id)
        if plan is not None:
            plan.channel, plan.ts = channel, ts

    def decide(self, plan: MeetingPlan, slot: int) -> None:
        plan.chosen_slot = slot
        plan.chosen_at = slots_of(plan)[slot]

    def planned_meetings(self) -> dict[int, datetime]:
        """The latest planned meeting of each relationship that has one."""
        return {
            relationship_id: at
            for relationship_id, at in self.session.execute(
                select(MeetingPlan.relationship_id, func.max(MeetingPlan.chosen_at))
                .where(MeetingPlan.workspace_id == self.workspace_id, MeetingPlan.chosen_at.is_not(None))
                .group_by(MeetingPlan.relationship_id)
            ).all()
            if at is not None
        }
