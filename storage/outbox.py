"""The nudge outbox: planned DMs stored once per idempotency key, claimed by delivery workers, answered.

Two clocks meet here. `now` is the app's clock (the sandbox's in tests, `tick --at` in ops) and decides
what is due; `wall` is real time and drives leases, retries and pacing, which are about live processes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain.nudges.budget import COMBINED, Booked, day_of_key
from bot.domain.nudges.model import PlannedNudge
from storage.db import affected_rows
from storage.models import OutboxNudge, OutboxPacing, Workspace

CHECKIN_KINDS = ("goal_checkin", "did_you_meet")
"""Nudges that ask for an answer; unanswered ones count towards pausing a non-responder."""

RESPONSES = ("met", "scheduled", "not_yet", "skip", "on_track", "need_help", "done", "resume", "answered")
FINAL_STATUSES = ("sent", "skipped", "dead")
MERGED = "merged"
"""A part of a member's combined DM of the day, waiting for that DM (`OutboxNudge.merged_into`)."""
INSERT_CHUNK = 500


TRANSPORT_ERROR = "transport:"
"""How `last_error` starts when a post got no answer from Slack (timed out, connection lost)."""


@dataclass(frozen=True)
class ClaimedNudge:
    """A row a worker has claimed (status `sending`), with what it needs to send it."""

    id: int
    workspace_id: int
    kind: str
    key: str
    user_id: str
    payload: dict[str, Any]
    attempts: int
    due_at: datetime
    created_at: datetime
    last_error: str | None = None
    """Why the previous attempt failed, if one did."""

    @property
    def in_doubt(self) -> bool:
        """The previous attempt may have reached Slack: it timed out (or lost its connection) mid-post."""
        return (self.last_error or "").startswith(TRANSPORT_ERROR)


@dataclass(frozen=True)
class WorkspaceLane:
    """A workspace with nudges ready to go, and when its next send slot opens (epoch seconds)."""

    workspace_id: int
    team_id: str
    enterprise_id: str
    ready_at: float


def _insert(session: Session, model: type[Any]) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _is_due(now: datetime, wall: datetime, stale_before: datetime) -> ColumnElement[bool]:
    pending = and_(
        OutboxNudge.status == "pending",
        OutboxNudge.due_at <= now,
        or_(OutboxNudge.next_attempt_at.is_(None), OutboxNudge.next_attempt_at <= wall),
    )
    abandoned = and_(OutboxNudge.status == "sending", OutboxNudge.claimed_at < stale_before)
    return or_(pending, abandoned)


class Outbox:
    """Cross-workspace operations of the planner and the delivery workers (one session = one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def is_postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    # -- planning ----------------------------------------------------------------------------------

    def add(
        self,
        workspace_id: int,
        nudges: Sequence[PlannedNudge],
        now: datetime,
        *,
        status: str = "pending",
        notes: Mapping[str, str] | None = None,
    ) -> int:
        """Insert the planned nudges, ignoring keys already stored; how many were new.

        `status` `merged` stores parts of combined DMs, `notes` naming each one's combined key; `skipped`
        stores nudges dropped by the message budget, `notes` giving each one's reason.
        """
        notes = notes or {}
        inserted = 0
        for start in range(0, len(nudges), INSERT_CHUNK):
            rows = [
                {
                    "workspace_id": workspace_id,
                    "kind": nudge.kind,
                    "key": nudge.key,
                    "user_id": nudge.user_id,
                    "due_at": nudge.due_at,
                    "payload": nudge.payload,
                    "status": status,
                    "attempts": 0,
                    "created_at": now,
                    "merged_into": notes.get(nudge.key) if status == MERGED else None,
                    "last_error": notes.get(nudge.key) if status == "skipped" else None,
                }
                for nudge in nudges[start : start + INSERT_CHUNK]
            ]
            statement = (
                _insert(self.session, OutboxNudge)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
                .returning(OutboxNudge.id)
            )
            inserted += len(self.session.execute(statement).all())
        return inserted

    # -- delivery ----------------------------------------------------------------------------------

    def ready_lanes(self, now: datetime, wall: datetime, stale_before: datetime) -> list[WorkspaceLane]:
        """Workspaces with due nudges, the one whose next send slot opens first coming first."""
        due = select(OutboxNudge.workspace_id).where(_is_due(now, wall, stale_before)).distinct().subquery()
        rows = self.session.execute(
            select(
                Workspace.id,
                Workspace.team_id,
                Workspace.enterprise_id,
                func.coalesce(OutboxPacing.next_slot, 0.0),
                func.coalesce(OutboxPacing.blocked_until, 0.0),
            )
            .join(due, due.c.workspace_id == Workspace.id)
            .outerjoin(OutboxPacing, OutboxPacing.workspace_id == Workspace.id)
        )
        lanes = [
            WorkspaceLane(ws_id, team, enterprise, max(slot, blocked))
            for ws_id, team, enterprise, slot, blocked in rows
        ]
        return sorted(lanes, key=lambda lane: (lane.ready_at, lane.workspace_id))

    def claim(
        self,
        workspace_id: int,
        limit: int,
        worker: str,
        *,
        now: datetime,
        wall: datetime,
        stale_before: datetime,
    ) -> list[ClaimedNudge]:
        """Mark up to `limit` due rows of one workspace `sending` for `worker`, oldest first.

        One statement: on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so concurrent workers
        take disjoint rows; on SQLite the UPDATE holds the database's write lock while it picks.
        A row abandoned in `sending` by a dead worker counts one attempt when it is claimed again.
        """
        due = _is_due(now, wall, stale_before)
        picked = (
            select(OutboxNudge.id)
            .where(OutboxNudge.workspace_id == workspace_id, due)
            .order_by(OutboxNudge.due_at, OutboxNudge.id)
            .limit(limit)
        )
        if self.is_postgresql:
            picked = picked.with_for_update(skip_locked=True)
        statement = (
            update(OutboxNudge)
            .where(OutboxNudge.id.in_(picked.scalar_subquery()), due)
            .values(
                status="sending",
                claimed_at=wall,
                claimed_by=worker[:64],
                attempts=OutboxNudge.attempts + case((OutboxNudge.status == "sending", 1), else_=0),
            )
            .returning(
                OutboxNudge.id,
                OutboxNudge.workspace_id,
                OutboxNudge.kind,
                OutboxNudge.key,
                OutboxNudge.user_id,
                OutboxNudge.payload,
                OutboxNudge.attempts,
                OutboxNudge.due_at,
                OutboxNudge.created_at,
                OutboxNudge.last_error,
            )
            .execution_options(synchronize_session=False)
        )
        claimed = [ClaimedNudge(*row) for row in self.session.execute(statement)]
        return sorted(claimed, key=lambda row: (row.due_at, row.id))

    def next_slot(self, workspace_id: int, wall: float) -> float:
        """When this workspace's next send slot opens (epoch s), holding its pacing row until commit.

        On PostgreSQL the row is locked, so workers booking slots for one workspace take turns.
        """
        self.session.execute(
            _insert(self.session, OutboxPacing)
            .values(workspace_id=workspace_id, next_slot=0.0, blocked_until=0.0)
            .on_conflict_do_nothing(index_elements=["workspace_id"])
        )
        query = select(OutboxPacing.next_slot, OutboxPacing.blocked_until).where(
            OutboxPacing.workspace_id == workspace_id
        )
        if self.is_postgresql:
            query = query.with_for_update()
        next_slot, blocked_until = self.session.execute(query).one()
        return max(float(next_slot), float(blocked_until), wall)

    def reserve_slots(self, workspace_id: int, count: int, interval: float, wall: float) -> float:
        """Book `count` consecutive send slots `interval` seconds apart; the first slot's time (epoch s).

        Every worker books from the same row, so together they never exceed the workspace's pace.
        """
        self.session.execute(
            _insert(self.session, OutboxPacing)
            .values(workspace_id=workspace_id, next_slot=0.0, blocked_until=0.0)
            .on_conflict_do_nothing(index_elements=["workspace_id"])
        )
        greatest = func.greatest if self.is_postgresql else func.max
        start = greatest(OutboxPacing.next_slot, OutboxPacing.blocked_until, wall)
        statement = (
            update(OutboxPacing)
            .where(OutboxPacing.workspace_id == workspace_id)
            .values(next_slot=start + count * interval)
            .returning(OutboxPacing.next_slot)
            .execution_options(synchronize_session=False)
        )
        end = self.session.execute(statement).scalar_one()
        return float(end) - count * interval

    def block_workspace(self, workspace_id: int, until: float) -> None:
        """Hold every worker off this workspace until `until` (epoch s): Slack said Retry-After."""
        self.session.execute(
            _insert(self.session, OutboxPacing)
            .values(workspace_id=workspace_id, next_slot=0.0, blocked_until=0.0)
            .on_conflict_do_nothing(index_elements=["workspace_id"])
        )
        greatest = func.greatest if self.is_postgresql else func.max
        self.session.execute(
            update(OutboxPacing)
            .where(OutboxPacing.workspace_id == workspace_id)
            .values(blocked_until=greatest(OutboxPacing.blocked_until, until))
        )

    def renew(self, nudge_ids: Iterable[int], worker: str, wall: datetime) -> None:
        """Refresh this worker's lease on rows it still holds, so nobody takes them over mid-batch."""
        ids = list(nudge_ids)
        if ids:
            self.session.execute(
                update(OutboxNudge)
                .where(
                    OutboxNudge.id.in_(ids),
                    OutboxNudge.status == "sending",
                    OutboxNudge.claimed_by == worker[:64],
                )
                .values(claimed_at=wall)
            )

    def mark_sent(self, nudge_id: int, worker: str, channel: str, ts: str, sent_at: datetime) -> bool:
        """Record the posted message; False when the row is no longer this worker's (it was reclaimed)."""
        result = self.session.execute(
            update(OutboxNudge)
            .where(OutboxNudge.id == nudge_id, OutboxNudge.status == "sending")
            .values(status="sent", channel=channel, ts=ts, sent_at=sent_at, last_error=None)
        )
        return bool(affected_rows(result))

    def mark_skipped(self, nudge_id: int, reason: str) -> None:
        self.session.execute(
            update(OutboxNudge)
            .where(OutboxNudge.id == nudge_id, OutboxNudge.status == "sending")
            .values(status="skipped", last_error=reason[:200])
        )

    def mark_dead(self, nudge_id: int, error: str, attempts: int) -> None:
        self.session.execute(
            update(OutboxNudge)
            .where(OutboxNudge.id == nudge_id, OutboxNudge.status == "sending")
            .values(status="dead", last_error=error[:200], attempts=attempts)
        )

    def retry_later(
        self, nudge_ids: Iterable[int], at: datetime, error: str, *, attempts: int | None = None
    ) -> None:
        """Put claimed rows back to `pending` until `at`; `attempts` replaces the count when given.

        A row whose earlier post is still in doubt keeps saying so, so its next attempt looks for that post
        first whatever else went wrong meanwhile (a 429, say)."""
        still_in_doubt = OutboxNudge.last_error.startswith(TRANSPORT_ERROR)
        values: dict[str, Any] = {
            "status": "pending",
            "next_attempt_at": at,
            "last_error": case((still_in_doubt, OutboxNudge.last_error), else_=literal(error[:200])),
        }
        if attempts is not None:
            values["attempts"] = attempts
        ids = list(nudge_ids)
        if ids:
            self.session.execute(
                update(OutboxNudge)
                .where(OutboxNudge.id.in_(ids), OutboxNudge.status == "sending")
                .values(**values)
            )

    def parts_of(self, workspace_id: int, key: str) -> list[OutboxNudge]:
        """The parts still waiting for the combined DM `key`, in the order they were stored."""
        return list(
            self.session.scalars(
                select(OutboxNudge)
                .where(
                    OutboxNudge.workspace_id == workspace_id,
                    OutboxNudge.merged_into == key,
                    OutboxNudge.status == MERGED,
                )
                .order_by(OutboxNudge.id)
            )
        )

    def parts_sent(self, part_ids: Collection[int], channel: str, ts: str, sent_at: datetime) -> None:
        """The parts went out in their combined DM: each is sent, in that message (its buttons name it)."""
        if part_ids:
            self.session.execute(
                update(OutboxNudge)
                .where(OutboxNudge.id.in_(list(part_ids)), OutboxNudge.status == MERGED)
                .values(status="sent", channel=channel, ts=ts, sent_at=sent_at)
            )

    def parts_skipped(self, reasons: Mapping[int, str]) -> None:
        for part_id, reason in reasons.items():
            self.session.execute(
                update(OutboxNudge)
                .where(OutboxNudge.id == part_id, OutboxNudge.status == MERGED)
                .values(status="skipped", last_error=reason[:200])
            )

    def waiting(self, now: datetime) -> int:
        """Rows due by `now` that are not finished yet (pending, including those waiting to retry, or sending)."""
        query = select(func.count()).where(
            OutboxNudge.status.in_(("pending", "sending")), OutboxNudge.due_at <= now
        )
        return self.session.scalar(query) or 0


class OutboxRepository:
    """One workspace's nudges: what the planner counts and what the buttons answer."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def _scoped(self) -> ColumnElement[bool]:
        return OutboxNudge.workspace_id == self.workspace_id

    def find_by_key(self, key: str) -> OutboxNudge | None:
        return self.session.scalar(select(OutboxNudge).where(self._scoped(), OutboxNudge.key == key))

    def holds(self, keys: Collection[str]) -> set[str]:
        """Which of `keys` the workspace's outbox already holds, in any status."""
        return set(
            self.session.scalars(select(OutboxNudge.key).where(self._scoped(), OutboxNudge.key.in_(keys)))
        )

    def next_pending(self, user_ids: Collection[str]) -> datetime | None:
        """When the next planned nudge for any of these people is due (None when nothing is planned)."""
        if not user_ids:
            return None
        return self.session.scalar(
            select(func.min(OutboxNudge.due_at)).where(
                self._scoped(), OutboxNudge.status == "pending", OutboxNudge.user_id.in_(list(user_ids))
            )
        )

    def booked_days(self, user_ids: Collection[str], since: datetime) -> dict[str, list[Booked]]:
        """The members' days since `since` that already have a combined DM, and whether it still waits."""
        found: dict[str, list[Booked]] = {}
        if not user_ids:
            return found
        rows = self.session.execute(
            select(OutboxNudge.user_id, OutboxNudge.key, OutboxNudge.status).where(
                self._scoped(),
                OutboxNudge.kind == COMBINED,
                OutboxNudge.user_id.in_(sorted(user_ids)),
                OutboxNudge.due_at >= since,
            )
        )
        for user_id, key, status in rows:
            day = day_of_key(key)
            if day is not None:
                counts = status in ("pending", "sending", "sent")
                found.setdefault(user_id, []).append(Booked(day, open=status == "pending", counts=counts))
        return found

    def settle_stray_parts(self, reason: str) -> int:
        """Parts stored just as their combined DM was being sent: dropped with `reason`, not left waiting."""
        finished = select(OutboxNudge.key).where(
            self._scoped(), OutboxNudge.kind == COMBINED, OutboxNudge.status.in_(FINAL_STATUSES)
        )
        result = self.session.execute(
            update(OutboxNudge)
            .where(self._scoped(), OutboxNudge.status == MERGED, OutboxNudge.merged_into.in_(finished))
            .values(status="skipped", last_error=reason[:200])
            .execution_options(synchronize_session=False)
        )
        return affected_rows(result)

    def find_by_message(self, channel: str, ts: str) -> OutboxNudge | None:
        """The nudge a button was pressed on (Slack sends the message's channel and ts with the action)."""
        return self.session.scalar(
            select(OutboxNudge).where(self._scoped(), OutboxNudge.channel == channel, OutboxNudge.ts == ts)
        )

    def record_response(self, nudge: OutboxNudge, response: str, at: datetime) -> bool:
        """Store the member's answer on the nudge it answers; False for an unknown response."""
        if response not in RESPONSES:
            return False
        nudge.response, nudge.responded_at = response, at
        return True

    def sibling_did_you_meet(self, row: OutboxNudge) -> list[OutboxNudge]:
        """The other members' unanswered "did you meet?" rows for the same relationship and cycle."""
        prefix = f"did_you_meet:r{row.payload.get('relationship_id')}:"
        query = select(OutboxNudge).where(
            self._scoped(),
            OutboxNudge.kind == "did_you_meet",
            OutboxNudge.key.startswith(prefix, autoescape=True),
            OutboxNudge.response.is_(None),
            OutboxNudge.id != row.id,
        )
        expected = row.payload.get("expected_on")
        return [
            other for other in self.session.scalars(query) if other.payload.get("expected_on") == expected
        ]

    def alone_in_message(self, row: OutboxNudge) -> bool:
        """Whether the row's message holds no other nudge (a combined DM may hold several)."""
        others = select(func.count()).where(
            self._scoped(),
            OutboxNudge.channel == row.channel,
            OutboxNudge.ts == row.ts,
            OutboxNudge.kind != COMBINED,
            OutboxNudge.id != row.id,
        )
        return not self.session.scalar(others)

    def for_user(self, user_id: str) -> list[OutboxNudge]:
        query = select(OutboxNudge).where(self._scoped(), OutboxNudge.user_id == user_id)
        return list(self.session.scalars(query.order_by(OutboxNudge.due_at, OutboxNudge.id)))

    def open_paused_notice(self, user_id: str) -> OutboxNudge | None:
        """The member's latest paused notice, when it was sent and is still unanswered (so the app's pause
        for not answering is the one in force)."""
        latest = self.session.scalars(
            select(OutboxNudge)
            .where(self._scoped(), OutboxNudge.user_id == user_id, OutboxNudge.kind == "paused_notice")
            .order_by(OutboxNudge.due_at.desc(), OutboxNudge.id.desc())
            .limit(1)
        ).first()
        return (
            latest if latest is not None and latest.status == "sent" and latest.responded_at is None else None
        )

    def unanswered_checkins(self) -> dict[str, tuple[datetime, ...]]:
        """Per member, oldest first: when each check-in left unanswered since they last answered any nudge
        or were sent a pause notice was sent.

        Check-ins delivered on the same day count once (at the first one's time), so a goal check-in and
        a "did you meet?" arriving together on one morning are one unanswered check-in, not two.
        """
        rows = self.session.execute(
            select(OutboxNudge.user_id, OutboxNudge.kind, OutboxNudge.sent_at, OutboxNudge.responded_at)
            .where(self._scoped(), OutboxNudge.status == "sent")
            .order_by(OutboxNudge.user_id, OutboxNudge.sent_at.desc(), OutboxNudge.id.desc())
        )
        days: dict[str, dict[date, datetime]] = {}
        settled: set[str] = set()
        for user_id, kind, sent_at, responded_at in rows:
            if user_id in settled:
                continue
            if responded_at is not None or kind == "paused_notice":
                settled.add(user_id)
            elif kind in CHECKIN_KINDS and sent_at is not None:
                by_day = days.setdefault(user_id, {})
                by_day[sent_at.date()] = min(sent_at, by_day.get(sent_at.date(), sent_at))
        return {user_id: tuple(sorted(by_day.values())) for user_id, by_day in days.items() if by_day}

    def not_yet_answers(self) -> list[tuple[int, datetime]]:
        """(relationship id, when answered) of every "Not yet" answer to "did you meet?"."""
        rows = self.session.execute(
            select(OutboxNudge.key, OutboxNudge.responded_at).where(
                self._scoped(), OutboxNudge.kind == "did_you_meet", OutboxNudge.response == "not_yet"
            )
        )
        answers = []
        for key, responded_at in rows:
            relationship = key.split(":")[1]
            if relationship.startswith("r") and relationship[1:].isdigit() and responded_at is not None:
                answers.append((int(relationship[1:]), responded_at))
        return answers

    def count_since(self, kind: str, since: datetime, response: str | None = None) -> int:
        query = select(func.count()).where(
            self._scoped(), OutboxNudge.kind == kind, OutboxNudge.sent_at >= since
        )
        if response is not None:
            query = query.where(OutboxNudge.response == response)
        return self.session.scalar(query) or 0

    def dead_since(self, since: datetime) -> int:
        """Nudges given up on (dead letters) whose last attempt was after `since`."""
        query = select(func.count()).where(
            self._scoped(), OutboxNudge.status == "dead", OutboxNudge.claimed_at >= since
        )
        return self.session.scalar(query) or 0


def stale_cutoff(wall: datetime, reclaim_after: timedelta) -> datetime:
    return wall - reclaim_after
