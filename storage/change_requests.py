"""Change requests and mentor offers: what members asked for, and mentors' answers to mentees' choices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage.models import ChangeRequest, CoordinatorNotice, MentorOffer

OPEN = "open"
DONE = "done"
PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"
EXPIRED = "expired"


class ChangeRequestRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def for_relationship(self, member_id: int, relationship_id: int) -> ChangeRequest | None:
        return self.session.scalar(
            select(ChangeRequest).where(
                ChangeRequest.workspace_id == self.workspace_id,
                ChangeRequest.member_id == member_id,
                ChangeRequest.relationship_id == relationship_id,
            )
        )

    def add(
        self,
        member_id: int,
        relationship_id: int,
        program_id: int | None,
        kind: str,
        avoid_user_ids: Sequence[str],
        reason: str,
        at: datetime,
    ) -> ChangeRequest:
        request = ChangeRequest(
            workspace_id=self.workspace_id,
            member_id=member_id,
            relationship_id=relationship_id,
            program_id=program_id,
            kind=kind,
            avoid_user_ids=list(avoid_user_ids),
            reason=reason,
            status=OPEN,
            created_at=at,
            updated_at=at,
        )
        self.session.add(request)
        self.session.flush()
        return request

    def open(
        self, program_id: int | None = None, *, include_unassigned: bool = False, kind: str | None = None
    ) -> list[ChangeRequest]:
        """Open requests (of one program's, with those from before programs when `include_unassigned`)."""
        query = select(ChangeRequest).where(
            ChangeRequest.workspace_id == self.workspace_id, ChangeRequest.status == OPEN
        )
        if program_id is not None:
            mine = ChangeRequest.program_id == program_id
            query = query.where(or_(mine, ChangeRequest.program_id.is_(None)) if include_unassigned else mine)
        if kind is not None:
            query = query.where(ChangeRequest.kind == kind)
        return list(self.session.scalars(query.order_by(ChangeRequest.id)))

    def open_for(self, member_id: int, kind: str | None = None) -> list[ChangeRequest]:
        query = select(ChangeRequest).where(
            ChangeRequest.workspace_id == self.workspace_id,
            ChangeRequest.member_id == member_id,
            ChangeRequest.status == OPEN,
        )
        if kind is not None:
            query = query.where(ChangeRequest.kind == kind)
        return list(self.session.scalars(query.order_by(ChangeRequest.id)))

    def forget(self, member_id: int, slack_user_id: str) -> int:
        """Erasure: the member's requests (their reasons) and their notices go, and nobody else's request
        keeps their Slack id. How many of their requests were deleted."""
        mine = list(
            self.session.scalars(
                select(ChangeRequest).where(
                    ChangeRequest.workspace_id == self.workspace_id, ChangeRequest.member_id == member_id
                )
            )
        )
        if mine:
            self.session.execute(
                delete(CoordinatorNotice).where(
                    CoordinatorNotice.workspace_id == self.workspace_id,
                    CoordinatorNotice.key.in_([f"change_request:{request.id}" for request in mine]),
                )
            )
        for request in mine:
            self.session.delete(request)
        for request in self.session.scalars(
            select(ChangeRequest).where(ChangeRequest.workspace_id == self.workspace_id)
        ):
            if slack_user_id in request.avoid_user_ids:
                request.avoid_user_ids = [uid for uid in request.avoid_user_ids if uid != slack_user_id]
        self.session.execute(
            delete(MentorOffer).where(
                MentorOffer.workspace_id == self.workspace_id,
                or_(MentorOffer.mentee_id == member_id, MentorOffer.mentor_id == member_id),
            )
        )
        return len(mine)

    def export(self, member_id: int) -> list[dict[str, Any]]:
        return [
            {
                "kind": request.kind,
                "status": request.status,
                "reason": request.reason,
                "asked_at": request.created_at.isoformat(),
            }
            for request in self.session.scalars(
                select(ChangeRequest)
                .where(ChangeRequest.workspace_id == self.workspace_id, ChangeRequest.member_id == member_id)
                .order_by(ChangeRequest.id)
            )
        ]

    @staticmethod
    def done(requests: Iterable[ChangeRequest], at: datetime) -> int:
        count = 0
        for request in requests:
            if request.status == OPEN:
                request.status, request.done_at, request.updated_at = DONE, at, at
                count += 1
        return count


class MentorOfferRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def get(self, offer_id: int, *, lock: bool = False) -> MentorOffer | None:
        query = select(MentorOffer).where(
            MentorOffer.workspace_id == self.workspace_id, MentorOffer.id == offer_id
        )
        if lock:
            query = query.with_for_update(of=MentorOffer)
        return self.session.scalar(query)

    def of_mentee(self, program_id: int, mentee_id: int) -> list[MentorOffer]:
        return list(
            self.session.scalars(
                select(MentorOffer)
                .where(
                    MentorOffer.workspace_id == self.workspace_id,
                    MentorOffer.program_id == program_id,
                    MentorOffer.mentee_id == mentee_id,
                )
                .order_by(MentorOffer.id)
            )
        )

    def pending(self) -> list[MentorOffer]:
        return list(
            self.session.scalars(
                select(MentorOffer)
                .where(MentorOffer.workspace_id == self.workspace_id, MentorOffer.status == PENDING)
                .order_by(MentorOffer.id)
            )
        )

    def overdue(self, at: datetime) -> list[int]:
        return list(
            self.session.scalars(
                select(MentorOffer.id)
                .where(
                    MentorOffer.workspace_id == self.workspace_id,
                    MentorOffer.status == PENDING,
                    MentorOffer.respond_by <= at,
                )
                .order_by(MentorOffer.id)
            )
        )

    def add(self, **values: Any) -> MentorOffer:
        offer = MentorOffer(workspace_id=self.workspace_id, status=PENDING, **values)
        self.session.add(offer)
        self.session.flush()
        return offer
