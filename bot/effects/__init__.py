"""Slack work a request causes beyond its reply, queued in the database and done by effect workers."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy import event
from sqlalchemy.orm import Session

from storage.effects import DM, FILE, UPDATE, VOTE_POST, VOTE_UPDATE, WELCOME, EffectQueue


class Effects:
    """The port listeners and use cases queue Slack work through; it commits with their transaction."""

    def __init__(self, *, home_spacing: float, wall: Callable[[], float] = time.time) -> None:
        self.home_spacing = home_spacing
        self.wall = wall
        self.wake: Callable[[], None] = lambda: None
        """Set by the composition root to nudge this process's worker once a transaction commits."""

    def refresh_homes(self, session: Session, workspace_id: int, user_ids: Iterable[str]) -> None:
        EffectQueue(session).refresh_homes(workspace_id, user_ids, self.wall(), spacing=self.home_spacing)
        self._wake_after_commit(session)

    def send_dm(
        self,
        session: Session,
        workspace_id: int,
        user_id: str,
        text: str,
        blocks: Sequence[Block | dict[str, Any]] = (),
        key: str = "",
    ) -> None:
        """A direct message to one member, posted once (with a `key`, however often it is asked for)."""
        payload = {"text": text, "blocks": [b if isinstance(b, dict) else b.to_dict() for b in blocks]}
        self.queue(session, workspace_id, DM, user_id, payload, key)

    def send_file(
        self, session: Session, workspace_id: int, user_id: str, report: str, key: str = "", **params: Any
    ) -> None:
        """A file made when it is sent (so its contents are never stored), uploaded to the member's DM, or
        to the conversation a `channel` param names."""
        self.queue(session, workspace_id, FILE, user_id, {"report": report, **params}, key)

    def post_vote(self, session: Session, workspace_id: int, plan_id: int) -> None:
        """A find-a-time vote posted in its group DM, once."""
        self.queue(session, workspace_id, VOTE_POST, "", {"plan_id": plan_id}, f"{VOTE_POST}:{plan_id}")

    def refresh_vote(self, session: Session, workspace_id: int, plan_id: int) -> None:
        """The vote message edited to show the votes as they are when it is sent."""
        self.queue(session, workspace_id, VOTE_UPDATE, "", {"plan_id": plan_id})

    def update_message(self, session: Session, workspace_id: int, channel: str, ts: str, text: str) -> None:
        """Replace the text of a message the app posted earlier."""
        self.queue(session, workspace_id, UPDATE, "", {"channel": channel, "ts": ts, "text": text})

    def forget(self, session: Session, workspace_id: int, user_id: str) -> None:
        """Someone erased their data: drop everything queued for them, then show them the welcome page.

        The welcome page is a one-off effect, removed once published, so no row keeps their Slack id.
        """
        queue = EffectQueue(session)
        queue.forget_member(workspace_id, user_id)
        self.queue(session, workspace_id, WELCOME, user_id, {})

    def queue(
        self,
        session: Session,
        workspace_id: int,
        kind: str,
        user_id: str,
        payload: dict[str, Any],
        key: str = "",
    ) -> None:
        """Any one-off effect; with a `key`, stored once however often it is asked for."""
        EffectQueue(session).add(workspace_id, kind, user_id, payload, self.wall(), key)
        self._wake_after_commit(session)

    def _wake_after_commit(self, session: Session) -> None:
        event.listen(session, "after_commit", lambda _session: self.wake(), once=True)
