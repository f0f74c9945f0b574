"""Failures a test can ask the Web API to produce on the next calls of a method."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal[500, 502, 503, 504, "timeout", "ratelimited"]


@dataclass(frozen=True)
class Fault:
    kind: int | str
    retry_after: int = 1

    @property
    def label(self) -> str:
        return f"http_{self.kind}" if isinstance(self.kind, int) else str(self.kind)


class FaultInjector:
    def __init__(self) -> None:
        self._queued: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()

    def inject(self, method: str, kind: FaultKind | int | str, times: int = 1, retry_after: int = 1) -> None:
        """Make the next `times` calls of `method` fail with a 5xx status, a timeout or a 429."""
        if isinstance(kind, int) and not 500 <= kind <= 599:
            raise ValueError("only 5xx statuses can be injected")
        if isinstance(kind, str) and kind not in ("timeout", "ratelimited"):
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._queued.setdefault(method, deque()).extend(Fault(kind, retry_after) for _ in range(times))

    def take(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._queued.get(method)
            return queue.popleft() if queue else None

    def pending(self, method: str) -> int:
        with self._lock:
            return len(self._queued.get(method, ()))

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
