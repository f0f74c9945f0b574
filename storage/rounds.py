"""Matching rounds and the history the engine learns from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from storage.db import affected_rows
from storage.models import Relationship, RelationshipMember, Round

INTRO_CLAIM_TIMEOUT = timedelta(minutes=5)
OVERTAKEN = "overtaken"
"""A draft that may no longer be published: its program's matches were changed by hand after it."""


class RoundRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def get(self, round_id: int) -> Round | None:
        return self.session.scalar(
            select(Round).where(Round.workspace_id == self.workspace_id, Round.id == round_id)
        )

    def add_draft(self, kind: str, proposal: dict[str, Any], seed: int, created_by: str) -> Round:
        round_ = Round(
            workspace_id=self.workspace_id, kind=kind, proposal=proposal, seed=seed, created_by=created_by
        )
        self.session.add(round_)
        self.session.flush()
        return round_

    def latest_published_id(self, program_id: int | None, kind: str) -> int | None:
        """The program's most recently published round of `kind` (what a new draft builds on)."""
        return self.session.scalar(
            select(Round.id)
            .where(
                Round.workspace_id == self.workspace_id,
                Round.program_id == program_id,
                Round.kind == kind,
                Round.status == "published",
            )
            .order_by(Round.published_at.desc(), Round.id.desc())
            .limit(1)
        )

    def published_since(self, program_id: int, starts: date, at: datetime) -> bool:
        """Whether the program has a round published on or after `starts` (local midnight in `at`'s zone)."""
        opened = datetime.combine(starts, datetime.min.time(), tzinfo=at.tzinfo)
        found = self.session.scalar(
            select(Round.id).where(
                Round.workspace_id == self.workspace_id,
                Round.program_id == program_id,
                Round.status == "published",
                Round.published_at >= opened,
            )
        )
        return found is not None

    def latest(self, kind: str, status: str) -> Round | None:
        return self.session.scalar(
            select(Round)
            .where(Round.workspace_id == self.workspace_id, Round.kind == kind, Round.status == status)
            .order_by(Round.id.desc())
            .limit(1)
        )

    def latest_draft(self, program_id: int, kind: str) -> Round | None:
        """The program's newest draft of `kind` (what `/mentor admin match publish` sends)."""
        return self.session.scalar(
            select(Round)
            .where(
                Round.workspace_id == self.workspace_id,
                Round.program_id == program_id,
                Round.kind == kind,
                Round.status == "draft",
            )
            .order_by(Round.id.desc())
            .limit(1)
        )

    def overtake_drafts(self, program_id: int | None) -> None:
        """Keep the program's drafts from being published: they were made before a change by hand."""
        self.session.execute(
            update(Round)
            .where(
                Round.workspace_id == self.workspace_id,
                Round.program_id == program_id,
                Round.status == "draft",
            )
            .values(status=OVERTAKEN)
        )

    def mark_published(self, round_id: int, now: datetime) -> bool:
        """Atomically move a draft to published; False if someone else already did (or it is not a draft)."""
        result = self.session.execute(
            update(Round)
            .where(Round.workspace_id == self.workspace_id, Round.id == round_id, Round.status == "draft")
            .values(status="published", published_at=now)
        )
        return affected_rows(result) == 1

    def published_history(
        self, kinds: Sequence[str], program_id: int | None = None, include_unassigned: bool = True
    ) -> list[list[Relationship]]:
        """Each published round's relationships, oldest round first.

        Given a `program_id`, only that program's rounds, plus (with `include_unassigned`) rounds from
        before programs existed.
        """
        query = select(Round).where(
            Round.workspace_id == self.workspace_id, Round.kind.in_(kinds), Round.status == "published"
        )
        if program_id is not None:
            mine = Round.program_id == program_id
            query = query.where(mine | Round.program_id.is_(None) if include_unassigned else mine)
        rounds = self.session.scalars(query.order_by(Round.published_at, Round.id)).all()
        if not rounds:
            return []
        relationships = self.session.scalars(
            select(Relationship).where(
                Relationship.workspace_id == self.workspace_id,
                Relationship.round_id.in_([r.id for r in rounds]),
            )
        ).all()
        by_round: dict[int, list[Relationship]] = {r.id: [] for r in rounds}
        for relationship in relationships:
            by_round[relationship.round_id or 0].append(relationship)
        return [by_round[r.id] for r in rounds]

    def active_relationships(
        self, kind: str, program_id: int | None = None, include_unassigned: bool = True
    ) -> list[Relationship]:
        """Current relationships of a kind; given a `program_id`, that program's (plus, with
        `include_unassigned`, those from before programs existed)."""
        query = select(Relationship).where(
            Relationship.workspace_id == self.workspace_id,
            Relationship.kind == kind,
            Relationship.is_live,
        )
        if program_id is not None:
            mine = Relationship.program_id == program_id
            query = query.where(mine | Relationship.program_id.is_(None) if include_unassigned else mine)
        return list(self.session.scalars(query.order_by(Relationship.id)))

    def add_relationship(
        self,
        round_id: int | None,
        kind: str,
        members: Sequence[tuple[int, str]],
        reasons: Sequence[str],
        cadence_days: int | None,
        label: str = "",
        *,
        created_at: datetime,
    ) -> Relationship:
        """A new circle or mentorship, begun at `created_at` on the app's clock (its cadence counts from it)."""
        relationship = Relationship(
            workspace_id=self.workspace_id,
            round_id=round_id,
            kind=kind,
            label=label,
            reasons=list(reasons),
            cadence_days=cadence_days,
            created_at=created_at,
        )
        relationship.members = [
            RelationshipMember(member_id=member_id, role=role) for member_id, role in members
        ]
        self.session.add(relationship)
        self.session.flush()
        return relationship

    def unintroduced(self, round_id: int | None = None) -> list[Relationship]:
        query = select(Relationship).where(
            Relationship.workspace_id == self.workspace_id,
            Relationship.intro_ts.is_(None),
            Relationship.is_live,
        )
        if round_id is not None:
            query = query.where(Relationship.round_id == round_id)
        return list(self.session.scalars(query.order_by(Relationship.id)))

    def claim_intro(self, relationship_id: int, now: datetime) -> bool:
        """Take the right to send one introduction; a claim older than the timeout can be taken over."""
        result = self.session.execute(
            update(Relationship)
            .where(
                Relationship.workspace_id == self.workspace_id,
                Relationship.id == relationship_id,
                Relationship.intro_ts.is_(None),
                (Relationship.intro_claimed_at.is_(None))
                | (Relationship.intro_claimed_at < now - INTRO_CLAIM_TIMEOUT),
            )
            .values(intro_claimed_at=now)
        )
        return affected_rows(result) == 1

    def _claimed(self, relationship_id: int, claimed_at: datetime) -> ColumnElement[bool]:
        return and_(
            Relationship.workspace_id == self.workspace_id,
            Relationship.id == relationship_id,
            Relationship.intro_claimed_at == claimed_at,
        )

    def note_intro_channel(self, relationship_id: int, channel: str, claimed_at: datetime) -> None:
        """Where the claimed introduction is about to be posted: checked first if the post ends in doubt."""
        self.session.execute(
            update(Relationship)
            .where(self._claimed(relationship_id, claimed_at))
            .values(intro_channel=channel)
        )

    def record_intro(self, relationship_id: int, channel: str, ts: str, claimed_at: datetime) -> bool:
        """Record the posted introduction, unless the claim was reset meanwhile (the group changed)."""
        result = self.session.execute(
            update(Relationship)
            .where(self._claimed(relationship_id, claimed_at))
            .values(intro_channel=channel, intro_ts=ts)
        )
        return affected_rows(result) == 1

    def release_intro(self, relationship_id: int, claimed_at: datetime) -> None:
        self.session.execute(
            update(Relationship)
            .where(self._claimed(relationship_id, claimed_at))
            .values(intro_claimed_at=None)
        )
