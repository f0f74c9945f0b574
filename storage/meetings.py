"""Meetings: logged once, counted for everyone who attended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Meeting, MeetingAttendee, MeetingNote, Member, Relationship
from storage.repositories import insert_ignoring_duplicates


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting as one attendee's `/mentor meetings` list shows it: only their own notes."""

    held_on: date
    kind: str | None
    """`circle`, `mentorship`, or None for a meeting outside both."""
    label: str
    others: tuple[str, ...]
    """Slack ids of the other attendees."""
    my_notes: tuple[str, ...]


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
        self.add_note(meeting, logged_by_id, notes)
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

    def add_note(self, meeting: Meeting, member_id: int, text: str) -> bool:
        """Attach one attendee's note; False when they already left exactly this note on it."""
        if not text or any(n.member_id == member_id and n.text == text for n in meeting.notes):
            return False
        meeting.notes.append(MeetingNote(member_id=member_id, text=text))
        self.session.flush()
        return True

    def recent_summaries(self, member_id: int, limit: int = 10) -> list[MeetingSummary]:
        """The member's latest meetings, newest first, with nobody else's notes."""
        meetings = self.for_member(member_id, limit)
        attendee_ids = {a.member_id for m in meetings for a in m.attendees}
        relationship_ids = {m.relationship_id for m in meetings if m.relationship_id is not None}
        rows = self.session.execute(
            select(Member.id, Member.slack_user_id).where(
                Member.workspace_id == self.workspace_id, Member.id.in_(attendee_ids)
            )
        )
        slack_ids = {member_id: slack_user_id for member_id, slack_user_id in rows}
        groups = {
            r.id: r
            for r in self.session.scalars(
                select(Relationship).where(
                    Relationship.workspace_id == self.workspace_id, Relationship.id.in_(relationship_ids)
                )
            )
        }
        summaries = []
        for meeting in meetings:
            group = groups.get(meeting.relationship_id) if meeting.relationship_id is not None else None
            summaries.append(
                MeetingSummary(
                    held_on=meeting.held_on,
                    kind=group.kind if group else None,
                    label=group.label if group else "",
                    others=tuple(
                        slack_ids[a.member_id]
                        for a in sorted(meeting.attendees, key=lambda a: a.id)
                        if a.member_id != member_id and a.member_id in slack_ids
                    ),
                    my_notes=tuple(
                        n.text for n in sorted(meeting.notes, key=lambda n: n.id) if n.member_id == member_id
                    ),
                )
            )
        return summaries
