"""Acting as a Slack user: builds the requests Slack would send to the app and applies the app's acks.

alice = sandbox.as_user(team_id, alice_id, HttpTransport(url, sandbox.signing_secret))
sent = alice.slash_command("/mentor", "help")       # sent.status, sent.body (the ack)
alice.click("join_circle")                           # a button in the last message or modal she saw
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from .models import Conversation, FeedItem, View
from .payloads import dispatches, find_element, selection, state_values
from .state import SandboxState
from .transports import Delivered, HttpTransport, Outgoing, RequestKind, SocketModeTransport, Transport, sign

__all__ = ["HttpTransport", "SentRequest", "SocketModeTransport", "UserSession", "sign"]


@dataclass
class SentRequest:
    """What was sent and what came back: the HTTP status (200 for Socket Mode) and the ack body."""

    outgoing: Outgoing
    delivered: Delivered
    state: SandboxState
    response_url: str | None = None
    trigger_id: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return self.delivered.status

    @property
    def body(self) -> Any:
        return self.delivered.body

    @property
    def payload(self) -> dict[str, Any]:
        return self.outgoing.content

    def responses(self) -> list[dict[str, Any]]:
        """JSON bodies the app POSTed to this request's response_url so far."""
        return self.state.response_url_posts(self.response_url) if self.response_url else []

    def answered(self) -> bool:
        """Answered as a person sees it: a message in the ack, a post to response_url, or a modal opened."""
        text, blocks, _ = _text_and_blocks(self.body) if self.status == 200 else ("", None, None)
        trigger = self.state.views.triggers.get(self.trigger_id or "")
        return bool(text or blocks or self.responses()) or (trigger is not None and trigger.exchanged)

    def wait_until_answered(self, timeout: float) -> bool:
        self.state.feed.wait_until(self.answered, timeout)
        return self.answered()

    def wait_for_response(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait (on the sandbox's condition, not by sleeping) until `count` responses have arrived."""
        self.state.feed.wait_until(lambda: len(self.responses()) >= count, timeout)
        return self.responses()

    def reply(self, timeout: float = 5.0) -> dict[str, Any]:
        """The app's answer as the user sees it: the ack's message, or else the first one it posted to
        response_url (waiting up to `timeout`); {} when there was none."""
        if isinstance(self.body, dict) and ("text" in self.body or "blocks" in self.body):
            return self.body
        responses = self.wait_for_response(1, timeout)
        return responses[0] if responses else {}


def _text_and_blocks(body: Any) -> tuple[str, list[dict[str, Any]] | None, str]:
    if isinstance(body, dict):
        return str(body.get("text", "")), body.get("blocks"), str(body.get("response_type", "ephemeral"))
    return (str(body) if body else ""), None, "ephemeral"


class UserSession:
    """One sandbox user in one workspace, sending requests to the app through a transport."""

    def __init__(self, state: SandboxState, team_id: str, user_id: str, transport: Transport) -> None:
        self.state = state
        self.workspace = state.directory.workspace(team_id)
        self.user = state.directory.user(team_id, user_id)
        self.transport = transport

    # -- shared pieces ---------------------------------------------------------------------------

    @property
    def _app(self) -> Any:
        return self.state.directory.app

    def dm(self) -> Conversation:
        """The user's direct message conversation with the bot."""
        return self.state.directory.open_dm(
            self.workspace.team_id, [self.workspace.bot_user_id, self.user.id]
        )[0]

    def _send(self, kind: RequestKind, content: dict[str, Any], **extra: Any) -> SentRequest:
        outgoing = Outgoing(kind, content)
        return SentRequest(outgoing, self.transport.deliver(outgoing), self.state, **extra)

    def _envelope(self) -> dict[str, Any]:
        return {
            "user": self.user.short_ref(),
            "api_app_id": self._app.app_id,
            "token": self._app.verification_token,
            "team": self.workspace.team_ref(),
            "enterprise": self.workspace.enterprise_ref(),
            "is_enterprise_install": False,
        }

    def _channel_ref(self, conversation: Conversation) -> dict[str, str]:
        name = "directmessage" if conversation.kind == "im" else conversation.name
        return {"id": conversation.id, "name": name}

    def _show_ack(self, sent: SentRequest, channel: str) -> None:
        """Slack shows a non-empty slash command ack to the user (or the channel when in_channel)."""
        if sent.status != 200 or not sent.body:
            return
        text, blocks, response_type = _text_and_blocks(sent.body)
        if not text and not blocks:
            return
        conversation = self.state.directory.conversations[channel]
        if response_type == "in_channel":
            self.state.messaging.post(conversation, self.workspace.bot_user_id, text=text, blocks=blocks)
        else:
            self.state.messaging.post_ephemeral(
                self.workspace.team_id, channel, self.user.id, text, blocks, source="ack"
            )

    # -- slash commands ----------------------------------------------------------------------------

    def slash_command(
        self, command: str, text: str = "", channel_id: str | None = None, *, settle: float = 5.0
    ) -> SentRequest:
        """Type `command text`; like a person, wait (up to `settle` seconds, 0 not at all) until the app
        has answered: a message in the ack, a post to response_url, or a modal opened with the trigger."""
        conversation = (
            self.state.directory.conversation(self.workspace.team_id, channel_id, viewer=self.user.id)
            if channel_id
            else self.dm()
        )
        response_url = self._mint_response_url(conversation.id)
        trigger_id = self.state.views.mint_trigger(self.workspace.team_id, self.user.id)
        fields = {
            "token": self._app.verification_token,
            "team_id": self.workspace.team_id,
            "team_domain": self.workspace.domain,
            "channel_id": conversation.id,
            "channel_name": self._channel_ref(conversation)["name"],
            "user_id": self.user.id,
            "user_name": self.user.name,
            "command": command,
            "text": text,
            "api_app_id": self._app.app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        if self.workspace.enterprise_id:
            fields["enterprise_id"] = self.workspace.enterprise_id
            fields["enterprise_name"] = self.workspace.enterprise_name or ""
        sent = self._send("slash_commands", fields, response_url=response_url, trigger_id=trigger_id)
        self._show_ack(sent, conversation.id)
        if settle and sent.status == 200:
            sent.wait_until_answered(settle)
        return sent

    def _mint_response_url(
        self, channel: str | None, message_ts: str | None = None, *, ephemeral_ts: str | None = None
    ) -> str:
        entry = self.state.messaging.mint_response_url(
            self.workspace.team_id, self.user.id, channel, message_ts, ephemeral_ts=ephemeral_ts
        )
        if not self.state.base_url:
            raise RuntimeError("start the sandbox before sending requests that carry a response_url")
        return f"{self.state.base_url}/response/{entry.id}"

    # -- block actions -----------------------------------------------------------------------------

    def _surfaces(self) -> list[FeedItem]:
        return list(reversed(self.state.feed.items(self.workspace.team_id, self.user.id)))

    def click(self, action_id: str, choice: Any = None) -> SentRequest:
        """Use the element with `action_id` in the newest message, modal or Home tab this user saw."""
        open_modal = self.state.views.modal_stack(self.workspace.team_id, self.user.id)
        if open_modal and find_element(open_modal[-1].payload["blocks"], action_id):
            return self.view_action(open_modal[-1], action_id, choice)
        for item in self._surfaces():
            if item.kind in ("message", "message_changed", "ephemeral") and item.blocks:
                if find_element(list(item.blocks), action_id):
                    return self.message_action(item, action_id, choice)
            elif item.kind == "home" and item.view is not None:
                view = self.state.views.views[item.view["id"]]
                if find_element(view.payload["blocks"], action_id):
                    return self.view_action(view, action_id, choice)
        raise LookupError(f"{self.user.name} has seen no element with action_id {action_id!r}")

    def _action(self, block_id: str, element: dict[str, Any], choice: Any) -> dict[str, Any]:
        action: dict[str, Any] = {
            "type": element["type"],
            "action_id": element["action_id"],
            "block_id": block_id,
            "action_ts": self.state.messaging.next_ts(),
        }
        if element["type"] == "button":
            action["text"] = element.get("text")
            if "value" in element:
                action["value"] = element["value"]
            if "style" in element:
                action["style"] = element["style"]
        else:
            action.update(selection(element, choice))
        return action

    def message_action(
        self, item: FeedItem, action_id: str, choice: Any = None, *, block_id: str | None = None
    ) -> SentRequest:
        """A block_actions payload for an element in a message (or ephemeral message) the user saw; with
        `block_id`, the element in that block (several blocks may share an action id)."""
        conversation = self.state.directory.conversations[item.channel or ""]
        is_ephemeral = item.kind == "ephemeral"
        message = None if is_ephemeral else conversation.find(item.ts or "")
        blocks = message.blocks if message is not None else list(item.blocks or [])
        found = find_element(blocks or [], action_id, block_id)
        if found is None:
            raise LookupError(f"the message no longer has an element {action_id!r}")
        response_url = self._mint_response_url(
            conversation.id,
            None if is_ephemeral else item.ts,
            ephemeral_ts=item.ts if is_ephemeral else None,
        )
        payload = {
            "type": "block_actions",
            **self._envelope(),
            "container": {
                "type": "message",
                "message_ts": item.ts,
                "channel_id": conversation.id,
                "is_ephemeral": is_ephemeral,
            },
            "trigger_id": self.state.views.mint_trigger(self.workspace.team_id, self.user.id),
            "channel": self._channel_ref(conversation),
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [self._action(*found, choice)],
        }
        if message is not None:
            payload["message"] = message.to_slack()
        return self._send("interactive", payload, response_url=response_url, trigger_id=payload["trigger_id"])

    def view_action(
        self,
        view: View,
        action_id: str,
        choice: Any = None,
        *,
        block_id: str | None = None,
        values: dict[str, Any] | None = None,
    ) -> SentRequest:
        """A block_actions payload for an element in a modal or the Home tab (in the block `block_id`
        when given). In a modal, `values` (by action_id) are what the user has typed elsewhere in it so
        far; `view.state.values` carries them, the new choice and everything entered before, as Slack's
        does. An input block's element sends nothing unless the block has `dispatch_action`."""
        blocks = view.payload["blocks"]
        found = find_element(blocks, action_id, block_id)
        if found is None:
            raise LookupError(f"view {view.id} has no element {action_id!r}")
        if not dispatches(blocks, found[0]):
            raise LookupError(
                f"{action_id!r} is in an input block without dispatch_action: Slack sends nothing"
            )
        if view.type == "modal":
            typed = dict(values or {})
            holder = next(b for b in blocks if str(b.get("block_id", "")) == found[0])
            if holder.get("type") in ("input", "actions") and found[1].get("type") != "button":
                typed[action_id] = choice
            self.state.views.set_state(view.id, state_values(blocks, typed, view.state_values))
        trigger_id = self.state.views.mint_trigger(self.workspace.team_id, self.user.id)
        payload = {
            "type": "block_actions",
            **self._envelope(),
            "container": {"type": "view", "view_id": view.id},
            "trigger_id": trigger_id,
            "view": view.to_slack(),
            "actions": [self._action(*found, choice)],
        }
        return self._send("interactive", payload, trigger_id=trigger_id)

    # -- modals ------------------------------------------------------------------------------------

    def current_modal(self) -> View:
        stack = self.state.views.modal_stack(self.workspace.team_id, self.user.id)
        if not stack:
            raise LookupError(f"{self.user.name} has no modal open")
        return stack[-1]

    def view_submission(self, view: View | None = None, values: dict[str, Any] | None = None) -> SentRequest:
        """Submit a modal with `values` by action_id; applies the ack's response_action as Slack does."""
        view = view or self.current_modal()
        self.state.views.set_state(
            view.id, state_values(view.payload["blocks"], values or {}, view.state_values)
        )
        trigger_id = self.state.views.mint_trigger(self.workspace.team_id, self.user.id)
        payload = {
            "type": "view_submission",
            **self._envelope(),
            "trigger_id": trigger_id,
            "view": view.to_slack(),
            "response_urls": [],
        }
        sent = self._send("interactive", payload, trigger_id=trigger_id)
        self._apply_submission_ack(sent)
        return sent

    def _apply_submission_ack(self, sent: SentRequest) -> None:
        if sent.status != 200:
            return
        body = sent.body if isinstance(sent.body, dict) else {}
        action = body.get("response_action")
        team, user = self.workspace.team_id, self.user.id
        if action == "errors":
            sent.errors = dict(body.get("errors") or {})
        elif action == "update":
            self.state.views.update(self.current_modal(), body["view"], None)
        elif action == "push":
            self.state.views.push_modal(team, user, body["view"])
        else:
            self.state.views.close_modal(team, user, clear=action == "clear")

    def close_modal(self) -> SentRequest | None:
        """Press the modal's close button; Slack tells the app only when notify_on_close is set."""
        view = self.current_modal()
        clear = bool(view.payload.get("clear_on_close"))
        self.state.views.close_modal(self.workspace.team_id, self.user.id, clear=clear)
        if not view.payload.get("notify_on_close"):
            return None
        return self.view_closed(view)

    def view_closed(self, view: View) -> SentRequest:
        payload = {"type": "view_closed", **self._envelope(), "view": view.to_slack(), "is_cleared": False}
        return self._send("interactive", payload)

    # -- events ------------------------------------------------------------------------------------

    def event(self, event: dict[str, Any]) -> SentRequest:
        """Wrap an event as Slack's Events API `event_callback` for this workspace."""
        now = self.state.clock()
        body = {
            "token": self._app.verification_token,
            "team_id": self.workspace.team_id,
            "api_app_id": self._app.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": "Ev" + secrets.token_hex(5).upper(),
            "event_time": int(now.timestamp()),
            "authorizations": [
                {
                    "enterprise_id": self.workspace.enterprise_id,
                    "team_id": self.workspace.team_id,
                    "user_id": self.workspace.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": "4-" + secrets.token_urlsafe(24),
        }
        if self.workspace.enterprise_id:
            body["enterprise_id"] = self.workspace.enterprise_id
        return self._send("events_api", body)

    def app_home_opened(self, tab: str = "home") -> SentRequest:
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": self.user.id,
            "channel": self.dm().id,
            "tab": tab,
            "event_ts": self.state.messaging.next_ts(),
        }
        home = self.state.views.home(self.workspace.team_id, self.user.id)
        if home is not None and tab == "home":
            event["view"] = home.to_slack()
        return self.event(event)

    def _conversation(self, channel_id: str | None) -> Conversation:
        if channel_id:
            return self.state.directory.conversation(self.workspace.team_id, channel_id, viewer=self.user.id)
        return self.dm()

    @staticmethod
    def _channel_type(conversation: Conversation) -> str:
        return {"public": "channel", "private": "group"}.get(conversation.kind, conversation.kind)

    def say(self, text: str, channel_id: str | None = None) -> SentRequest:
        """Post a message as this user (into the DM with the bot by default) and send its `message` event
        as Slack does for `message.im` and the other message subscriptions: the text as the client sent
        it (`&`, `<`, `>` as entities, mentions as `<@U…>`), a `client_msg_id`, and its rich-text blocks."""
        conversation = self._conversation(channel_id)
        message = self.state.messaging.post(conversation, self.user.id, text=text)
        event = {
            "type": "message",
            "client_msg_id": str(uuid.uuid4()),
            "channel": conversation.id,
            "user": self.user.id,
            "text": text,
            "blocks": [_rich_text(text)],
            "ts": message.ts,
            "event_ts": message.ts,
            "team": self.workspace.team_id,
            "channel_type": self._channel_type(conversation),
        }
        return self.event(event)

    def edit(self, ts: str, text: str, channel_id: str | None = None) -> SentRequest:
        """Edit one of this user's messages and send the `message_changed` event Slack sends for it."""
        conversation = self._conversation(channel_id)
        before = conversation.find(ts)
        if before is None:
            raise LookupError(f"no message {ts} in {conversation.id}")
        previous = {"type": "message", "user": self.user.id, "text": before.text, "ts": ts}
        changed = self.state.messaging.update(conversation, ts, self.user.id, text=text)
        event_ts = self.state.messaging.next_ts()
        event = {
            "type": "message",
            "subtype": "message_changed",
            "message": {**previous, "text": text, "edited": {"user": self.user.id, "ts": changed.edited_ts}},
            "previous_message": previous,
            "channel": conversation.id,
            "hidden": True,
            "ts": event_ts,
            "event_ts": event_ts,
            "channel_type": self._channel_type(conversation),
        }
        return self.event(event)

    def retry(self, sent: SentRequest, attempt: int = 1, reason: str = "http_timeout") -> SentRequest:
        """Deliver an Events API request again as Slack retries one it thinks went unanswered: the same
        body (same `event_id`), with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason` (or the Socket Mode
        envelope's `retry_attempt` and `retry_reason`)."""
        if isinstance(self.transport, SocketModeTransport):
            delivered = self.transport.deliver(sent.outgoing, retry_attempt=attempt, retry_reason=reason)
        elif isinstance(self.transport, HttpTransport):
            headers = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": reason}
            delivered = self.transport.deliver(sent.outgoing, headers=headers)
        else:
            raise TypeError(f"cannot retry over {type(self.transport).__name__}")
        return SentRequest(sent.outgoing, delivered, self.state)


def _rich_text(text: str) -> dict[str, Any]:
    """The rich_text block Slack's clients attach to a plain message."""
    return {
        "type": "rich_text",
        "block_id": secrets.token_urlsafe(4)[:5],
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
    }
