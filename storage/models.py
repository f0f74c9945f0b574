"""SQLAlchemy 2.0 typed models. Every row below a workspace carries its `workspace_id`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.members import state
from bot.domain.members.state import EnrollmentStatus, MemberStatus

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out on every database (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store timezone-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class StatusType(TypeDecorator[StrEnum]):
    """A status column: stored as its plain string (so migrations see a VARCHAR), read back as the enum."""

    impl = String(10)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Any) -> StrEnum | None:
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, date: Date, list[Any]: JSON, dict[str, Any]: JSON}


class Workspace(Base):
    """A Slack workspace (team), with its Enterprise Grid id when it has one ('' otherwise)."""

    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Member]] = relationship(back_populates="workspace", cascade="all, delete-orphan")


class Member(Base):
    """A person in a workspace who has used Mentor Circles; `joined_at` is set once they sign up.

    `display_name` and `tz` cache Slack's `users.info` (refreshed after `slack_synced_at` ages); a member
    who set their own time zone has `tz_source = "member"` and keeps it.
    """

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str | None] = mapped_column(String(64))
    tz_source: Mapped[str] = mapped_column(String(10), default="slack")
    slack_synced_at: Mapped[datetime | None]
    roles: Mapped[list[Any]] = mapped_column(default=list)
    stage: Mapped[str | None] = mapped_column(String(40))
    specialty: Mapped[str | None] = mapped_column(String(60))
    specialty_other: Mapped[str | None] = mapped_column(String(80))
    track: Mapped[str | None] = mapped_column(String(30))
    needs: Mapped[list[Any]] = mapped_column(default=list)
    offers: Mapped[list[Any]] = mapped_column(default=list)
    frequency: Mapped[str | None] = mapped_column(String(20))
    capacity: Mapped[int | None]
    site: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[MemberStatus] = mapped_column(StatusType(MemberStatus), default=MemberStatus.ACTIVE)
    paused_until: Mapped[date | None]
    joined_at: Mapped[datetime | None]
    send_hour: Mapped[int | None]
    """Local hour for this member's nudges; None means the program's default."""
    call_days: Mapped[list[Any] | None]
    """Weekday codes ("mon" ... "sun") the member is usually on nights or call; None when not said."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="members")

    @hybrid_property
    def has_joined(self) -> bool:
        return state.has_joined(self.joined_at is not None, self.status)

    @has_joined.inplace.expression
    @classmethod
    def _has_joined_expression(cls) -> ColumnElement[bool]:
        return and_(cls.joined_at.is_not(None), cls.status != MemberStatus.LEFT)

    @hybrid_method
    def is_paused_on(self, today: date) -> bool:
        return state.is_paused(self.status, self.paused_until, today)

    @is_paused_on.inplace.expression  # type: ignore[attr-defined]  # SQLAlchemy's hybrid_method stubs lack `inplace`
    @classmethod
    def _is_paused_on_expression(cls, today: date) -> ColumnElement[bool]:
        return and_(
            cls.status == MemberStatus.PAUSED, or_(cls.paused_until.is_(None), cls.paused_until > today)
        )


class WorkspaceFaq(Base):
    """A coordinator-written FAQ entry that ranks alongside the built-ins, in its own workspace only."""

    __tablename__ = "workspace_faqs"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FaqFeedback(Base):
    """A "Helpful" or "Not helpful" click on an answer; who clicked is not kept."""

    __tablename__ = "faq_feedback"
    __table_args__ = (UniqueConstraint("workspace_id", "vote_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[str] = mapped_column(String(100))
    helpful: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    vote_token: Mapped[str | None] = mapped_column(String(32))
    """A random token of the answer voted on (never who voted): one vote per answer shown."""


class FaqMiss(Base):
    """A question the FAQ declined or whose answer was marked not helpful, counted for the coordinators.

    `question` holds the words only once the asker chose to pass them on (anonymously: reports never read
    `member_id`, which is kept so the asker's export shows the question and erasure removes it). Learned
    search terms are read from `question` itself, so erasure and retention take them away too.
    """

    __tablename__ = "faq_misses"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    question: Mapped[str | None] = mapped_column(Text)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_topic_id: Mapped[str | None] = mapped_column(String(200))
    """Set when a coordinator answered the passed-on question with this topic (a built-in id or a workspace
    entry's): while the words are kept, they count as that topic's words in this workspace's search."""
    resolved_at: Mapped[datetime | None]
    """When a coordinator handled the passed-on question (mapped it, or wrote an entry from it)."""


class FaqWellbeingAsk(Base):
    """One question answered with the wellbeing topic: counted for the coordinators, its words never kept."""

    __tablename__ = "faq_wellbeing_asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberAvoid(Base):
    """Confidential "please don't match me with": read only by the matcher."""

    __tablename__ = "member_avoids"
    __table_args__ = (UniqueConstraint("member_id", "avoided_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    avoided_user_id: Mapped[str] = mapped_column(String(32))


class Round(Base):
    """A round of matching: a draft the coordinators preview, then the published history."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    seed: Mapped[int] = mapped_column(default=0)
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"), index=True)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    """The program's latest published round of this kind when the draft was made: a draft is published
    only while that is still the latest, so two publishers racing never both publish."""


class Relationship(Base):
    """A peer circle or a mentorship (one mentee with one to three mentors): who meets together.

    `intro_ts` records the introduction message once sent, so publishing twice never sends it twice;
    `intro_claimed_at` keeps two publishers from sending the same one at the same moment.
    """

    __tablename__ = "relationships"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(120), default="")
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    cadence_days: Mapped[int | None]
    intro_claimed_at: Mapped[datetime | None]
    intro_channel: Mapped[str | None] = mapped_column(String(32))
    intro_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"), index=True)

    members: Mapped[list[RelationshipMember]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @hybrid_property
    def is_live(self) -> bool:
        """Not ended: its people still meet, get nudges about it and see it on their Home."""
        return self.ended_at is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls) -> ColumnElement[bool]:
        return cls.ended_at.is_(None)


class RelationshipMember(Base):
    __tablename__ = "relationship_members"
    __table_args__ = (UniqueConstraint("relationship_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("relationships.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))

    member: Mapped[Member] = relationship(lazy="joined")


class Goal(Base):
    """A member's goal; `number` is theirs and stable, so "goal done 3" always means the same goal."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("member_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(String(30))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None]

    checkins: Mapped[list[GoalCheckin]] = relationship(
        cascade="all, delete-orphan", order_by="GoalCheckin.id", lazy="selectin"
    )


class GoalCheckin(Base):
    __tablename__ = "goal_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Meeting(Base):
    """A meeting that happened; `dedupe_key` makes a second log of the same meeting count once."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("workspace_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    relationship_id: Mapped[int | None] = mapped_column(
        ForeignKey("relationships.id", ondelete="SET NULL"), index=True
    )
    held_on: Mapped[date]
    dedupe_key: Mapped[str] = mapped_column(String(200))
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attendees: Mapped[list[MeetingAttendee]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    notes: Mapped[list[MeetingNote]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class MeetingAttendee(Base):
    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)


class MeetingNote(Base):
    """One attendee's private notes on a meeting."""

    __tablename__ = "meeting_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxNudge(Base):
    """A planned nudge: one DM to one member, stored once per `key` and delivered at `due_at`.

    `status` moves pending -> sending (claimed by a worker) -> sent | skipped | dead; a row left in
    `sending` by a killed worker is claimed again once `claimed_at` is old. `response` is the member's
    answer to the nudge's buttons.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_outbox_status_due_at", "status", "due_at"),
        Index("ix_outbox_workspace_id_user_id", "workspace_id", "user_id"),
        Index("ix_outbox_workspace_id_merged_into", "workspace_id", "merged_into"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    response: Mapped[str | None] = mapped_column(String(20))
    responded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_into: Mapped[str | None] = mapped_column(String(200))
    """The key of the member's combined DM of the day this nudge goes out in (`bot.domain.nudges.budget`);
    its status is `merged` until that DM is sent, then `sent` with the DM's channel and ts."""


class OutboxPacing(Base):
    """Per-workspace send slots shared by every delivery worker: `next_slot` is the next free one (epoch s).

    `blocked_until` holds Slack's Retry-After for the whole workspace.
    """

    __tablename__ = "outbox_pacing"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)


class SlackEffect(Base):
    """Slack work a request caused beyond its reply (an App Home refresh, a DM, a file), done off the
    listener threads by effect workers in any process.

    A Home refresh has one row per member (`key` `home:<user>`) that is reused: asking again while it is
    pending changes nothing (coalesced), while it is being sent marks it `dirty` so it runs once more.
    Times are wall-clock epoch seconds: they pace live processes, not the app's clock.
    """

    __tablename__ = "slack_effects"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_slack_effects_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[float | None] = mapped_column(Float)
    done_at: Mapped[float | None] = mapped_column(Float)
    last_error: Mapped[str | None] = mapped_column(String(200))


class SlackLane(Base):
    """Send slots per workspace and Slack rate-limit tier, shared by every effect worker (epoch s)."""

    __tablename__ = "slack_lanes"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    lane: Mapped[str] = mapped_column(String(20), primary_key=True)
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)


class Coordinator(Base):
    """A coordinator added in Slack; `COORDINATOR_USER_IDS` and workspace admins are coordinators too."""

    __tablename__ = "coordinators"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    added_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who ran which admin command or button, when, and whether it was allowed; never personal text."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_workspace_id_created_at", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Program(Base):
    """A mentorship program in a workspace; `settings` is `bot.domain.programs.ProgramSettings` as JSON."""

    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None]
    """When a coordinator archived the finished program: kept for reports, no longer joined, nudged or matched."""

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ProgramMember(Base):
    """A member's enrollment in a program: `status` is active or left (pausing lives on the member)."""

    __tablename__ = "program_members"
    __table_args__ = (UniqueConstraint("program_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[EnrollmentStatus] = mapped_column(
        StatusType(EnrollmentStatus), default=EnrollmentStatus.ACTIVE
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]


class CoordinatorNotice(Base):
    """Something a coordinator should hear about (a round due or published, a circle below its minimum,
    introductions that failed), one row per coordinator, batched into at most one DM a day.

    `key` names the event, so noticing it again from another tick or clock adds nothing; `nudge_key` is
    the outbox key of the DM that carried it (None while it waits). Facts are counts and names of
    programs, never anything a member wrote.
    """

    __tablename__ = "coordinator_notices"
    __table_args__ = (UniqueConstraint("workspace_id", "recipient", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    nudge_key: Mapped[str | None] = mapped_column(String(160), index=True)


class Announcement(Base):
    """A coordinator's announcement, one row per submitted modal (`view_id`), so a resubmission or a
    retried request queues its DMs only once. The words are not kept: they travel in the queued DMs."""

    __tablename__ = "announcements"
    __table_args__ = (UniqueConstraint("workspace_id", "view_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    view_id: Mapped[str] = mapped_column(String(64))
    recipients: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeRequest(Base):
    """A member asking privately for a different mentor or circle, one row per member and relationship.

    `avoid_user_ids` are the people they were with when they asked: the next round or a rematch of the
    program does not put them together again. `reason` is for coordinators only (never audited, never
    shown to the mentor or circle). `status` is open until a rematch or a new round honours it.
    """

    __tablename__ = "change_requests"
    __table_args__ = (UniqueConstraint("member_id", "relationship_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id", ondelete="SET NULL"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    avoid_user_ids: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship(lazy="joined")


class MentorOffer(Base):
    """A mentee's choice of mentor, waiting for the mentor's yes or no until `respond_by`.

    One row per mentee, mentor and program: a mentor who declined (or did not answer) is never offered to
    the same mentee again, so every click on an old offer's buttons is answered "already answered".
    """

    __tablename__ = "mentor_offers"
    __table_args__ = (
        UniqueConstraint("program_id", "mentee_id", "mentor_id"),
        Index("ix_mentor_offers_status_respond_by", "status", "respond_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    offered_at: Mapped[datetime]
    respond_by: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    relationship_id: Mapped[int | None] = mapped_column(ForeignKey("relationships.id", ondelete="SET NULL"))

    mentee: Mapped[Member] = relationship(foreign_keys=[mentee_id], lazy="joined")
    mentor: Mapped[Member] = relationship(foreign_keys=[mentor_id], lazy="joined")


class RoundFeedback(Base):
    """One participant's end-of-round feedback for one round of a program (`round_starts` names the round).

    A changed answer replaces the earlier one: one row per (program, round, member). `comment` holds words
    only once the member agreed to share them anonymously (`comment_shared_at`); reports count the answers
    and list the comments but never read `member_id`, which is kept so the member's export shows their
    own feedback and erasure removes it.
    """

    __tablename__ = "round_feedback"
    __table_args__ = (UniqueConstraint("program_id", "round_starts", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    round_starts: Mapped[date]
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    worth: Mapped[str | None] = mapped_column(String(12))
    met: Mapped[str | None] = mapped_column(String(12))
    carry_on: Mapped[str | None] = mapped_column(String(12))
    """The answer to "would you continue?"."""
    comment: Mapped[str | None] = mapped_column(Text)
    comment_shared_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingPlan(Base):
    """A "find a time" vote in a circle's or mentorship's group DM: the proposed slots (epoch seconds,
    UTC), the vote message once posted, and the slot chosen (`chosen_at`, the planned meeting)."""

    __tablename__ = "meeting_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("relationships.id", ondelete="CASCADE"), index=True
    )
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    slots: Mapped[list[Any]] = mapped_column(default=list)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    chosen_slot: Mapped[int | None]
    chosen_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    votes: Mapped[list[SlotVote]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SlotVote.id"
    )


class SlotVote(Base):
    """One person's answer for one slot of a plan; a changed answer replaces it, a retried one is a no-op."""

    __tablename__ = "slot_votes"
    __table_args__ = (UniqueConstraint("plan_id", "member_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("meeting_plans.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int]
    can: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[Member] = relationship(lazy="joined")


# slack_sdk's OAuth tables join this metadata so that Alembic creates and checks them (migration 0007).
import storage.installations  # noqa: E402, F401
