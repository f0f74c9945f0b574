"""Time source for the sandbox: real UTC time by default, or a clock tests and the shell can move."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

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

    # -- kept with the data ------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the current time to `path` (ISO 8601, one line), replacing the file in one step."""
        partial = path.with_name(path.name + ".partial")
        partial.write_text(self().isoformat() + "\n", encoding="utf-8")
        partial.replace(path)

    @classmethod
    def resume(cls, path: Path, now: Clock = real_clock) -> SandboxClock:
        """The clock saved at `path`, so data planned for the sandbox's future stays in its future; never
        earlier than `now()` (a missing or unreadable file starts from `now()`)."""
        current = now()
        try:
            saved = datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return cls(current)
        if saved.tzinfo is None:
            return cls(current)
        return cls(max(saved, current))
