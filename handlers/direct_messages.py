"""Messages to the app in its Messages tab (Events API `message` events from an `im`): a command word
works as `/mentor <word>` does, through the same router and use cases; anything else is a question
for the FAQ, as `/mentor ask` answers it.

The event is acked at once by Bolt; the reply is a DM queued on the effects path (posted once per
event, keyed by the message's ts) rather than a `response_url` reply, which a message event has none
of. The bot's own messages, edits, deletions and other subtypes, and Slack's retries of an event
already received, are left alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement
from slack_sdk.webhook import WebhookResponse

from bot.domain.commands import ParsedCommand, split_command
from bot.presentation.common import section
from bot.services import Services
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, CommandRouter, Routers

logger = logging.getLogger(__name__)

MENTOR_PREFIX = re.compile(r"^/?mentor\b\s*", re.IGNORECASE)
FORM_ONLY = frozenset({"join"})
"""Subcommands that open a modal: Slack opens one only with a command's or a button's trigger."""
JOIN_REPLY = "Signing up takes a short form. Press the button to open it."


@dataclass(frozen=True)
class DirectMessage:
    team_id: str
    enterprise_id: str | None
    user_id: str
    channel: str
    ts: str
    text: str


def direct_message_of(
    event: Mapping[str, Any], headers: Mapping[str, Any], context: BoltContext
) -> DirectMessage | None:
    """The member's new message in their DM with the app, or None for anything to leave alone."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return None
    user = event.get("user")
    if not isinstance(user, str) or not user or user == context.bot_user_id:
        return None
    if _retry_number(headers) > 0:
        return None
    return DirectMessage(
        team_id=context.team_id or str(event.get("team") or ""),
        enterprise_id=context.enterprise_id or None,
        user_id=user,
        channel=str(event.get("channel") or ""),
        ts=str(event.get("ts") or ""),
        text=str(event.get("text") or ""),
    )


def _retry_number(headers: Mapping[str, Any]) -> int:
    value = headers.get("x-slack-retry-num")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def as_command(text: str, router: CommandRouter) -> ParsedCommand:
    """`goals`, `pause until Monday` or `/mentor help` as the subcommand it names; anything else as a
    question for `ask`. "help" followed by more than a topic ("help me find a mentor") is a question
    too: in a conversation that is what it means ("help goals" and "help admin match" stay help)."""
    typed = MENTOR_PREFIX.sub("", text.strip())
    parsed = split_command(typed)
    spec = router.catalog.resolve(parsed.word) if parsed.word else None
    if spec is not None and spec.name == "help" and not _is_help_topic(parsed.rest, router):
        return ParsedCommand("ask", typed)
    if spec is not None and not typed.endswith("?"):
        return parsed
    if not parsed.word:
        return ParsedCommand("help", "")
    return ParsedCommand("ask", typed)


def _is_help_topic(rest: str, router: CommandRouter) -> bool:
    topic = split_command(rest)
    spec = router.catalog.resolve(topic.word) if topic.word else None
    if spec is None:
        return not topic.word
    return spec.name == "admin" or not topic.rest


class _Replies:
    """Each reply a subcommand gives, posted to the member's DM with the app, once per event."""

    def __init__(self, services: Services, message: DirectMessage) -> None:
        self.services = services
        self.message = message
        self.count = 0

    def post(self, text: str, blocks: Sequence[Block | dict[str, Any]] | None) -> None:
        if not text and not blocks:
            return
        self.count += 1
        key = f"dm_reply:{self.message.channel}:{self.message.ts}:{self.count}"
        with unit_of_work(self.services.db, self.message.team_id, self.message.enterprise_id) as uow:
            self.services.effects.send_dm(
                uow.session, uow.workspace_id, self.message.user_id, text or " ", list(blocks or ()), key
            )


class _DirectAck(Ack):
    """The router's ack for a DM: Bolt has acked the event already, so a reply in it becomes a DM."""

    def __init__(self, replies: _Replies) -> None:
        super().__init__()
        self.replies = replies

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        self.response = BoltResponse(status=200, body="")
        self.replies.post(str(kwargs.get("text") or (args[0] if args else "") or ""), kwargs.get("blocks"))
        return self.response


class _DirectRespond(Respond):
    """The router's follow-up replies for a DM, posted as DMs (a message event has no response_url)."""

    def __init__(self, replies: _Replies) -> None:
        super().__init__(response_url=None)
        self.replies = replies

    def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        self.replies.post(str(kwargs.get("text") or (args[0] if args else "") or ""), kwargs.get("blocks"))
        return WebhookResponse(url="", status_code=200, body="", headers={})


def register(app: App, services: Services, routers: Routers) -> None:
    router = routers.mentor

    @app.event("message")
    def direct_message(
        event: dict[str, Any], request: BoltRequest, client: WebClient, context: BoltContext
    ) -> None:
        message = direct_message_of(event, request.headers, context)
        if message is None:
            return
        replies = _Replies(services, message)
        parsed = as_command(message.text, router)
        if parsed.word in FORM_ONLY:
            button = ButtonElement(text="Join the program", action_id="home_join", style="primary")
            replies.post(
                JOIN_REPLY, [section(JOIN_REPLY), ActionsBlock(block_id="dm_join", elements=[button])]
            )
            return
        command_body = {
            "team_id": message.team_id,
            "enterprise_id": message.enterprise_id,
            "user_id": message.user_id,
            "channel_id": message.channel,
            "text": f"{parsed.word} {parsed.rest}".strip(),
            "trigger_id": "",
        }
        spec = router.catalog.resolve(parsed.word)
        router.dispatch(
            CommandRequest(_DirectAck(replies), _DirectRespond(replies), client, command_body, parsed, spec)
        )
