"""Meetings: logged once, counted for everyone who attended."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Meeting, MeetingAttendee, MeetingNote
from storage.repositories import insert_ignoring_duplicates


def meeting_key(held_on: date, relationship_id: int | None, member_ids: Sequence[int]) -> str:
    """The same meeting logged by two attendees gets the same key, so it is stored once."""
    if relationship_id is not None:
        return f"r{relationship_id}:{held_on.isoformat()}"
    return f"p{'-'.join(str(i) for i in sorted(set(member_ids)))}:{held_on.isoformat()}"


class MeetingRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def find(self, key: str) -> Meeting | None:
        return self.session.scalar(
            select(Meeting).where(Meeting.workspace_id == self.workspace_id, Meeting.dedupe_key == key)
        )

    def log(
        self,
        held_on: date,
        relationship_id: int | None,
        attendee_ids: Sequence[int],
        logged_by_id: int,
        notes: str = "",
    ) -> tuple[Meeting, bool]:
        """Store the meeting (or find it, when an attendee already logged it); True when it is new."""
        key = meeting_key(held_on, relationship_id, attendee_ids)
        existing = self.find(key)
        if existing is None:
            insert_ignoring_duplicates(
                self.session,
                Meeting,
                {
                    "workspace_id": self.workspace_id,
                    "relationship_id": relationship_id,
                    "held_on": held_on,
                    "dedupe_key": key,
                    "logged_by_id": logged_by_id,
                },
                ["workspace_id", "dedupe_key"],
            )
        meeting = self.find(key)
        assert meeting is not None
        created = existing is None and meeting.logged_by_id == logged_by_id
        present = {attendee.member_id for attendee in meeting.attendees}
        for member_id in dict.fromkeys(attendee_ids):
            if member_id not in present:
                meeting.attendees.append(MeetingAttendee(member_id=member_id))
        if notes:
            meeting.notes.append(MeetingNote(member_id=logged_by_id, text=notes))
        self.session.flush()
        return meeting, created

    def for_member(self, member_id: int, limit: int = 10) -> list[Meeting]:
        query = (
            select(Meeting)
            .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
            .where(Meeting.workspace_id == self.workspace_id, MeetingAttendee.member_id == member_id)
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
            .limit(limit)
        )
        return list(self.session.scalars(query).unique())

    def last_for_relationship(self, relationship_id: int) -> Meeting | None:
        return self.session.scalar(
            select(Meeting)
            .where(Meeting.workspace_id == self.workspace_id, Meeting.relationship_id == relationship_id)
            .order_by(Meeting.held_on.desc())
            .limit(1)
        )
