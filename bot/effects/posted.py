"""Finding out whether a post that failed midway reached Slack after all.

A `chat.postMessage` that times out (or gets a 5xx) may still have been delivered. Every post the workers
make carries message metadata naming what it is (`event_type`) and its queue key; before posting again,
the worker reads the conversation's recent history for a message with that metadata, and records it
instead of sending it twice.
"""

from __future__ import annotations

from slack_sdk import WebClient

HISTORY_PAGE = 50
HISTORY_PAGES = 2
"""How far back to look: the post in doubt was the app's latest attempt, minutes ago at most."""


def metadata(event_type: str, key: str, **extra: object) -> dict[str, object]:
    return {"event_type": event_type, "event_payload": {"key": key, **extra}}


def find_posted(client: WebClient, channel: str, event_type: str, key: str) -> str | None:
    """The ts of the app's message in `channel` carrying this metadata key, if Slack has it."""
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel, limit=HISTORY_PAGE, include_all_metadata=True, cursor=cursor
        )
        for message in page.get("messages") or ():
            found = message.get("metadata") or {}
            if found.get("event_type") == event_type and (found.get("event_payload") or {}).get("key") == key:
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None
    return None
