"""Slack's rate limits as token buckets: per method tier, per channel for posts, per workspace."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}

METHOD_TIERS: dict[str, int] = {
    "auth.test": 4,
    "users.info": 4,
    "users.list": 2,
    "conversations.open": 3,
    "conversations.info": 3,
    "conversations.members": 4,
    "conversations.history": 3,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "chat.delete": 3,
    "views.open": 4,
    "views.push": 4,
    "views.update": 4,
    "views.publish": 4,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "apps.connections.open": 1,
    "oauth.v2.access": 4,
}
"""Tiers from Slack's method reference. chat.postMessage is "special" (per channel), handled apart."""

MESSAGE_POST_METHODS = frozenset({"chat.postMessage"})


@dataclass
class RateLimits:
    """Limits the Web API enforces. `factor` scales every rate (2.0 = twice as permissive)."""

    enabled: bool = True
    factor: float = 1.0
    tier_per_minute: dict[int, float] = field(default_factory=lambda: dict(TIER_PER_MINUTE))
    method_tiers: dict[str, int] = field(default_factory=lambda: dict(METHOD_TIERS))
    post_per_second_per_channel: float = 1.0
    post_burst_per_channel: int = 3
    workspace_posts_per_minute: float | None = None

    @classmethod
    def disabled(cls) -> RateLimits:
        return cls(enabled=False)


class TokenBucket:
    def __init__(self, capacity: float, per_second: float, now: float) -> None:
        self.capacity = max(1.0, capacity)
        self.per_second = per_second
        self.tokens = self.capacity
        self.updated = now

    def take(self, now: float) -> float:
        """Take one token; 0.0 on success, otherwise seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.per_second


class RateLimiter:
    """Checks a call against every bucket it belongs to; answers a Retry-After in whole seconds or None."""

    def __init__(self, limits: RateLimits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}
        self._lock = threading.Lock()

    def _bucket(self, key: tuple[str, ...], per_minute: float, burst: float, now: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(burst, per_minute / 60.0, now)
            self._buckets[key] = bucket
        return bucket

    def _plan(
        self, team: str, method: str, channel: str | None
    ) -> list[tuple[tuple[str, ...], float, float]]:
        limits, factor = self.limits, self.limits.factor
        plan: list[tuple[tuple[str, ...], float, float]] = []
        if method in MESSAGE_POST_METHODS:
            per_minute = limits.post_per_second_per_channel * 60 * factor
            plan.append(
                (("channel", team, channel or ""), per_minute, limits.post_burst_per_channel * factor)
            )
            if limits.workspace_posts_per_minute is not None:
                per_minute = limits.workspace_posts_per_minute * factor
                plan.append((("team", team), per_minute, per_minute))
        elif method in limits.method_tiers:
            per_minute = limits.tier_per_minute[limits.method_tiers[method]] * factor
            plan.append((("method", team, method), per_minute, per_minute))
        return plan

    def check(self, team: str, method: str, channel: str | None = None) -> int | None:
        if not self.limits.enabled:
            return None
        now = self._monotonic()
        with self._lock:
            buckets = [
                self._bucket(key, pm, burst, now) for key, pm, burst in self._plan(team, method, channel)
            ]
            waits = [b.take(now) for b in buckets]
            if any(waits):
                for bucket, wait in zip(buckets, waits, strict=True):
                    if not wait:
                        bucket.tokens += 1.0
                return max(1, math.ceil(max(waits)))
        return None

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
