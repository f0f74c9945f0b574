"""What each user would see, in order, with a way to wait for the next thing to appear."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .models import FeedItem


class Feed:
    def __init__(self, lock: threading.RLock) -> None:
        self._items: list[FeedItem] = []
        self._changed = threading.Condition(lock)

    def publish(self, team_id: str, user_id: str, kind: str, at: datetime, **fields: Any) -> FeedItem:
        with self._changed:
            item = FeedItem(
                seq=len(self._items) + 1, team_id=team_id, user_id=user_id, kind=kind, at=at, **fields
            )
            self._items.append(item)
            self._changed.notify_all()
            return item

    def items(self, team_id: str, user_id: str, after: int = 0) -> list[FeedItem]:
        with self._changed:
            return [
                i
                for i in self._items[after:]
                if i.team_id == team_id and i.user_id == user_id and i.seq > after
            ]

    @property
    def last_seq(self) -> int:
        with self._changed:
            return len(self._items)

    def touch(self) -> None:
        """Wake waiters after a change that is not itself a feed item (e.g. a response_url post)."""
        with self._changed:
            self._changed.notify_all()

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def wait_for(
        self,
        team_id: str,
        user_id: str,
        *,
        after: int = 0,
        timeout: float = 5.0,
        match: Callable[[FeedItem], bool] | None = None,
    ) -> FeedItem | None:
        """The first item for this user with `seq > after` (and matching), waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for item in self.items(team_id, user_id, after):
                    if match is None or match(item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
