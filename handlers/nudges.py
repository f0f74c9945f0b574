"""The buttons in nudge DMs: "did you meet?", goal check-ins and "Resume my nudges": parse, call the
nudge answers use case (`bot.usecases.nudge_answers`), render, reply."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.presentation import nudges as blocks
from bot.presentation.combined import part_of
from bot.presentation.common import context, section
from bot.presentation.scheduling import find_time_button
from bot.services import Services
from bot.usecases.nudge_answers import NudgeButton, NudgeReply
from handlers.routing import Routers
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session

logger = logging.getLogger(__name__)

MEETING_ACTION = re.compile(r"^nudge_(met|scheduled|not_yet|skip)$")
GOAL_ACTION = re.compile(r"^nudge_goal_(on_track|need_help|done)_([0-9]+)$")


def pressed(action: dict[str, Any], body: dict[str, Any]) -> NudgeButton | None:
    """The button's value and the message it was on; None when the value can't be read."""
    value = blocks.ButtonValue.decode(str(action.get("value") or ""))
    if value is None:
        return None
    container = body.get("container") or {}
    return NudgeButton(
        value.outbox_id,
        value.goal_id,
        str(container.get("channel_id") or (body.get("channel") or {}).get("id") or ""),
        str(container.get("message_ts") or ""),
    )


def without_goal_buttons(message: dict[str, Any], goal_id: int, note: str) -> list[dict[str, Any]]:
    """The check-in message's blocks with this goal's buttons replaced by what was answered (in a
    combined DM too, where the block id also names the part)."""
    replacement = context(note).to_dict()
    return [
        replacement if part_of(block.get("block_id"))[0] == f"goal_{goal_id}" else block
        for block in message.get("blocks") or []
    ]


def with_part_answered(message: dict[str, Any], outbox_id: int, note: str) -> list[dict[str, Any]] | None:
    """A combined DM with one part's blocks replaced by what was answered, the other parts kept; None
    when the message is not a combined one holding that part."""
    blocks = list(message.get("blocks") or [])
    if not any(part_of(block.get("block_id"))[1] == outbox_id for block in blocks):
        return None
    answered = {**section(note).to_dict(), "block_id": f"answered@{outbox_id}"}
    shown: list[dict[str, Any]] = []
    for block in blocks:
        if part_of(block.get("block_id"))[1] != outbox_id:
            shown.append(block)
        elif answered not in shown:
            shown.append(answered)
    return shown


def register(app: App, services: Services, routers: Routers) -> None:
    answers = services.nudge_answers

    def answer(
        context: BoltContext,
        client: WebClient,
        respond: Respond,
        decide: Callable[[MemberScope], NudgeReply],
        message: dict[str, Any] | None = None,
        button: NudgeButton | None = None,
    ) -> None:
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            reply = decide(scope) if has_joined(scope.member) else NudgeReply(NOT_JOINED)
        in_combined = (
            with_part_answered(message, button.outbox_id, reply.text)
            if reply.replace and message and button is not None
            else None
        )
        if reply.answered_goal is not None and message and message.get("blocks"):
            shown = without_goal_buttons(message, reply.answered_goal, reply.text)
            respond(text=reply.text, blocks=shown, replace_original=True)
        elif in_combined is not None:
            respond(text=reply.text, blocks=in_combined, replace_original=True)
        elif reply.replace:
            replaced: list[Block] = [section(reply.text)]
            if reply.find_time is not None:
                replaced.append(find_time_button(reply.find_time))
            respond(text=reply.text, blocks=[block.to_dict() for block in replaced], replace_original=True)
        else:
            respond(text=reply.text, response_type="ephemeral", replace_original=False)

    @app.action(MEETING_ACTION)
    def meeting_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        match = MEETING_ACTION.match(str(action.get("action_id")))
        assert match is not None
        button, message = pressed(action, body), body.get("message") or {}
        answer(
            context, client, respond, lambda scope: answers.meeting(scope, button, match[1]), message, button
        )

    @app.action(GOAL_ACTION)
    def goal_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        match = GOAL_ACTION.match(str(action.get("action_id")))
        assert match is not None
        button, message = pressed(action, body), body.get("message") or {}
        answer(context, client, respond, lambda scope: answers.goal(scope, button, match[1]), message)

    @app.action(blocks.RESUME_ACTION)
    def resume_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        button, message = pressed(action, body), body.get("message") or {}
        answer(context, client, respond, lambda scope: answers.resume(scope, button), message, button)
