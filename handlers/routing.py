"""Dispatching `/mentor <subcommand>` to the area that owns it.

Each area registers its subcommands with a `CommandSpec` (usage and summary), so the help text and the
"did you mean" suggestions always match what the app can really do.

Bolt's listener threads only ack. A subcommand that must read or write before it can answer is acked
empty at once and finishes on the follow-up executor, replying through `response_url`; only subcommands
registered `in_ack` (a static reply, or a modal that must open while its `trigger_id` is fresh) run on
the listener thread. So a burst of slow commands never holds up another member's ack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from sqlalchemy.exc import OperationalError

from bot.domain.commands import CommandCatalog, CommandSpec, ParsedCommand
from bot.domain.members.slack_text import typed
from bot.logs import new_request_id

logger = logging.getLogger(__name__)

DATABASE_BUSY = (
    "Sorry, I'm a bit overloaded and couldn't save or look that up just now. Nothing was changed: "
    "please try again in a minute."
)


FORM_NEEDS_A_TRIGGER = (
    "That one opens a form, and I can only open forms from a slash command or a button. "
    "Type `{command}` in any channel or here in the message box and it opens."
)


@dataclass
class CommandRequest:
    bolt_ack: Ack
    respond: Respond
    client: WebClient
    body: dict[str, Any]
    parsed: ParsedCommand
    spec: CommandSpec | None

    @property
    def args(self) -> str:
        return self.parsed.rest

    @property
    def user_id(self) -> str:
        return self.body.get("user_id", "")

    @property
    def team_id(self) -> str:
        return self.body.get("team_id", "")

    @property
    def enterprise_id(self) -> str | None:
        return self.body.get("enterprise_id") or None

    @property
    def trigger_id(self) -> str:
        return self.body.get("trigger_id", "")

    @property
    def acked(self) -> bool:
        return self.bolt_ack.response is not None

    def ack(self) -> None:
        """Acknowledge with no reply yet (Slack shows nothing); a no-op once acked."""
        if not self.acked:
            self.bolt_ack()

    def reply(self, text: str, blocks: Sequence[Block | dict[str, Any]] | None = None) -> None:
        """An ephemeral reply: in the ack when still possible (fastest), through response_url after."""
        payload = (
            [block if isinstance(block, dict) else block.to_dict() for block in blocks] if blocks else None
        )
        if self.acked:
            self.respond(text=text, blocks=payload, response_type="ephemeral", replace_original=False)
        else:
            self.bolt_ack(text=text, blocks=payload, response_type="ephemeral")

    def open_modal(self, view: View) -> None:
        """Open `view` with the command's trigger_id. A command typed in the app's Messages tab has none
        (Slack gives triggers only to slash commands and clicks), so it says how to open the form instead."""
        if not self.trigger_id:
            self.reply(FORM_NEEDS_A_TRIGGER.format(command=typed(f"/mentor {self.body.get('text', '')}", 60)))
            return
        self.ack()
        self.client.views_open(trigger_id=self.trigger_id, view=view.to_dict())


SubcommandHandler = Callable[[CommandRequest], None]


def _logged_name(request: CommandRequest) -> str:
    """The subcommand's registered name: the word as typed is member text (a typo, or anything at all)."""
    return request.spec.name if request.spec else "(unrecognised)"


class CommandRouter:
    def __init__(self, followups: Executor) -> None:
        self.catalog = CommandCatalog()
        self.followups = followups
        self._handlers: dict[str, tuple[SubcommandHandler, bool]] = {}
        self.fallback: SubcommandHandler | None = None

    def add(self, spec: CommandSpec, handler: SubcommandHandler, *, in_ack: bool = False) -> None:
        self.catalog.add(spec)
        self._handlers[spec.name] = (handler, in_ack)

    def dispatch(self, request: CommandRequest) -> None:
        handler, in_ack = self._handlers[request.spec.name] if request.spec else (self.fallback, True)
        if handler is None:
            raise LookupError("no handler for an unknown /mentor subcommand")
        if in_ack or request.acked:
            self._run(handler, request)
            return
        request.ack()
        self.followups.submit(self._run, handler, request)

    def later(self, handler: SubcommandHandler, request: CommandRequest) -> None:
        """From an `in_ack` handler that turns out to need no modal: ack now, finish on the executor."""
        request.ack()
        self.followups.submit(self._run, handler, request)

    def _run(self, handler: SubcommandHandler, request: CommandRequest) -> None:
        try:
            handler(request)
        except OperationalError:
            logger.warning("/mentor %s: the database did not answer in time", _logged_name(request))
            request.reply(DATABASE_BUSY)
        except Exception:
            reference = new_request_id()
            logger.exception("/mentor %s failed (ref %s)", _logged_name(request), reference)
            request.reply(
                f"Sorry, something went wrong on our side. Please try again in a moment (ref `{reference}`)."
            )


@dataclass
class Routers:
    """The `/mentor` subcommands, and the `/mentor admin` ones (reached only after the coordinator check)."""

    mentor: CommandRouter
    admin: CommandRouter

    @classmethod
    def sharing(cls, followups: Executor) -> Routers:
        return cls(CommandRouter(followups), CommandRouter(followups))
