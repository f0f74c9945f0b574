"""Delivery workers: claim due nudges from the outbox, send each as a DM, record it, pace per workspace.

A worker claims a small batch from the workspace whose next send slot opens first, books that many
slots (shared by every worker, in every process, through the database), and sends one per slot. The
row is committed `sending` before the post and `sent` right after it, so a killed worker loses nothing:
its rows are claimed again once their lease is old, and only a post that was in flight at the moment
of the kill can go out twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block
from sqlalchemy import select

from bot.domain.members import local_today
from bot.domain.members.state import MemberStatus
from bot.domain.nudges.budget import COMBINED, usefulness
from bot.effects.posted import find_posted, metadata
from bot.nudges.pacing import Backoff, Pace, retry_after
from bot.slack_client import WorkerClients
from storage.db import Database
from storage.models import Meeting, Member, Program, Relationship
from storage.outbox import TRANSPORT_ERROR, ClaimedNudge, Outbox, WorkspaceLane, stale_cutoff
from storage.scheduling import MeetingPlanRepository

logger = logging.getLogger(__name__)

Renderer = Callable[[str, dict[str, Any]], tuple[str, Sequence[Block | dict[str, Any]]]]
TokenSource = Callable[[str, str], str | None]
"""(team id, enterprise id) -> the bot token for that workspace, or None when it is not installed."""

METADATA_EVENT = "mentor_circles_nudge"
COORDINATOR_KINDS = frozenset({"coordinator_digest", "stalled_coordinator", "coordinator_notices"})
RELATIONSHIP_KINDS = frozenset({"meeting_reminder", "did_you_meet", "stalled", "meeting_agenda"})
GROUP_KINDS = frozenset({"meeting_agenda"})
"""Posted to a relationship's group DM (`payload["channel"]`, also the row's `user_id`), not to one member."""
SETTLED_BY_MEETING = frozenset({"did_you_meet", "meeting_agenda"})
"""Pointless once a meeting of the relationship was logged after they were planned."""
FEEDBACK_KIND = "round_feedback"
TRANSIENT_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})


@dataclass(frozen=True)
class DeliveryOptions:
    pace: Pace = field(default_factory=Pace)
    backoff: Backoff = field(default_factory=Backoff)
    reclaim_after: timedelta = timedelta(seconds=60)
    """A row left `sending` this long belongs to a dead worker and is claimed again."""
    idle_wait: float = 0.5
    http_timeout: int = 10
    doubt_wait: float = 30.0
    """Seconds before a post that timed out is tried again; that retry first looks for the nudge in the
    DM (`bot.effects.posted`), so one Slack did deliver is never sent twice."""


@dataclass
class DeliveryStats:
    sent: int = 0
    skipped: int = 0
    rate_limited: int = 0
    retried: int = 0
    dead: int = 0
    reconciled: int = 0
    """Posts in doubt found already delivered, and recorded instead of sent again."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, name: str, count: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + count)

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "skipped": self.skipped,
            "rate_limited": self.rate_limited,
            "retried": self.retried,
            "dead": self.dead,
        }


def worker_name(index: int = 0) -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{index}"


def single_token(token: str | None) -> TokenSource:
    """The token source of a one-workspace install (`SLACK_BOT_TOKEN`)."""
    return lambda _team, _enterprise: token


class Deliverer:
    """Sends due nudges. Thread-safe: several threads (or processes) may run batches at once."""

    def __init__(
        self,
        db: Database,
        *,
        api_url: str,
        tokens: TokenSource,
        render: Renderer,
        clock: Callable[[], datetime],
        options: DeliveryOptions | None = None,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        default_timezone: str = "UTC",
    ) -> None:
        self.db = db
        self.api_url = api_url
        self.tokens = tokens
        self.render = render
        self.clock = clock
        self.options = options or DeliveryOptions()
        self.wall = wall
        self.sleep = sleep
        self.default_timezone = default_timezone
        self.stats = DeliveryStats()
        self._clients = WorkerClients(api_url, self.options.http_timeout)

    # -- running -----------------------------------------------------------------------------------

    def run(self, stop: threading.Event, workers: int = 1) -> None:
        """Deliver until `stop` is set, with `workers` threads."""
        threads = [
            threading.Thread(target=self._loop, args=(stop, worker_name(i)), name=f"deliver-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def deliver_due(self, workers: int = 1, timeout: float = 300.0) -> DeliveryStats:
        """Deliver everything due at the clock's instant, waiting out retries; stops early at `timeout`."""
        stop = threading.Event()
        deadline = self.wall() + timeout

        def until_done(name: str) -> None:
            while not stop.is_set() and self.wall() < deadline:
                if self.deliver_batch(name) is not None:
                    continue
                with self.db.session() as session:
                    if not Outbox(session).waiting(self.clock()):
                        stop.set()
                        return
                self.sleep(0.05)

        threads = [
            threading.Thread(target=until_done, args=(worker_name(i),), name=f"deliver-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.stats

    def _loop(self, stop: threading.Event, name: str) -> None:
        while not stop.is_set():
            try:
                delivered = self.deliver_batch(name)
            except Exception:
                logger.exception("delivery worker %s: unexpected error; carrying on", name)
                delivered = None
            if delivered is None:
                stop.wait(self.options.idle_wait)

    # -- one batch ---------------------------------------------------------------------------------

    def deliver_batch(self, name: str) -> int | None:
        """Claim and send one batch from the readiest workspace: how many rows it handled.

        None when nothing is due anywhere; 0 when nudges are due but every workspace's pace is booked
        (the call then waits a little, so the caller may simply call again).
        """
        pace = self.options.pace
        now, wall = self.clock(), self.wall()
        wall_dt = datetime.fromtimestamp(wall, UTC)
        stale_before = stale_cutoff(wall_dt, self.options.reclaim_after)
        with self.db.session() as session:
            lanes = Outbox(session).ready_lanes(now, wall_dt, stale_before)
        if not lanes:
            return None
        for lane in lanes:
            if lane.ready_at - wall > pace.window:
                break
            with self.db.session() as session:
                outbox = Outbox(session)
                if outbox.next_slot(lane.workspace_id, wall) - wall > pace.window:
                    continue
                claimed = outbox.claim(
                    lane.workspace_id, pace.batch_size, name, now=now, wall=wall_dt, stale_before=stale_before
                )
                if not claimed:
                    continue
                first_slot = outbox.reserve_slots(lane.workspace_id, len(claimed), pace.interval, wall)
            self._send_batch(lane, claimed, first_slot, name)
            return len(claimed)
        earliest = min(lane.ready_at for lane in lanes)
        self.sleep(min(max(earliest - self.wall() - pace.window, 0.01), self.options.idle_wait))
        return 0

    def _send_batch(
        self, lane: WorkspaceLane, claimed: list[ClaimedNudge], first_slot: float, name: str
    ) -> None:
        skip_reasons = self._irrelevant(lane.workspace_id, claimed)
        token = self.tokens(lane.team_id, lane.enterprise_id)
        leased_at = self.wall()
        for index, nudge in enumerate(claimed):
            if self.wall() - leased_at > self.options.reclaim_after.total_seconds() / 3:
                leased_at = self.wall()
                with self.db.session() as session:
                    Outbox(session).renew([row.id for row in claimed[index:]], name, self._wall_dt())
            if nudge.id in skip_reasons:
                self._skip(lane.workspace_id, nudge, skip_reasons[nudge.id])
                continue
            if token is None:
                self._fail(nudge, "not_installed", permanent=True)
                continue
            wait = first_slot + index * self.options.pace.interval - self.wall()
            if wait > 0:
                self.sleep(wait)
            outcome = self._send(lane, nudge, token, name)
            if outcome == "rate_limited":
                remaining = [later.id for later in claimed[index + 1 :] if later.id not in skip_reasons]
                with self.db.session() as session:
                    Outbox(session).retry_later(remaining, self._wall_dt(), "released after a 429")
                return

    def _skip(self, workspace_id: int, nudge: ClaimedNudge, reason: str) -> None:
        """Skip the row, and the parts waiting for it when it is a combined DM."""
        with self.db.session() as session:
            outbox = Outbox(session)
            outbox.mark_skipped(nudge.id, reason)
            if nudge.kind == COMBINED:
                outbox.parts_skipped({part.id: reason for part in outbox.parts_of(workspace_id, nudge.key)})
        self.stats.add("skipped")

    def _combined_payload(self, workspace_id: int, nudge: ClaimedNudge) -> tuple[dict[str, Any], list[int]]:
        """A combined DM's parts still worth sending (the others are skipped, with why), and their ids."""
        with self.db.session() as session:
            parts = [
                ClaimedNudge(
                    row.id,
                    workspace_id,
                    row.kind,
                    row.key,
                    row.user_id,
                    row.payload,
                    0,
                    row.due_at,
                    row.created_at,
                )
                for row in Outbox(session).parts_of(workspace_id, nudge.key)
            ]
        reasons = self._irrelevant(workspace_id, parts)
        if reasons:
            with self.db.session() as session:
                Outbox(session).parts_skipped(reasons)
        kept = sorted(
            (part for part in parts if part.id not in reasons), key=lambda p: (usefulness(p.kind), p.id)
        )
        payload = {
            **nudge.payload,
            "parts": [
                {"kind": part.kind, "payload": {**part.payload, "outbox_id": part.id}} for part in kept
            ],
        }
        return payload, [part.id for part in kept]

    def _send(self, lane: WorkspaceLane, nudge: ClaimedNudge, token: str, name: str) -> str:
        payload: dict[str, Any] = {**nudge.payload, "outbox_id": nudge.id}
        parts: list[int] = []
        if nudge.kind == COMBINED:
            payload, parts = self._combined_payload(lane.workspace_id, nudge)
            if not parts:
                self._skip(lane.workspace_id, nudge, "nothing left to send")
                return "skipped"
        try:
            text, blocks = self.render(nudge.kind, payload)
            block_dicts = [block if isinstance(block, dict) else block.to_dict() for block in blocks]
        except Exception as error:
            logger.exception("nudge %s (%s) could not be rendered", nudge.id, nudge.kind)
            self._fail(nudge, f"render: {type(error).__name__}", permanent=True)
            return "dead"
        client = self._client(token)
        try:
            earlier = self._delivered_before(client, nudge) if nudge.in_doubt else None
            if earlier is not None:
                channel, ts = earlier
                self.stats.add("reconciled")
            else:
                posted = client.chat_postMessage(
                    channel=_destination(nudge),
                    text=text,
                    blocks=block_dicts,
                    metadata=metadata(METADATA_EVENT, nudge.key, kind=nudge.kind),
                )
                channel, ts = str(posted["channel"]), str(posted["ts"])
        except SlackApiError as error:
            return self._api_error(lane, nudge, error)
        except (SlackClientError, OSError) as error:
            self._fail(nudge, f"{TRANSPORT_ERROR} {type(error).__name__}", permanent=False, in_doubt=True)
            return "retry"
        with self.db.session() as session:
            recorded = Outbox(session).mark_sent(nudge.id, name, channel, ts, self.clock())
            Outbox(session).parts_sent(parts, channel, ts, self.clock())
            if nudge.kind == "paused_notice":
                self._pause(session, lane.workspace_id, nudge.user_id)
        if not recorded:
            logger.warning(
                "nudge %s was sent after its lease ran out (another worker may send it too)", nudge.id
            )
        self.stats.add("sent")
        return "sent"

    def _api_error(self, lane: WorkspaceLane, nudge: ClaimedNudge, error: SlackApiError) -> str:
        status = error.response.status_code
        code = str(error.response.get("error") or f"http_{status}")
        if status == 429:
            wait = retry_after(error.response.headers)
            with self.db.session() as session:
                outbox = Outbox(session)
                outbox.block_workspace(lane.workspace_id, self.wall() + wait)
                outbox.retry_later([nudge.id], self._wall_dt(wait), "ratelimited")
            self.stats.add("rate_limited")
            return "rate_limited"
        self._fail(nudge, code, permanent=status < 500 and code not in TRANSIENT_ERRORS)
        return "retry"

    @staticmethod
    def _delivered_before(client: WebClient, nudge: ClaimedNudge) -> tuple[str, str] | None:
        """(channel, ts) of this nudge in the member's DM when an earlier attempt did reach Slack."""
        if nudge.kind in GROUP_KINDS:
            channel = _destination(nudge)
        else:
            channel = str(client.conversations_open(users=nudge.user_id)["channel"]["id"])
        ts = find_posted(client, channel, METADATA_EVENT, nudge.key)
        return (channel, ts) if ts is not None else None

    def _fail(self, nudge: ClaimedNudge, error: str, *, permanent: bool, in_doubt: bool = False) -> None:
        """Dead-letter the nudge, or retry it after a backoff (at least `doubt_wait` after a timeout)."""
        attempts = nudge.attempts + 1
        backoff = self.options.backoff
        with self.db.session() as session:
            outbox = Outbox(session)
            if permanent or backoff.exhausted(attempts):
                outbox.mark_dead(nudge.id, error, attempts)
                logger.warning(
                    "nudge %s (%s) dead-lettered after %d attempt(s): %s",
                    nudge.id,
                    nudge.kind,
                    attempts,
                    error,
                )
                self.stats.add("dead")
            else:
                delay = backoff.delay(attempts)
                if in_doubt:
                    delay = max(delay, self.options.doubt_wait)
                outbox.retry_later([nudge.id], self._wall_dt(delay), error, attempts=attempts)
                self.stats.add("retried")

    # -- helpers -----------------------------------------------------------------------------------

    def _wall_dt(self, later: float = 0.0) -> datetime:
        return datetime.fromtimestamp(self.wall() + later, UTC)

    def _client(self, token: str) -> WebClient:
        return self._clients.for_token(token)

    def _irrelevant(self, workspace_id: int, claimed: list[ClaimedNudge]) -> dict[int, str]:
        """Rows not worth sending any more, with why: the member left or paused, the meeting was logged or
        is planned for later, or the program asking for end-of-round feedback was archived."""
        now = self.clock()
        user_ids = {nudge.user_id for nudge in claimed}
        relationship_ids = {
            int(nudge.payload["relationship_id"])
            for nudge in claimed
            if nudge.kind in RELATIONSHIP_KINDS and "relationship_id" in nudge.payload
        }
        with self.db.session() as session:
            members = {
                member.slack_user_id: member
                for member in session.scalars(
                    select(Member).where(
                        Member.workspace_id == workspace_id, Member.slack_user_id.in_(user_ids)
                    )
                )
            }
            ended = set(
                session.scalars(
                    select(Relationship.id).where(
                        Relationship.workspace_id == workspace_id,
                        Relationship.id.in_(relationship_ids),
                        ~Relationship.is_live,
                    )
                )
            )
            meetings = session.execute(
                select(Meeting.relationship_id, Meeting.created_at).where(
                    Meeting.workspace_id == workspace_id, Meeting.relationship_id.in_(relationship_ids)
                )
            ).all()
            resting = self._archived_programs(session, workspace_id, claimed)
            planned = MeetingPlanRepository(session, workspace_id).planned_meetings()
        reasons: dict[int, str] = {}
        for nudge in claimed:
            member = members.get(nudge.user_id)
            relationship_id = (
                nudge.payload.get("relationship_id") if nudge.kind in RELATIONSHIP_KINDS else None
            )
            if member is not None and member.status == MemberStatus.LEFT:
                reasons[nudge.id] = "member left"
            elif (
                member is not None
                and nudge.kind not in COORDINATOR_KINDS
                and member.is_paused_on(local_today(now, member.tz or self.default_timezone))
            ):
                reasons[nudge.id] = "member paused"
            elif relationship_id is not None and int(relationship_id) in ended:
                reasons[nudge.id] = "relationship ended"
            elif nudge.kind == FEEDBACK_KIND and nudge.payload.get("program_id") in resting:
                reasons[nudge.id] = "program archived"
            elif nudge.kind in SETTLED_BY_MEETING and any(
                rid == int(str(relationship_id)) and logged_at >= nudge.created_at
                for rid, logged_at in meetings
            ):
                reasons[nudge.id] = "meeting already logged"
            elif (
                nudge.kind == "did_you_meet"
                and relationship_id is not None
                and planned.get(int(str(relationship_id)), now) > now
            ):
                reasons[nudge.id] = "meeting planned later"
        return reasons

    @staticmethod
    def _archived_programs(session: Any, workspace_id: int, claimed: list[ClaimedNudge]) -> set[int]:
        """The archived programs among those the claimed end-of-round questions are about."""
        program_ids = {
            int(nudge.payload["program_id"])
            for nudge in claimed
            if nudge.kind == FEEDBACK_KIND and isinstance(nudge.payload.get("program_id"), int)
        }
        if not program_ids:
            return set()
        return set(
            session.scalars(
                select(Program.id).where(
                    Program.workspace_id == workspace_id,
                    Program.id.in_(sorted(program_ids)),
                    Program.archived_at.is_not(None),
                )
            )
        )

    @staticmethod
    def _pause(session: Any, workspace_id: int, user_id: str) -> None:
        member = session.scalar(
            select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id == user_id)
        )
        if member is not None and member.status == MemberStatus.ACTIVE:
            member.status, member.paused_until = MemberStatus.PAUSED, None


def _destination(nudge: ClaimedNudge) -> str:
    """Where the nudge is posted: the group DM for group kinds, else the member (Slack opens the DM)."""
    if nudge.kind in GROUP_KINDS:
        return str(nudge.payload.get("channel") or nudge.user_id)
    return nudge.user_id
