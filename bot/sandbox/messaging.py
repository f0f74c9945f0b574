"""Messages, ephemerals and response_url replies, and who sees them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import ids
from .blockkit import with_ids
from .clock import Clock
from .directory import Directory
from .errors import ApiError
from .feed import Feed
from .models import Conversation, Ephemeral, Message

RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_LIFETIME = timedelta(minutes=30)


@dataclass
class ResponseUrl:
    """A minted `response_url`; `message_ts` is the message an interaction came from, if any, and
    `ephemeral_ts` the ephemeral message it came from (which `replace_original` replaces for that user)."""

    id: str
    team_id: str
    user_id: str
    channel: str | None
    created: datetime
    message_ts: str | None = None
    posts: list[dict[str, Any]] = field(default_factory=list)
    ephemeral_ts: str | None = None


class Messaging:
    def __init__(self, lock: threading.RLock, clock: Clock, directory: Directory, feed: Feed) -> None:
        self._lock = lock
        self._clock = clock
        self._directory = directory
        self._feed = feed
        self._last_ts_micros = 0
        self.ephemerals: list[Ephemeral] = []
        self.response_urls: dict[str, ResponseUrl] = {}

    def next_ts(self) -> str:
        """A message ts from the sandbox clock, strictly increasing even when the clock stands still."""
        with self._lock:
            micros = int(self._clock().timestamp() * 1_000_000)
            self._last_ts_micros = max(micros, self._last_ts_micros + 1)
            seconds, fraction = divmod(self._last_ts_micros, 1_000_000)
            return f"{seconds}.{fraction:06d}"

    def _humans(self, conversation: Conversation) -> list[str]:
        return [m for m in conversation.members if not self._directory.users[m].is_bot]

    def _announce(self, conversation: Conversation, kind: str, message: Message) -> None:
        for member in self._humans(conversation):
            self._feed.publish(
                conversation.team_id,
                member,
                kind,
                self._clock(),
                channel=conversation.id,
                ts=message.ts,
                text=message.text,
                blocks=message.blocks,
                data={"thread_ts": message.thread_ts, "files": message.files, "user": message.user},
            )

    def post(self, conversation: Conversation, author: str, **content: Any) -> Message:
        if content.get("blocks"):
            content["blocks"] = with_ids(content["blocks"], lambda: ids.opaque(3))
        with self._lock:
            author_user = self._directory.users[author]
            workspace = self._directory.workspace(conversation.team_id)
            message = Message(
                channel=conversation.id,
                ts=self.next_ts(),
                user=author,
                bot_id=author_user.bot_id,
                app_id=workspace.app_id if author_user.is_bot else None,
                team=conversation.team_id,
                **content,
            )
            conversation.messages.append(message)
            self._announce(conversation, "message", message)
            return message

    def update(self, conversation: Conversation, ts: str, editor: str, **content: Any) -> Message:
        with self._lock:
            message = conversation.find(ts)
            if message is None:
                raise ApiError("message_not_found")
            if message.user != editor:
                raise ApiError("cant_update_message")
            if content.get("blocks"):
                content["blocks"] = with_ids(content["blocks"], lambda: ids.opaque(3))
            for key, value in content.items():
                setattr(message, key, value)
            message.edited_ts = self.next_ts()
            self._announce(conversation, "message_changed", message)
            return message

    def delete(self, conversation: Conversation, ts: str, remover: str) -> Message:
        with self._lock:
            message = conversation.find(ts)
            if message is None:
                raise ApiError("message_not_found")
            if message.user != remover:
                raise ApiError("cant_delete_message")
            conversation.messages.remove(message)
            self._announce(conversation, "message_deleted", message)
            return message

    def post_ephemeral(
        self,
        team_id: str,
        channel: str,
        user: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        source: str,
        *,
        replaces: str | None = None,
    ) -> Ephemeral:
        if blocks:
            blocks = with_ids(blocks, lambda: ids.opaque(3))
        with self._lock:
            ephemeral = Ephemeral(team_id, channel, user, self.next_ts(), text, blocks, source)
            self.ephemerals.append(ephemeral)
            self._feed.publish(
                team_id,
                user,
                "ephemeral",
                self._clock(),
                channel=channel,
                ts=ephemeral.ts,
                text=text,
                blocks=blocks,
                data={"source": source, "replaces": replaces} if replaces else {"source": source},
            )
            return ephemeral

    def mint_response_url(
        self,
        team_id: str,
        user_id: str,
        channel: str | None,
        message_ts: str | None = None,
        *,
        ephemeral_ts: str | None = None,
    ) -> ResponseUrl:
        with self._lock:
            entry = ResponseUrl(
                ids.opaque(), team_id, user_id, channel, self._clock(), message_ts, ephemeral_ts=ephemeral_ts
            )
            self.response_urls[entry.id] = entry
            return entry

    def respond(self, url_id: str, body: dict[str, Any]) -> None:
        """Apply a response_url POST as Slack does: ephemeral by default, in_channel, replace or delete."""
        with self._lock:
            entry = self.response_urls.get(url_id)
            if entry is None:
                raise ApiError("invalid_url")
            if self._clock() - entry.created > RESPONSE_URL_LIFETIME:
                raise ApiError("expired_url")
            if len(entry.posts) >= RESPONSE_URL_MAX_USES:
                raise ApiError("used_url")
            entry.posts.append(body)
            self._apply_response(entry, body)
            self._feed.touch()

    def _apply_response(self, entry: ResponseUrl, body: dict[str, Any]) -> None:
        text = str(body.get("text", ""))
        blocks = body.get("blocks")
        channel = entry.channel
        workspace = self._directory.workspace(entry.team_id)
        original = None
        if channel and entry.message_ts and channel in self._directory.conversations:
            original = self._directory.conversations[channel].find(entry.message_ts)
        if body.get("delete_original"):
            if original is not None:
                self.delete(self._directory.conversations[channel or ""], original.ts, original.user or "")
            else:
                removed = {"replaces": entry.ephemeral_ts} if entry.ephemeral_ts else {}
                self._feed.publish(
                    entry.team_id,
                    entry.user_id,
                    "ephemeral_deleted",
                    self._clock(),
                    channel=channel,
                    data=removed,
                )
            return
        if body.get("replace_original") and original is not None:
            conversation = self._directory.conversations[channel or ""]
            self.update(conversation, original.ts, original.user or "", text=text, blocks=blocks)
            return
        if body.get("response_type") == "in_channel" and channel in self._directory.conversations:
            conversation = self._directory.conversations[channel or ""]
            thread_ts = body.get("thread_ts")
            self.post(conversation, workspace.bot_user_id, text=text, blocks=blocks, thread_ts=thread_ts)
            return
        replaces = entry.ephemeral_ts if body.get("replace_original") else None
        self.post_ephemeral(
            entry.team_id,
            channel or "",
            entry.user_id,
            text,
            blocks,
            source="response_url",
            replaces=replaces,
        )
