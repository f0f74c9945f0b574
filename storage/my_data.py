"""A member's own data: what `/mentor privacy` summarises, what `/mentor export` hands over, and the
erasure behind `/mentor delete-my-data`. Every query is scoped to one workspace.

Erasure keeps the program's anonymous counts and removes everything personal:

- The member row stays (meetings, goals and check-ins point at it) but is anonymised in place: the Slack
  user id becomes an opaque `deleted-<random>`, name, time zone and every profile field are cleared, and
  the status becomes `left`, so no round, nudge or lookup ever finds the person again.
- Goals keep their rows, numbers, statuses, dates, topic and check-in history, with the text emptied and
  sharing switched off. Deleting them and keeping a separate tally would need a new table and would drift
  from the reports that already count goal rows; an anonymous row is the tally.
- The member's own meeting notes are deleted; the meetings and their attendance stay, so everyone else's
  meeting counts (and the program's) do not change.
- Their "please don't match me with" list is deleted. Other members' lists that name them are those
  members' data and are left alone.
- They leave every active circle and mentorship. One that can no longer run without them (a circle of
  one, a mentorship without a mentee or without a mentor) is ended; ended ones keep the anonymous row.
- FAQ questions they passed on lose their words (the count stays); a coordinator role they held ends.
- Their end-of-round feedback (answers and any comment they shared) is deleted.
- Their find-a-time votes are deleted; a vote they proposed stays for the others, without their name.
- Planned nudges and queued Slack effects to them, or naming them or quoting their goals (a mentor's
  update, a circle-mate's reminder), are cancelled; the planner plans the others' again without them.
  Sent ones keep only their status and answer, for the program's counts: the payload is emptied.
- The audit log keeps what was done, with their Slack id replaced by the anonymous one; what they typed
  into an audit target themselves is cleared.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, String, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.members.state import MemberStatus
from bot.domain.relationships import can_still_run
from storage.change_requests import ChangeRequestRepository
from storage.db import affected_rows
from storage.feedback import FeedbackRepository
from storage.models import (
    AuditEntry,
    Coordinator,
    FaqMiss,
    Goal,
    Meeting,
    MeetingAttendee,
    MeetingNote,
    MeetingPlan,
    Member,
    MemberAvoid,
    OutboxNudge,
    Program,
    ProgramMember,
    Relationship,
    RelationshipMember,
    RoundFeedback,
    SlackEffect,
    SlotVote,
    Workspace,
)
from storage.notices import NoticeRepository

UNSENT = ("pending", "sending", "merged")
"""Outbox and effect statuses that may still reach Slack."""

ERASED_PREFIX = "deleted-"
FORMER_MEMBER = "former member"
EXPORT_FORMAT = "mentor-circles-export/1"


def is_erased(member: Member) -> bool:
    return member.slack_user_id.startswith(ERASED_PREFIX)


def public_user_id(member: Member) -> str:
    """The Slack user id to show others; an erased member is only ever "former member"."""
    return FORMER_MEMBER if is_erased(member) else member.slack_user_id


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class PrivacyFacts:
    """What a member currently has stored, in numbers (for `/mentor privacy`)."""

    joined: bool
    goals: int
    shared_goals: int
    notes: int
    mentors: int
    avoided: int


@dataclass(frozen=True)
class Erasure:
    goals_emptied: int
    notes_deleted: int
    meetings_kept: int
    avoid_entries_deleted: int
    relationships_left: int
    relationships_ended: int
    affected_user_ids: tuple[str, ...]
    """Other members whose App Home showed the erased member (re-publish theirs)."""


def _mentions(payload: Any, traces: tuple[str, ...]) -> bool:
    """Whether any string in a JSON payload contains one of `traces`."""
    if isinstance(payload, str):
        return any(trace and trace in payload for trace in traces)
    if isinstance(payload, dict):
        return any(_mentions(value, traces) for value in payload.values())
    if isinstance(payload, list):
        return any(_mentions(value, traces) for value in payload)
    return False


class MyDataRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def member(self, slack_user_id: str, *, for_update: bool = False) -> Member | None:
        """The member row, read without calling Slack (so asking about data never creates any)."""
        query = select(Member).where(
            Member.workspace_id == self.workspace_id, Member.slack_user_id == slack_user_id
        )
        return self.session.scalar(query.with_for_update() if for_update else query)

    def has_data(self, member: Member) -> bool:
        """True once the member signed up or anything of theirs is stored (not just a cached Slack name)."""
        if member.joined_at is not None:
            return True
        owned = (
            select(Goal.id).where(Goal.workspace_id == self.workspace_id, Goal.member_id == member.id),
            select(MemberAvoid.id).where(
                MemberAvoid.workspace_id == self.workspace_id, MemberAvoid.member_id == member.id
            ),
            select(MeetingAttendee.id).where(
                MeetingAttendee.member_id == member.id, MeetingAttendee.meeting_id.in_(self._meeting_ids())
            ),
            select(MeetingNote.id).where(
                MeetingNote.member_id == member.id, MeetingNote.meeting_id.in_(self._meeting_ids())
            ),
            select(RelationshipMember.id).where(
                RelationshipMember.member_id == member.id,
                RelationshipMember.relationship_id.in_(self._relationship_ids()),
            ),
            select(FaqMiss.id).where(
                FaqMiss.workspace_id == self.workspace_id, FaqMiss.member_id == member.id
            ),
            select(RoundFeedback.id).where(
                RoundFeedback.workspace_id == self.workspace_id, RoundFeedback.member_id == member.id
            ),
            select(SlotVote.id).where(
                SlotVote.member_id == member.id, SlotVote.plan_id.in_(self._plan_ids())
            ),
        )
        return any(self.session.scalar(query.limit(1)) is not None for query in owned)

    def privacy_facts(self, member: Member) -> PrivacyFacts:
        goals = list(
            self.session.execute(
                select(Goal.shared).where(
                    Goal.workspace_id == self.workspace_id,
                    Goal.member_id == member.id,
                    Goal.status == "open",
                )
            ).scalars()
        )
        notes = self.session.scalar(
            select(func.count())
            .select_from(MeetingNote)
            .where(MeetingNote.member_id == member.id, MeetingNote.meeting_id.in_(self._meeting_ids()))
        )
        return PrivacyFacts(
            joined=member.has_joined,
            goals=len(goals),
            shared_goals=sum(1 for shared in goals if shared),
            notes=notes or 0,
            mentors=len(self._mentors_of(member)),
            avoided=self.session.scalar(
                select(func.count())
                .select_from(MemberAvoid)
                .where(MemberAvoid.workspace_id == self.workspace_id, MemberAvoid.member_id == member.id)
            )
            or 0,
        )

    def export(self, member: Member, workspace: Workspace, now: datetime) -> dict[str, Any]:
        """Everything stored about the member in this workspace, as JSON-ready data."""
        return {
            "format": EXPORT_FORMAT,
            "exported_at": _iso(now),
            "workspace": {"team_id": workspace.team_id, "enterprise_id": workspace.enterprise_id or None},
            "you": {
                "slack_user_id": member.slack_user_id,
                "display_name": member.display_name,
                "time_zone": member.tz,
                "time_zone_set_by": "you" if member.tz_source == "member" else "your Slack profile",
                "status": member.status,
                "paused_until": _iso(member.paused_until),
                "joined_at": _iso(member.joined_at),
                "first_seen_at": _iso(member.created_at),
            },
            "profile": self._export_profile(member),
            "goals": self._export_goals(member),
            "meetings": self._export_meetings(member),
            "programs": self._export_programs(member),
            "circles_and_mentorships": self._export_relationships(member),
            "check_in_answers": self._export_answers(member),
            "faq_questions_passed_on": self._export_questions(member),
            "change_requests": ChangeRequestRepository(self.session, self.workspace_id).export(member.id),
            "end_of_round_feedback": self._export_feedback(member),
            "find_a_time_votes": self._export_votes(member),
        }

    def _export_votes(self, member: Member) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(MeetingPlan.slots, SlotVote)
            .join(SlotVote, SlotVote.plan_id == MeetingPlan.id)
            .where(MeetingPlan.workspace_id == self.workspace_id, SlotVote.member_id == member.id)
            .order_by(SlotVote.id)
        ).all()
        return [
            {
                "time": _iso(datetime.fromtimestamp(int(slots[vote.slot]), UTC)),
                "you_can_make_it": vote.can,
                "answered_at": _iso(vote.updated_at),
            }
            for slots, vote in rows
            if 0 <= vote.slot < len(slots)
        ]

    def _export_feedback(self, member: Member) -> list[dict[str, Any]]:
        return [
            {
                "program": program,
                "round_starts": _iso(row.round_starts),
                "worth_your_time": row.worth,
                "how_often_you_met": row.met,
                "would_continue": row.carry_on,
                "comment_shared_anonymously": row.comment,
                "answered_at": _iso(row.updated_at),
            }
            for program, row in FeedbackRepository(self.session, self.workspace_id).of_member(member.id)
        ]

    def _export_programs(self, member: Member) -> list[dict[str, Any]]:
        rows = self.session.execute(
            select(Program.name, ProgramMember)
            .join(ProgramMember, ProgramMember.program_id == Program.id)
            .where(Program.workspace_id == self.workspace_id, ProgramMember.member_id == member.id)
            .order_by(ProgramMember.joined_at, Program.id)
        ).all()
        return [
            {
                "program": name,
                "status": str(enrollment.status),
                "joined_at": _iso(enrollment.joined_at),
                "left_at": _iso(enrollment.left_at),
            }
            for name, enrollment in rows
        ]

    def _export_answers(self, member: Member) -> list[dict[str, Any]]:
        """The member's answers to the nudges sent to them (what was asked, when, and what they said)."""
        rows = self.session.scalars(
            select(OutboxNudge)
            .where(
                OutboxNudge.workspace_id == self.workspace_id,
                OutboxNudge.user_id == member.slack_user_id,
                OutboxNudge.response.is_not(None),
            )
            .order_by(OutboxNudge.sent_at, OutboxNudge.id)
        )
        return [
            {
                "asked": row.kind,
                "sent_at": _iso(row.sent_at),
                "your_answer": row.response,
                "answered_at": _iso(row.responded_at),
            }
            for row in rows
        ]

    def _export_questions(self, member: Member) -> list[dict[str, Any]]:
        rows = self.session.scalars(
            select(FaqMiss)
            .where(
                FaqMiss.workspace_id == self.workspace_id,
                FaqMiss.member_id == member.id,
                FaqMiss.question.is_not(None),
            )
            .order_by(FaqMiss.id)
        )
        return [{"question": row.question, "asked_at": _iso(row.created_at)} for row in rows]

    def erase(self, member: Member, now: datetime) -> Erasure:
        """Delete the member's personal data, keeping anonymous counts (see the module docstring)."""
        affected: dict[str, None] = {}
        traces = self._traces(member)
        left, ended = self._leave_relationships(member, now, affected)
        notes_deleted = affected_rows(
            self.session.execute(
                delete(MeetingNote).where(
                    MeetingNote.member_id == member.id, MeetingNote.meeting_id.in_(self._meeting_ids())
                )
            )
        )
        goals_emptied = affected_rows(
            self.session.execute(
                update(Goal)
                .where(Goal.workspace_id == self.workspace_id, Goal.member_id == member.id)
                .values(text="", shared=False, updated_at=now)
            )
        )
        avoids_deleted = affected_rows(
            self.session.execute(
                delete(MemberAvoid).where(
                    MemberAvoid.workspace_id == self.workspace_id, MemberAvoid.member_id == member.id
                )
            )
        )
        meetings_kept = (
            self.session.scalar(
                select(func.count())
                .select_from(MeetingAttendee)
                .where(
                    MeetingAttendee.member_id == member.id,
                    MeetingAttendee.meeting_id.in_(self._meeting_ids()),
                )
            )
            or 0
        )
        self.session.execute(
            update(FaqMiss)
            .where(FaqMiss.workspace_id == self.workspace_id, FaqMiss.member_id == member.id)
            .values(question=None, member_id=None)
        )
        FeedbackRepository(self.session, self.workspace_id).erase(member.id)
        self.session.execute(
            delete(SlotVote).where(SlotVote.member_id == member.id, SlotVote.plan_id.in_(self._plan_ids()))
        )
        self.session.execute(
            update(MeetingPlan)
            .where(MeetingPlan.workspace_id == self.workspace_id, MeetingPlan.proposed_by == member.id)
            .values(proposed_by=None)
        )
        self.session.execute(
            delete(Coordinator).where(
                Coordinator.workspace_id == self.workspace_id,
                Coordinator.slack_user_id == member.slack_user_id,
            )
        )
        slack_id = member.slack_user_id
        NoticeRepository(self.session, self.workspace_id).forget(slack_id)
        ChangeRequestRepository(self.session, self.workspace_id).forget(member.id, slack_id)
        self._anonymise(member)
        self._scrub_queues(slack_id, member.slack_user_id, traces)
        self._scrub_audit(slack_id, member.slack_user_id)
        self.session.flush()
        self.session.expire_all()
        return Erasure(
            goals_emptied=goals_emptied or 0,
            notes_deleted=notes_deleted or 0,
            meetings_kept=meetings_kept,
            avoid_entries_deleted=avoids_deleted or 0,
            relationships_left=left,
            relationships_ended=ended,
            affected_user_ids=tuple(affected),
        )

    def _traces(self, member: Member) -> tuple[str, ...]:
        """What of the member a queued payload could carry: their Slack id and their goals' words."""
        goals = self.session.scalars(
            select(Goal.text).where(
                Goal.workspace_id == self.workspace_id, Goal.member_id == member.id, Goal.text != ""
            )
        )
        return (member.slack_user_id, *goals)

    def _scrub_queues(self, slack_id: str, anonymous_id: str, traces: tuple[str, ...]) -> None:
        """Every payload that quotes the member also names them (nudges about a member carry their id), so
        only rows addressed to them or naming them are read, not the whole queue."""
        rows: list[OutboxNudge | SlackEffect] = [
            *self.session.scalars(
                select(OutboxNudge).where(
                    OutboxNudge.workspace_id == self.workspace_id,
                    or_(
                        OutboxNudge.user_id == slack_id,
                        cast(OutboxNudge.payload, String).contains(slack_id, autoescape=True),
                    ),
                )
            ),
            *self.session.scalars(
                select(SlackEffect).where(
                    SlackEffect.workspace_id == self.workspace_id,
                    or_(
                        SlackEffect.user_id == slack_id,
                        cast(SlackEffect.payload, String).contains(slack_id, autoescape=True),
                    ),
                )
            ),
        ]
        for row in rows:
            if row.user_id != slack_id and not _mentions(row.payload, traces):
                continue
            if row.status in UNSENT:
                self.session.delete(row)
                continue
            row.payload = {}
            row.key = row.key.replace(slack_id, anonymous_id)
            if isinstance(row, OutboxNudge) and row.merged_into:
                row.merged_into = row.merged_into.replace(slack_id, anonymous_id)
            if row.user_id == slack_id:
                row.user_id = anonymous_id
                if isinstance(row, OutboxNudge):
                    row.channel = row.ts = None

    def _scrub_audit(self, slack_id: str, anonymous_id: str) -> None:
        entries = self.session.scalars(
            select(AuditEntry).where(
                AuditEntry.workspace_id == self.workspace_id,
                or_(AuditEntry.actor == slack_id, AuditEntry.target.contains(slack_id, autoescape=True)),
            )
        )
        for entry in entries:
            if entry.actor == slack_id:
                entry.actor, entry.target = anonymous_id, ""
            else:
                entry.target = entry.target.replace(slack_id, anonymous_id)

    def _plan_ids(self) -> Select[int]:
        return select(MeetingPlan.id).where(MeetingPlan.workspace_id == self.workspace_id)

    def _meeting_ids(self) -> Select[int]:
        return select(Meeting.id).where(Meeting.workspace_id == self.workspace_id)

    def _relationship_ids(self) -> Select[int]:
        return select(Relationship.id).where(Relationship.workspace_id == self.workspace_id)

    def _relationships(self, member: Member, *, active_only: bool) -> list[Relationship]:
        query = (
            select(Relationship)
            .join(RelationshipMember, RelationshipMember.relationship_id == Relationship.id)
            .where(Relationship.workspace_id == self.workspace_id, RelationshipMember.member_id == member.id)
            .order_by(Relationship.id)
        )
        if active_only:
            query = query.where(Relationship.is_live)
        return list(self.session.scalars(query).unique())

    def _mentors_of(self, member: Member) -> set[int]:
        mentors: set[int] = set()
        for relationship in self._relationships(member, active_only=True):
            roles = {link.member_id: link.role for link in relationship.members}
            if roles.get(member.id) == "mentee":
                mentors.update(mid for mid, role in roles.items() if role == "mentor")
        return mentors

    def _export_profile(self, member: Member) -> dict[str, Any]:
        avoided = self.session.scalars(
            select(MemberAvoid.avoided_user_id)
            .where(MemberAvoid.workspace_id == self.workspace_id, MemberAvoid.member_id == member.id)
            .order_by(MemberAvoid.id)
        )
        return {
            "roles": list(member.roles or []),
            "career_stage": member.stage,
            "specialty": member.specialty,
            "specialty_other": member.specialty_other,
            "career_track": member.track,
            "wants_guidance_in": list(member.needs or []),
            "can_guide_in": list(member.offers or []),
            "meeting_frequency": member.frequency,
            "mentee_capacity": member.capacity,
            "site": member.site,
            "usually_on_nights_or_call": list(member.call_days or []),
            "please_dont_match_me_with": list(avoided),
        }

    def _export_goals(self, member: Member) -> list[dict[str, Any]]:
        goals = self.session.scalars(
            select(Goal)
            .where(Goal.workspace_id == self.workspace_id, Goal.member_id == member.id)
            .order_by(Goal.number)
        )
        return [
            {
                "number": goal.number,
                "text": goal.text,
                "topic": goal.domain,
                "due_on": _iso(goal.due_on),
                "status": goal.status,
                "shared_with_circle": goal.shared,
                "created_at": _iso(goal.created_at),
                "completed_at": _iso(goal.completed_at),
                "check_ins": [{"kind": c.kind, "at": _iso(c.created_at)} for c in goal.checkins],
            }
            for goal in goals
        ]

    def _export_meetings(self, member: Member) -> list[dict[str, Any]]:
        attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.member_id == member.id)
        noted = select(MeetingNote.meeting_id).where(MeetingNote.member_id == member.id)
        meetings = list(
            self.session.scalars(
                select(Meeting)
                .where(
                    Meeting.workspace_id == self.workspace_id,
                    or_(Meeting.id.in_(attended), Meeting.id.in_(noted), Meeting.logged_by_id == member.id),
                )
                .order_by(Meeting.held_on, Meeting.id)
            )
        )
        people = self._people({a.member_id for m in meetings for a in m.attendees})
        return [
            {
                "held_on": _iso(meeting.held_on),
                "logged_at": _iso(meeting.created_at),
                "logged_by_you": meeting.logged_by_id == member.id,
                "circle_or_mentorship_id": meeting.relationship_id,
                "you_attended": any(a.member_id == member.id for a in meeting.attendees),
                "others_who_attended": sorted(
                    people[a.member_id] for a in meeting.attendees if a.member_id != member.id
                ),
                "your_notes": [
                    {"text": note.text, "written_at": _iso(note.created_at)}
                    for note in sorted(meeting.notes, key=lambda n: n.id)
                    if note.member_id == member.id
                ],
            }
            for meeting in meetings
        ]

    def _export_relationships(self, member: Member) -> list[dict[str, Any]]:
        exported = []
        for relationship in self._relationships(member, active_only=False):
            mine = next(link for link in relationship.members if link.member_id == member.id)
            exported.append(
                {
                    "id": relationship.id,
                    "kind": relationship.kind,
                    "label": relationship.label,
                    "your_role": mine.role,
                    "started_at": _iso(relationship.created_at),
                    "ended_at": _iso(relationship.ended_at),
                    "with": [
                        {"slack_user_id": public_user_id(link.member), "role": link.role}
                        for link in sorted(relationship.members, key=lambda link: link.id)
                        if link.member_id != member.id
                    ],
                }
            )
        return exported

    def _people(self, member_ids: set[int]) -> dict[int, str]:
        if not member_ids:
            return {}
        rows = self.session.scalars(
            select(Member).where(Member.workspace_id == self.workspace_id, Member.id.in_(member_ids))
        )
        return {row.id: public_user_id(row) for row in rows}

    def _leave_relationships(
        self, member: Member, now: datetime, affected: dict[str, None]
    ) -> tuple[int, int]:
        left = ended = 0
        for relationship in self._relationships(member, active_only=True):
            remaining = [link for link in relationship.members if link.member_id != member.id]
            affected.update(
                (link.member.slack_user_id, None) for link in remaining if not is_erased(link.member)
            )
            relationship.members = remaining
            left += 1
            if not can_still_run(relationship.kind, [link.role for link in remaining]):
                relationship.ended_at = now
                ended += 1
        return left, ended

    @staticmethod
    def _anonymise(member: Member) -> None:
        member.slack_user_id = f"{ERASED_PREFIX}{secrets.token_hex(12)}"
        member.display_name = ""
        member.tz, member.tz_source, member.slack_synced_at = None, "slack", None
        member.roles, member.needs, member.offers = [], [], []
        member.stage = member.specialty = member.specialty_other = member.track = None
        member.frequency, member.capacity, member.site = None, None, None
        member.call_days = None
        member.status, member.paused_until = MemberStatus.LEFT, None
