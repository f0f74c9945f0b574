"""Time source for the sandbox: real UTC time by default, or a clock tests and the shell can move."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def real_clock() -> datetime:
    return datetime.now(UTC)


class SandboxClock:
    """A settable UTC clock; calling it returns the current sandbox time."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or real_clock()
        if start.tzinfo is None:
            raise ValueError("SandboxClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("SandboxClock needs timezone-aware times")
        with self._lock:
            self._now = moment.astimezone(UTC)
