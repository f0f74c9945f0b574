"""How fast a workspace may be sent to, and how long to wait after a failure."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

SLACK_DEFAULT_PER_MINUTE = 60.0
"""chat.postMessage allows about one message per second per channel; one per second per workspace keeps
every burst of DMs well inside Slack's workspace-wide limits too."""


@dataclass(frozen=True)
class Pace:
    """A workspace's send rate, shared by every worker through booked slots (see `Outbox.reserve_slots`)."""

    per_minute: float = SLACK_DEFAULT_PER_MINUTE
    window: float = 1.0
    """Seconds of slots a worker books at once: longer windows mean fewer database round trips."""
    max_batch: int = 50

    def __post_init__(self) -> None:
        if self.per_minute <= 0 or self.window <= 0 or self.max_batch < 1:
            raise ValueError("the pace needs a positive rate, window and batch size")

    @property
    def interval(self) -> float:
        """Seconds between two sends in one workspace."""
        return 60.0 / self.per_minute

    @property
    def batch_size(self) -> int:
        return max(1, min(self.max_batch, math.floor(self.window / self.interval)))


@dataclass(frozen=True)
class Backoff:
    """Exponential waits after server errors and timeouts; a nudge is given up on after `max_attempts`."""

    base: float = 2.0
    cap: float = 300.0
    max_attempts: int = 5

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failure (1-based)."""
        return min(self.cap, self.base * 2 ** max(0, attempts - 1))

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def retry_after(headers: Mapping[str, object] | None, default: float = 1.0) -> float:
    """Slack's Retry-After (seconds), tolerant of header case and junk values."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                return max(0.0, float(str(raw)))
            except ValueError:
                return default
    return default
