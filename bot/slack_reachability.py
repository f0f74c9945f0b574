"""Noticing, request by request, that Slack could not be reached, so the person is told that rather than
given a general apology.

The web front opens a watch around each dispatch; the listeners' WebClient reports a failed connection
to it through `NoticeUnreachable`, a slack_sdk retry handler that never retries: a retry would sleep on
the listener thread that has to ack."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

logger = logging.getLogger(__name__)

UNREACHABLE = (URLError, ConnectionError, TimeoutError)
"""What a WebClient raises when no answer came from Slack at all (refused, reset, DNS, timed out)."""


@dataclass
class Watch:
    unreachable: bool = False


_watch: ContextVar[Watch | None] = ContextVar("slack_reachability_watch", default=None)


@contextmanager
def watching() -> Iterator[Watch]:
    """A watch for the request being handled; listener threads share it (they copy the context)."""
    watch = Watch()
    token = _watch.set(watch)
    try:
        yield watch
    finally:
        _watch.reset(token)


class NoticeUnreachable(RetryHandler):
    def __init__(self) -> None:
        super().__init__(max_retry_count=1)

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None and isinstance(error, UNREACHABLE):
            logger.warning("Slack could not be reached (%s)", type(error).__name__)
            watch = _watch.get()
            if watch is not None:
                watch.unreachable = True
        return False
