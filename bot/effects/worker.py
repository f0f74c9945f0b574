"""Effect workers: do the Slack work requests queued (App Home refreshes, DMs, files), off the listener threads.

Each workspace has a lane per Slack rate-limit tier; workers in every process book send slots in it
through the database, so together they stay inside Slack's limits. A 429 holds the lane for its
Retry-After and puts the effect back: nothing sleeps on a listener thread, and nothing is lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.nudges.pacing import Backoff, retry_after
from bot.slack_client import WorkerClients
from storage.db import Database
from storage.effects import LANE_OF_KIND, WELCOME, ClaimedEffect, EffectQueue, ReadyLane

logger = logging.getLogger(__name__)

EffectHandler = Callable[[WebClient, ClaimedEffect], None]
"""Does one effect with the workspace's client; raises SlackApiError / SlackClientError on failure."""
TokenSource = Callable[[str, str], str | None]

LANE_PER_MINUTE = {"tier4": 90.0, "tier3": 45.0, "post": 50.0, "files": 18.0}
"""Below Slack's published limits per workspace: views.publish (Tier 4, 100+/min), chat.update (Tier 3,
50+/min), chat.postMessage (about one a second), the file upload methods (Tier 4, three calls a file)."""

TRANSIENT_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})


@dataclass(frozen=True)
class EffectOptions:
    per_minute: Mapping[str, float] = field(default_factory=lambda: dict(LANE_PER_MINUTE))
    home_spacing: float = 2.0
    """Seconds between two refreshes of one member's App Home, whatever changed in between."""
    window: float = 1.0
    """Seconds of slots a worker books at once."""
    reclaim_after: float = 60.0
    idle_wait: float = 0.25
    http_timeout: int = 10
    doubt_wait: float = 30.0
    """Seconds before a post that timed out is tried again: by then Slack has finished it if it ever will,
    so the retry finds it (`bot.effects.posted`) instead of posting twice. (A 5xx is an answer: Slack is
    done with the call, and the retry after the usual backoff looks for it just the same.)"""
    backoff: Backoff = field(default_factory=lambda: Backoff(base=1.0, cap=60.0, max_attempts=5))

    def interval(self, lane: str) -> float:
        return 60.0 / self.per_minute[lane]


@dataclass
class EffectStats:
    done: int = 0
    rate_limited: int = 0
    retried: int = 0
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)


class EffectWorker:
    """Thread-safe: several threads or processes may work the queue at once."""

    def __init__(
        self,
        db: Database,
        *,
        api_url: str,
        tokens: TokenSource,
        handlers: Mapping[str, EffectHandler],
        options: EffectOptions | None = None,
        wall: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.db = db
        self.api_url = api_url
        self.tokens = tokens
        self.handlers = dict(handlers)
        self.options = options or EffectOptions()
        self.wall = wall
        self.sleep = sleep
        self.stats = EffectStats()
        self._wake = threading.Event()
        self._clients = WorkerClients(api_url, self.options.http_timeout)

    def wake(self) -> None:
        """Something was queued in this process: look now instead of at the next poll."""
        self._wake.set()

    # -- running ----------------------------------------------------------------------------------

    def start(self, stop: threading.Event, threads: int = 1) -> list[threading.Thread]:
        started = [
            threading.Thread(target=self._loop, args=(stop,), name=f"effects-{i}", daemon=True)
            for i in range(threads)
        ]
        for thread in started:
            thread.start()
        return started

    def _loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                handled = self.work_once()
            except Exception:
                logger.exception("effect worker: unexpected error; carrying on")
                handled = None
            if not handled:
                self._wake.wait(self.options.idle_wait)
                self._wake.clear()

    def drain(self, timeout: float = 60.0) -> None:
        """Work until nothing is waiting (for the shell, `tick`, tests and benchmarks)."""
        deadline = self.wall() + timeout
        while self.wall() < deadline:
            if self.work_once():
                continue
            with self.db.session() as session:
                if not EffectQueue(session).waiting():
                    return
            self.sleep(0.02)

    # -- one batch --------------------------------------------------------------------------------

    def work_once(self) -> int | None:
        """Claim and do one batch from the readiest lane: how many; None when nothing is due anywhere."""
        wall = self.wall()
        stale_before = wall - self.options.reclaim_after
        with self.db.session() as session:
            lanes = EffectQueue(session).ready_lanes(wall, stale_before)
        if not lanes:
            return None
        for lane in lanes:
            if lane.ready_at - wall > self.options.window:
                break
            interval = self.options.interval(lane.lane)
            batch = max(1, int(self.options.window / interval))
            with self.db.session() as session:
                queue = EffectQueue(session)
                claimed = queue.claim(lane.workspace_id, lane.lane, batch, wall, stale_before)
                if not claimed:
                    continue
                first_slot = queue.reserve_slots(lane.workspace_id, lane.lane, len(claimed), interval, wall)
            self._do_batch(lane, claimed, first_slot, interval)
            return len(claimed)
        earliest = min(lane.ready_at for lane in lanes)
        self.sleep(min(max(earliest - self.wall() - self.options.window, 0.01), self.options.idle_wait))
        return 0

    def _do_batch(
        self, lane: ReadyLane, claimed: list[ClaimedEffect], first_slot: float, interval: float
    ) -> None:
        token = self.tokens(lane.team_id, lane.enterprise_id)
        for index, effect in enumerate(claimed):
            if token is None:
                self._give_up(effect, "not_installed")
                continue
            wait = first_slot + index * interval - self.wall()
            if wait > 0:
                self.sleep(wait)
            if self._do(lane, effect, token) == "rate_limited":
                with self.db.session() as session:
                    queue = EffectQueue(session)
                    for later in claimed[index + 1 :]:
                        queue.retry_later(later.id, self.wall(), "released after a 429")
                return

    def _do(self, lane: ReadyLane, effect: ClaimedEffect, token: str) -> str:
        handler = self.handlers.get(effect.kind)
        if handler is None:
            self._give_up(effect, f"no handler for {effect.kind}")
            return "failed"
        try:
            handler(self._client(token), effect)
        except SlackApiError as error:
            return self._api_error(lane, effect, error)
        except (SlackClientError, OSError) as error:
            self._retry(effect, f"transport: {type(error).__name__}", in_doubt=True)
            return "retry"
        except Exception as error:
            logger.exception("effect %s (%s) failed", effect.id, effect.kind)
            self._give_up(effect, f"error: {type(error).__name__}")
            return "failed"
        with self.db.session() as session:
            EffectQueue(session).done(effect, self.wall(), spacing=self.options.home_spacing)
        if effect.kind == WELCOME:
            # The welcome page after an erasure was the last row naming the person.
            self.db.forget_deleted_text()
        self.stats.add("done")
        return "done"

    def _api_error(self, lane: ReadyLane, effect: ClaimedEffect, error: SlackApiError) -> str:
        status = error.response.status_code
        code = str(error.response.get("error") or f"http_{status}")
        if status == 429 or code == "ratelimited":
            until = self.wall() + retry_after(error.response.headers)
            with self.db.session() as session:
                queue = EffectQueue(session)
                queue.block_lane(lane.workspace_id, LANE_OF_KIND[effect.kind], until)
                queue.retry_later(effect.id, until, "ratelimited")
            self.stats.add("rate_limited")
            return "rate_limited"
        if status >= 500 or code in TRANSIENT_ERRORS:
            self._retry(effect, code)
            return "retry"
        self._give_up(effect, code)
        return "failed"

    def _retry(self, effect: ClaimedEffect, error: str, *, in_doubt: bool = False) -> None:
        """Try the effect again after a backoff; a post that timed out waits at least `doubt_wait`."""
        attempts = effect.attempts + 1
        if self.options.backoff.exhausted(attempts):
            self._give_up(effect, error)
            return
        delay = self.options.backoff.delay(attempts)
        if in_doubt and LANE_OF_KIND[effect.kind] == "post":
            delay = max(delay, self.options.doubt_wait)
        with self.db.session() as session:
            EffectQueue(session).retry_later(effect.id, self.wall() + delay, error, attempts)
        self.stats.add("retried")

    def _give_up(self, effect: ClaimedEffect, error: str) -> None:
        logger.warning("effect %s (%s) given up: %s", effect.id, effect.kind, error)
        with self.db.session() as session:
            EffectQueue(session).give_up(effect.id, error, self.wall())
        self.stats.add("failed")

    def _client(self, token: str) -> WebClient:
        return self._clients.for_token(token)
