"""All of the sandbox's in-memory state behind one lock, and the queries tests ask of it."""

from __future__ import annotations

import threading
from typing import Any

from . import ids
from .clock import Clock, real_clock
from .directory import Directory
from .feed import Feed
from .files import FileStore
from .messaging import Messaging
from .models import Call, Ephemeral, Message, UploadedFile
from .views_store import ViewStore


class SandboxState:
    def __init__(self, clock: Clock = real_clock) -> None:
        self.clock = clock
        self.base_url = ""
        self.lock = threading.RLock()
        self.ids = ids.IdFactory()
        self.feed = Feed(self.lock)
        self.directory = Directory(self.lock, clock, self.ids)
        self.messaging = Messaging(self.lock, clock, self.directory, self.feed)
        self.views = ViewStore(self.lock, clock, self.directory, self.feed)
        self.files = FileStore(self.lock, clock, self.ids)
        self._calls: list[Call] = []

    def record(self, call: Call) -> None:
        with self.lock:
            self._calls.append(call)
        self.feed.touch()

    def wait_for_calls(self, method: str | None = None, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait (on the shared condition) until at least `count` matching calls are recorded."""
        self.feed.wait_until(lambda: len(self.calls(method)) >= count, timeout)
        return self.calls(method)

    def calls(self, method: str | None = None, team_id: str | None = None) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self._calls
                if (method is None or c.method == method) and (team_id is None or c.team_id == team_id)
            ]

    def reset_calls(self) -> None:
        with self.lock:
            self._calls.clear()

    def messages(self, channel: str) -> list[Message]:
        with self.lock:
            conversation = self.directory.conversations.get(channel)
            return list(conversation.messages) if conversation else []

    def dms_to(self, team_id: str, user_id: str) -> list[Message]:
        """Messages in the bot's direct message with the user."""
        with self.lock:
            workspace = self.directory.workspace(team_id)
            for conversation in self.directory.conversations.values():
                if conversation.kind == "im" and set(conversation.members) == {
                    workspace.bot_user_id,
                    user_id,
                }:
                    return list(conversation.messages)
            return []

    def home_view(self, team_id: str, user_id: str) -> dict[str, Any] | None:
        view = self.views.home(team_id, user_id)
        return view.to_slack() if view else None

    def modal_stack(self, team_id: str, user_id: str) -> list[dict[str, Any]]:
        return [v.to_slack() for v in self.views.modal_stack(team_id, user_id)]

    def ephemerals_for(self, team_id: str, user_id: str) -> list[Ephemeral]:
        with self.lock:
            return [e for e in self.messaging.ephemerals if e.team_id == team_id and e.user == user_id]

    def uploaded_files(self, team_id: str | None = None) -> list[UploadedFile]:
        with self.lock:
            return [f for f in self.files.files.values() if f.completed and team_id in (None, f.team_id)]

    def response_url_posts(self, url: str) -> list[dict[str, Any]]:
        with self.lock:
            entry = self.messaging.response_urls.get(url.rstrip("/").rsplit("/", 1)[-1])
            return list(entry.posts) if entry else []
