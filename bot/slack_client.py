"""The listeners' Web API client, pointed at `SLACK_API_URL`.

It never sleeps out a rate limit: a listener thread must stay free to ack. Work that may meet a 429 goes
through the effects queue (`bot.effects`), whose workers wait out Retry-After instead."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.config import Settings


def build_web_client(settings: Settings, token: str | None = None, timeout: int = 5) -> WebClient:
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )
