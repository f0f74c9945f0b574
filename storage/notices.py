"""Coordinators' notices: recorded once per event and coordinator, then carried by one DM a day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db import affected_rows
from storage.models import CoordinatorNotice


class NoticeRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def add(self, kind: str, key: str, facts: dict[str, Any], recipients: Iterable[str], at: datetime) -> int:
        """Record the event for each coordinator; an event already noticed adds nothing. How many were new."""
        rows = [
            {
                "workspace_id": self.workspace_id,
                "recipient": recipient,
                "key": key,
                "kind": kind,
                "facts": facts,
                "created_at": at,
            }
            for recipient in dict.fromkeys(recipients)
        ]
        if not rows:
            return 0
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(CoordinatorNotice)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["workspace_id", "recipient", "key"])
            .returning(CoordinatorNotice.id)
        )
        return len(self.session.execute(statement).all())

    def noticed(self, key: str) -> bool:
        """Whether this event has been recorded already (for any coordinator)."""
        found = self.session.scalar(
            select(CoordinatorNotice.id)
            .where(CoordinatorNotice.workspace_id == self.workspace_id, CoordinatorNotice.key == key)
            .limit(1)
        )
        return found is not None

    def waiting(self) -> dict[str, list[CoordinatorNotice]]:
        """Notices no DM has carried yet, per coordinator, oldest first."""
        found: dict[str, list[CoordinatorNotice]] = defaultdict(list)
        for notice in self.session.scalars(
            select(CoordinatorNotice)
            .where(CoordinatorNotice.workspace_id == self.workspace_id, CoordinatorNotice.nudge_key.is_(None))
            .order_by(CoordinatorNotice.created_at, CoordinatorNotice.id)
        ):
            found[notice.recipient].append(notice)
        return dict(found)

    def carried_by(self, recipient: str, notice_ids: Iterable[int], nudge_key: str) -> int:
        """Mark these notices as carried by the DM `nudge_key` (only those still waiting)."""
        ids = list(notice_ids)
        if not ids:
            return 0
        result = self.session.execute(
            update(CoordinatorNotice)
            .where(
                CoordinatorNotice.workspace_id == self.workspace_id,
                CoordinatorNotice.recipient == recipient,
                CoordinatorNotice.id.in_(ids),
                CoordinatorNotice.nudge_key.is_(None),
            )
            .values(nudge_key=nudge_key)
        )
        return affected_rows(result)

    def for_recipient(self, recipient: str) -> list[CoordinatorNotice]:
        return list(
            self.session.scalars(
                select(CoordinatorNotice)
                .where(
                    CoordinatorNotice.workspace_id == self.workspace_id,
                    CoordinatorNotice.recipient == recipient,
                )
                .order_by(CoordinatorNotice.id)
            )
        )

    def forget(self, recipient: str) -> int:
        """Erasure: the notices addressed to this person."""
        result = self.session.execute(
            delete(CoordinatorNotice).where(
                CoordinatorNotice.workspace_id == self.workspace_id, CoordinatorNotice.recipient == recipient
            )
        )
        return affected_rows(result)
