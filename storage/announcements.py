"""Coordinators' announcements, one row per submitted modal, scoped to one workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Announcement


class AnnouncementRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def record(self, program_id: int, view_id: str, recipients: int) -> bool:
        """Note that the modal `view_id` was sent to `recipients` people; False when it already was.

        Two submissions of the same modal racing each other meet at the unique key: the second waits
        for the first to commit, then inserts nothing."""
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(Announcement)
            .values(
                workspace_id=self.workspace_id,
                program_id=program_id,
                view_id=view_id,
                recipients=recipients,
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "view_id"])
            .returning(Announcement.id)
        )
        return self.session.execute(statement).first() is not None

    def recipients_of(self, view_id: str) -> int:
        """How many people the modal `view_id` was sent to (0 when it never was)."""
        found = self.session.scalar(
            select(Announcement.recipients).where(
                Announcement.workspace_id == self.workspace_id, Announcement.view_id == view_id
            )
        )
        return found or 0
