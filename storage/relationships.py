"""Circles and mentorships: who meets with whom."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Relationship, RelationshipMember


class RelationshipRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def active_for(self, member_id: int) -> list[Relationship]:
        query = (
            select(Relationship)
            .join(RelationshipMember, RelationshipMember.relationship_id == Relationship.id)
            .where(
                Relationship.workspace_id == self.workspace_id,
                Relationship.is_live,
                RelationshipMember.member_id == member_id,
            )
            .order_by(Relationship.id)
        )
        return list(self.session.scalars(query).unique())

    def get(self, relationship_id: int) -> Relationship | None:
        return self.session.scalar(
            select(Relationship).where(
                Relationship.workspace_id == self.workspace_id, Relationship.id == relationship_id
            )
        )

    def of_round(self, round_id: int) -> list[Relationship]:
        return list(
            self.session.scalars(
                select(Relationship)
                .where(Relationship.workspace_id == self.workspace_id, Relationship.round_id == round_id)
                .order_by(Relationship.id)
            )
        )

    def create(
        self,
        kind: str,
        members: Sequence[tuple[int, str]],
        *,
        label: str = "",
        cadence_days: int | None = None,
    ) -> Relationship:
        relationship = Relationship(
            workspace_id=self.workspace_id, kind=kind, label=label, cadence_days=cadence_days
        )
        relationship.members = [
            RelationshipMember(member_id=member_id, role=role) for member_id, role in members
        ]
        self.session.add(relationship)
        self.session.flush()
        return relationship
