"""The listeners' Web API client, pointed at `SLACK_API_URL`.

It never sleeps out a rate limit or retries a failed connection: a listener thread must stay free to ack.
Work that may meet a 429 goes through the effects queue (`bot.effects`), whose workers wait out Retry-After
instead; a failed connection is noted so the person hears that Slack isn't answering."""

from __future__ import annotations

import threading

from slack_sdk import WebClient

from bot.config import Settings
from bot.slack_reachability import NoticeUnreachable


def build_web_client(settings: Settings, token: str | None = None, timeout: int = 5) -> WebClient:
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=[NoticeUnreachable()],
    )


class WorkerClients:
    """One WebClient per bot token for background workers: no retry handlers, since workers retry
    through the database (Retry-After, backoff) rather than by sleeping inside a call."""

    def __init__(self, api_url: str, timeout: int) -> None:
        self.api_url = api_url
        self.timeout = timeout
        self._clients: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    def for_token(self, token: str) -> WebClient:
        with self._lock:
            client = self._clients.get(token)
            if client is None:
                client = WebClient(
                    token=token, base_url=self.api_url, timeout=self.timeout, retry_handlers=[]
                )
                self._clients[token] = client
            return client
