"""`/mentor change`, the Home's "Ask for a change" and "Choose a mentor", and the choice buttons.

Thin: each listener reads the payload, calls one use case (`bot.usecases.change_requests`,
`bot.usecases.mentor_choice`) and replies. `/mentor change` is registered `in_ack` because it opens a
modal with the command's fresh trigger_id; `/mentor change mentor` opens none, so it finishes after the ack.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.domain.commands import CommandSpec
from bot.presentation.change_requests import (
    ACCEPT,
    CHANGE_CALLBACK,
    CHANGE_OPEN,
    CHOOSE_OPEN,
    DECLINE,
    PICK,
    change_modal,
    change_saved_view,
    suggestions_blocks,
)
from bot.services import Services
from bot.usecases.change_requests import REASON_BLOCK, WHICH_BLOCK, ChangeForm, ChangeRefused
from bot.usecases.mentor_choice import CHOOSE_USAGE, ChoiceReply
from handlers.routing import CommandRequest, Routers
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session

CHANGE = CommandSpec(
    "change",
    "ask privately for a different mentor or circle, or choose your mentor",
    ("/mentor change", "/mentor change mentor"),
    (),
    "You and your program",
    descriptions=(
        "ask your coordinators privately for a different mentor or circle",
        "choose a mentor yourself among the three who suit you best",
    ),
)


def _field(view: dict[str, Any], block: str) -> dict[str, Any]:
    return dict((view.get("state", {}).get("values", {}).get(block) or {}).get(block) or {})


def register(app: App, services: Services, routers: Routers) -> None:
    requests, choice = services.change_requests, services.mentor_choice

    def scope(client: WebClient, context: BoltContext) -> AbstractContextManager[MemberScope]:
        return member_session(services, client, context.team_id, context.enterprise_id, context.user_id or "")

    def request_scope(request: CommandRequest) -> AbstractContextManager[MemberScope]:
        return member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        )

    def form_view(form: ChangeForm | str) -> View:
        if isinstance(form, str):
            return change_saved_view(form)
        return change_modal([(o.relationship_id, o.label) for o in form.options], form.chosen)

    def reply_choice(request: CommandRequest, reply: ChoiceReply) -> None:
        blocks = suggestions_blocks(reply.message, reply.suggestions) if reply.suggestions else None
        request.reply(reply.message, blocks)

    def choose(request: CommandRequest) -> None:
        with request_scope(request) as current:
            reply = choice.suggest(current) if has_joined(current.member) else ChoiceReply(NOT_JOINED)
        reply_choice(request, reply)

    def change(request: CommandRequest) -> None:
        word = request.args.strip().lower()
        if word in ("mentor", "a mentor", "choose"):
            routers.mentor.later(choose, request)
            return
        if word:
            request.reply(CHOOSE_USAGE)
            return
        with request_scope(request) as current:
            form = requests.form(current) if has_joined(current.member) else NOT_JOINED
        if isinstance(form, str):
            request.reply(form)
            return
        request.open_modal(form_view(form))

    @app.action(CHANGE_OPEN)
    def change_from_home(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        value = str(action.get("value") or "")
        with scope(client, context) as current:
            form = requests.form(current, int(value) if value.isdigit() else None)
        client.views_open(trigger_id=body["trigger_id"], view=form_view(form).to_dict())

    @app.view(CHANGE_CALLBACK)
    def change_submitted(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        which = str((_field(view, WHICH_BLOCK).get("selected_option") or {}).get("value") or "")
        reason = _field(view, REASON_BLOCK).get("value")
        with scope(client, context) as current:
            saved = requests.submit(current, which, reason if isinstance(reason, str) else None)
        if isinstance(saved, ChangeRefused):
            ack(response_action="errors", errors=saved.errors)
            return
        ack(response_action="update", view=change_saved_view(saved.message).to_dict())

    @app.action(CHOOSE_OPEN)
    def choose_from_home(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        with scope(client, context) as current:
            choice.suggest_by_dm(current)

    @app.action(PICK)
    def pick(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        with scope(client, context) as current:
            reply = choice.pick(current, str(action.get("value") or ""))
        blocks = suggestions_blocks(reply.message, reply.suggestions) if reply.suggestions else None
        respond(
            text=reply.message,
            blocks=[block.to_dict() for block in blocks] if blocks else None,
            replace_original=True,
        )

    @app.action(ACCEPT)
    @app.action(DECLINE)
    def answer(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        with scope(client, context) as current:
            text = choice.answer(current, str(action.get("value") or ""), action.get("action_id") == ACCEPT)
        respond(text=text, replace_original=True)

    routers.mentor.add(CHANGE, change, in_ack=True)
