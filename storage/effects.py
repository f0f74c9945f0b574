"""The effects queue: Slack work a request caused beyond its reply, stored for effect workers to do.

Listeners only enqueue (a row per App Home, coalesced; a row per DM or file) inside the request's own
transaction, so a change and the work it causes commit together or not at all. Workers in any process
claim due rows, book send slots in the workspace's lane for that Slack rate-limit tier, and record the
outcome. All times here are wall-clock epoch seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import SlackEffect, SlackLane, Workspace

HOME = "home"
DM = "dm"
FILE = "file"
INTRO = "intro"
WELCOME = "welcome"
UPDATE = "update"
"""An edit of a message the app posted (chat.update)."""
VOTE_POST = "vote_post"
"""A find-a-time vote posted in a group DM."""
VOTE_UPDATE = "vote_update"
"""The vote message edited to show the latest votes."""
"""The welcome page for someone who erased their data (a one-off, unlike `HOME`)."""

LANE_OF_KIND = {
    HOME: "tier4",
    WELCOME: "tier4",
    DM: "post",
    FILE: "files",
    INTRO: "post",
    UPDATE: "tier3",
    VOTE_POST: "post",
    VOTE_UPDATE: "tier3",
}
"""Which of a workspace's send lanes each kind of effect uses (views.publish is Tier 4; posts and
uploads have their own budgets)."""

PENDING, SENDING, DONE, DEAD = "pending", "sending", "done", "dead"


@dataclass(frozen=True)
class ClaimedEffect:
    id: int
    workspace_id: int
    kind: str
    key: str
    user_id: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class IntroductionEffect:
    effect_id: int
    relationship_id: int
    status: str
    error: str


@dataclass(frozen=True)
class ReadyLane:
    workspace_id: int
    team_id: str
    enterprise_id: str
    lane: str
    ready_at: float


def _insert(session: Session) -> Any:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(SlackEffect)


def _is_due(wall: float, stale_before: float) -> ColumnElement[bool]:
    pending = and_(SlackEffect.status == PENDING, SlackEffect.due_at <= wall)
    abandoned = and_(SlackEffect.status == SENDING, SlackEffect.claimed_at < stale_before)
    return or_(pending, abandoned)


def _kinds_of(lane: str) -> list[str]:
    return [kind for kind, kind_lane in LANE_OF_KIND.items() if kind_lane == lane]


class EffectQueue:
    """Enqueueing (one workspace) and claiming (any workspace); one session is one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def _greatest(self) -> Any:
        return func.greatest if self.session.get_bind().dialect.name == "postgresql" else func.max

    # -- enqueueing -------------------------------------------------------------------------------

    def refresh_homes(
        self, workspace_id: int, user_ids: Iterable[str], wall: float, *, spacing: float, delay: float = 0.0
    ) -> None:
        """Ask for these members' App Homes to be published again, at most once per `spacing` seconds each.

        A refresh already waiting covers this one; one being sent right now is marked to run once more,
        so the member always ends up seeing the state after this change.
        """
        for user_id in dict.fromkeys(u for u in user_ids if u):
            statement = _insert(self.session).values(
                workspace_id=workspace_id,
                kind=HOME,
                key=f"{HOME}:{user_id}",
                user_id=user_id,
                payload={},
                status=PENDING,
                dirty=False,
                due_at=wall + delay,
                attempts=0,
            )
            finished = SlackEffect.status.in_((DONE, DEAD))
            statement = statement.on_conflict_do_update(
                index_elements=["workspace_id", "key"],
                set_={
                    "status": case((finished, literal(PENDING)), else_=SlackEffect.status),
                    "dirty": case((SlackEffect.status == SENDING, literal(True)), else_=SlackEffect.dirty),
                    "due_at": case(
                        (
                            finished,
                            self._greatest(
                                statement.excluded.due_at, func.coalesce(SlackEffect.done_at, 0.0) + spacing
                            ),
                        ),
                        else_=SlackEffect.due_at,
                    ),
                    "attempts": case((finished, literal(0)), else_=SlackEffect.attempts),
                },
            )
            self.session.execute(statement)

    def add(
        self, workspace_id: int, kind: str, user_id: str, payload: dict[str, Any], wall: float, key: str = ""
    ) -> bool:
        """A one-off effect (a DM, a file); with a `key`, stored once however often it is asked for."""
        statement = (
            _insert(self.session)
            .values(
                workspace_id=workspace_id,
                kind=kind,
                key=key or f"{kind}:{uuid.uuid4().hex}",
                user_id=user_id,
                payload=payload,
                status=PENDING,
                dirty=False,
                due_at=wall,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
            .returning(SlackEffect.id)
        )
        return self.session.execute(statement).first() is not None

    # -- claiming ---------------------------------------------------------------------------------

    def ready_lanes(self, wall: float, stale_before: float) -> list[ReadyLane]:
        """(workspace, lane) pairs with due effects, the one whose next slot opens first coming first."""
        due = (
            select(SlackEffect.workspace_id, SlackEffect.kind)
            .where(_is_due(wall, stale_before))
            .distinct()
            .subquery()
        )
        rows = self.session.execute(
            select(Workspace.id, Workspace.team_id, Workspace.enterprise_id, due.c.kind).join(
                due, due.c.workspace_id == Workspace.id
            )
        ).all()
        wanted = {(ws_id, LANE_OF_KIND[kind]): (team, enterprise) for ws_id, team, enterprise, kind in rows}
        if not wanted:
            return []
        slots = {
            (ws_id, lane): max(next_slot, blocked)
            for ws_id, lane, next_slot, blocked in self.session.execute(
                select(
                    SlackLane.workspace_id, SlackLane.lane, SlackLane.next_slot, SlackLane.blocked_until
                ).where(SlackLane.workspace_id.in_({ws_id for ws_id, _ in wanted}))
            )
        }
        lanes = [
            ReadyLane(ws_id, team, enterprise or "", lane, float(slots.get((ws_id, lane), 0.0)))
            for (ws_id, lane), (team, enterprise) in wanted.items()
        ]
        return sorted(lanes, key=lambda lane: (lane.ready_at, lane.workspace_id, lane.lane))

    def claim(
        self, workspace_id: int, lane: str, limit: int, wall: float, stale_before: float
    ) -> list[ClaimedEffect]:
        """Mark up to `limit` due effects of one lane `sending`, oldest first (SKIP LOCKED on PostgreSQL)."""
        due = and_(
            SlackEffect.workspace_id == workspace_id,
            SlackEffect.kind.in_(_kinds_of(lane)),
            _is_due(wall, stale_before),
        )
        picked = select(SlackEffect.id).where(due).order_by(SlackEffect.due_at, SlackEffect.id).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            picked = picked.with_for_update(skip_locked=True)
        statement = (
            update(SlackEffect)
            .where(SlackEffect.id.in_(picked.scalar_subquery()), due)
            .values(
                status=SENDING,
                claimed_at=wall,
                dirty=False,
                attempts=SlackEffect.attempts + case((SlackEffect.status == SENDING, 1), else_=0),
            )
            .returning(
                SlackEffect.id,
                SlackEffect.workspace_id,
                SlackEffect.kind,
                SlackEffect.key,
                SlackEffect.user_id,
                SlackEffect.payload,
                SlackEffect.attempts,
            )
            .execution_options(synchronize_session=False)
        )
        return sorted((ClaimedEffect(*row) for row in self.session.execute(statement)), key=lambda e: e.id)

    def _ensure_lane(self, workspace_id: int, lane: str) -> None:
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        self.session.execute(
            dialect.insert(SlackLane)
            .values(workspace_id=workspace_id, lane=lane, next_slot=0.0, blocked_until=0.0)
            .on_conflict_do_nothing(index_elements=["workspace_id", "lane"])
        )

    def reserve_slots(self, workspace_id: int, lane: str, count: int, interval: float, wall: float) -> float:
        """Book `count` send slots `interval` s apart in this lane; the first one's time (epoch s)."""
        self._ensure_lane(workspace_id, lane)
        start = self._greatest(SlackLane.next_slot, SlackLane.blocked_until, wall)
        end = self.session.execute(
            update(SlackLane)
            .where(SlackLane.workspace_id == workspace_id, SlackLane.lane == lane)
            .values(next_slot=start + count * interval)
            .returning(SlackLane.next_slot)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        return float(end) - count * interval

    def block_lane(self, workspace_id: int, lane: str, until: float) -> None:
        """Hold every worker off this lane until `until`: Slack answered 429 with Retry-After."""
        self._ensure_lane(workspace_id, lane)
        self.session.execute(
            update(SlackLane)
            .where(SlackLane.workspace_id == workspace_id, SlackLane.lane == lane)
            .values(blocked_until=self._greatest(SlackLane.blocked_until, until))
        )

    # -- outcomes ---------------------------------------------------------------------------------

    def done(self, effect: ClaimedEffect, wall: float, *, spacing: float) -> None:
        """A one-off effect is removed; a Home row is kept (its time spaces the next refresh), and runs
        again when a change arrived while it was being sent."""
        if effect.kind != HOME:
            self.session.execute(delete(SlackEffect).where(SlackEffect.id == effect.id))
            return
        dirty = SlackEffect.dirty.is_(True)
        self.session.execute(
            update(SlackEffect)
            .where(SlackEffect.id == effect.id, SlackEffect.status == SENDING)
            .values(
                status=case((dirty, literal(PENDING)), else_=literal(DONE)),
                due_at=case((dirty, literal(wall + spacing)), else_=SlackEffect.due_at),
                dirty=False,
                done_at=wall,
                attempts=0,
                last_error=None,
            )
        )

    def retry_later(self, effect_id: int, at: float, error: str, attempts: int | None = None) -> None:
        values: dict[str, Any] = {"status": PENDING, "due_at": at, "last_error": error[:200]}
        if attempts is not None:
            values["attempts"] = attempts
        self.session.execute(
            update(SlackEffect)
            .where(SlackEffect.id == effect_id, SlackEffect.status == SENDING)
            .values(**values)
        )

    def give_up(self, effect_id: int, error: str, wall: float) -> None:
        self.session.execute(
            update(SlackEffect)
            .where(SlackEffect.id == effect_id, SlackEffect.status == SENDING)
            .values(status=DEAD, last_error=error[:200], done_at=wall)
        )

    def waiting(self) -> int:
        """Effects not finished yet (pending or being sent)."""
        query = select(func.count()).where(SlackEffect.status.in_((PENDING, SENDING)))
        return self.session.scalar(query) or 0

    def introductions(self, workspace_id: int) -> list[IntroductionEffect]:
        """Every queued introduction of the workspace and where it stands (pending, sending, done, dead)."""
        rows = self.session.execute(
            select(SlackEffect.id, SlackEffect.payload, SlackEffect.status, SlackEffect.last_error).where(
                SlackEffect.workspace_id == workspace_id, SlackEffect.kind == INTRO
            )
        )
        return [
            IntroductionEffect(effect_id, int(payload["relationship_id"]), status, error or "")
            for effect_id, payload, status, error in rows
        ]

    def forget_member(self, workspace_id: int, user_id: str) -> None:
        """Drop every effect queued for this member (they erased their data)."""
        self.session.execute(
            delete(SlackEffect).where(
                SlackEffect.workspace_id == workspace_id, SlackEffect.user_id == user_id
            )
        )
