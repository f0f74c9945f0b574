"""Modals (a stack per user), App Home tabs (one per user) and the trigger_ids that open modals."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import ids
from .blockkit import with_ids
from .clock import Clock
from .directory import Directory
from .errors import ApiError
from .feed import Feed
from .models import View
from .payloads import kept_state

TRIGGER_LIFETIME = timedelta(seconds=3)
MAX_MODAL_STACK = 3


@dataclass
class Trigger:
    team_id: str
    user_id: str
    expires_at: datetime
    exchanged: bool = False


def _stored(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "blocks": with_ids(list(payload.get("blocks") or []), lambda: ids.opaque(3))}


class ViewStore:
    def __init__(self, lock: threading.RLock, clock: Clock, directory: Directory, feed: Feed) -> None:
        self._lock = lock
        self._clock = clock
        self._directory = directory
        self._feed = feed
        self._ids = ids.IdFactory()
        self.views: dict[str, View] = {}
        self.modal_stacks: dict[tuple[str, str], list[str]] = {}
        self.homes: dict[tuple[str, str], str] = {}
        self.triggers: dict[str, Trigger] = {}

    def mint_trigger(self, team_id: str, user_id: str) -> str:
        with self._lock:
            trigger_id = ids.trigger_id()
            self.triggers[trigger_id] = Trigger(team_id, user_id, self._clock() + TRIGGER_LIFETIME)
            return trigger_id

    def exchange_trigger(self, team_id: str, trigger_id: str) -> Trigger:
        with self._lock:
            trigger = self.triggers.get(trigger_id)
            if trigger is None or trigger.team_id != team_id:
                raise ApiError("invalid_trigger_id")
            if self._clock() > trigger.expires_at:
                raise ApiError("expired_trigger_id")
            if trigger.exchanged:
                raise ApiError("exchanged_trigger_id")
            trigger.exchanged = True
            return trigger

    def _new_view(self, team_id: str, user_id: str, payload: dict[str, Any], root: str | None) -> View:
        workspace = self._directory.workspace(team_id)
        external_id = payload.get("external_id")
        if external_id and any(
            v.team_id == team_id and v.external_id == external_id for v in self.views.values()
        ):
            raise ApiError("duplicate_external_id")
        payload = _stored(payload)
        view_id = self._ids.next("V")
        view = View(
            id=view_id,
            team_id=team_id,
            user_id=user_id,
            app_id=workspace.app_id,
            bot_id=workspace.bot_id,
            payload=payload,
            hash=ids.view_hash(self._clock().timestamp()),
            root_view_id=root or view_id,
        )
        self.views[view_id] = view
        return view

    def _announce(self, view: View, kind: str) -> None:
        self._feed.publish(view.team_id, view.user_id, kind, self._clock(), view=view.to_slack())

    def open_modal(self, team_id: str, user_id: str, payload: dict[str, Any]) -> View:
        with self._lock:
            view = self._new_view(team_id, user_id, payload, None)
            self.modal_stacks[(team_id, user_id)] = [view.id]
            self._announce(view, "modal_open")
            return view

    def push_modal(self, team_id: str, user_id: str, payload: dict[str, Any]) -> View:
        with self._lock:
            stack = self.modal_stacks.get((team_id, user_id))
            if not stack:
                raise ApiError("not_found")
            if len(stack) >= MAX_MODAL_STACK:
                raise ApiError("push_limit_reached")
            view = self._new_view(team_id, user_id, payload, self.views[stack[0]].root_view_id)
            view.previous_view_id = stack[-1]
            stack.append(view.id)
            self._announce(view, "modal_push")
            return view

    def find(self, team_id: str, view_id: str | None, external_id: str | None) -> View:
        with self._lock:
            if view_id:
                view = self.views.get(view_id)
            else:
                view = next(
                    (v for v in self.views.values() if v.team_id == team_id and v.external_id == external_id),
                    None,
                )
            if view is None or view.team_id != team_id:
                raise ApiError("not_found")
            return view

    def update(self, view: View, payload: dict[str, Any], expected_hash: str | None) -> View:
        with self._lock:
            if expected_hash and expected_hash != view.hash:
                raise ApiError("hash_conflict")
            if payload.get("type") != view.type:
                raise ApiError(
                    "invalid_arguments", response_metadata={"messages": ["[ERROR] view type cannot change"]}
                )
            view.payload = _stored(payload)
            view.state_values = kept_state(view.payload["blocks"], view.state_values)
            view.hash = ids.view_hash(self._clock().timestamp())
            self._announce(view, "home" if view.type == "home" else "modal_update")
            return view

    def publish_home(
        self, team_id: str, user_id: str, payload: dict[str, Any], expected_hash: str | None
    ) -> View:
        with self._lock:
            current = self.homes.get((team_id, user_id))
            if current is not None:
                return self.update(self.views[current], payload, expected_hash)
            view = self._new_view(team_id, user_id, payload, None)
            self.homes[(team_id, user_id)] = view.id
            self._announce(view, "home")
            return view

    def close_modal(self, team_id: str, user_id: str, *, clear: bool = False) -> None:
        """Close the top modal (or the whole stack), as a submission with an empty ack or `clear` does."""
        with self._lock:
            stack = self.modal_stacks.get((team_id, user_id), [])
            if not stack:
                return
            closed = list(stack) if clear else [stack[-1]]
            del stack[len(stack) - len(closed) :]
            for view_id in closed:
                self._announce(self.views[view_id], "modal_close")

    def set_state(self, view_id: str, values: dict[str, Any]) -> None:
        with self._lock:
            self.views[view_id].state_values = values

    def modal_stack(self, team_id: str, user_id: str) -> list[View]:
        with self._lock:
            return [self.views[v] for v in self.modal_stacks.get((team_id, user_id), [])]

    def home(self, team_id: str, user_id: str) -> View | None:
        with self._lock:
            view_id = self.homes.get((team_id, user_id))
            return self.views[view_id] if view_id else None
