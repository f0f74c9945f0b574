"""`/mentor admin program list|add|show|edit NAME`: programs and their settings, edited in a modal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.domain.commands import CommandSpec
from bot.presentation.programs import (
    ARCHIVE_ACTION,
    SETTINGS_CALLBACK,
    UNARCHIVE_ACTION,
    form_values,
    modal_errors,
    program_blocks,
    program_list_blocks,
    settings_modal,
)
from bot.services import Services
from bot.usecases.programs import SettingsForm
from bot.usecases.rounds import PROGRAM_GONE, MatchRefused
from bot.usecases.unit_of_work import unit_of_work
from handlers.admin_match import PREVIEW_TEXT, rendered_preview
from handlers.modal_updates import update_view
from handlers.routing import CommandRequest, Routers

PROGRAM = CommandSpec(
    name="program",
    summary="list, add and configure programs",
    usage=(
        "/mentor admin program list",
        "/mentor admin program add NAME",
        "/mentor admin program show NAME",
        "/mentor admin program edit NAME",
        "/mentor admin program archive NAME",
        "/mentor admin program unarchive NAME",
    ),
    descriptions=(
        "every program with its participants and current round",
        "start a new program and set it up",
        "one program's settings, participants and next nudge",
        "change a program's settings",
        "close a finished program: kept for reports, no longer joined, nudged or matched",
        "bring an archived program back",
    ),
)


def settings_view(form: SettingsForm) -> View:
    return settings_modal(form.program_id, form.name, form.settings)


def register(app: App, services: Services, routers: Routers) -> None:
    rounds = services.rounds

    def program(request: CommandRequest) -> None:
        action, _, rest = request.args.strip().partition(" ")
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            reply = rounds.program_command(uow, action.lower(), rest.strip())
        if reply.form is not None:
            request.open_modal(settings_view(reply.form))
        elif reply.lines is not None:
            request.reply(reply.message, program_list_blocks(reply.lines))
        elif reply.shown is not None:
            request.reply(reply.message, program_blocks(reply.shown))
        else:
            request.reply(reply.message)

    @app.action("program_edit")
    def edit_clicked(ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        ack()
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            form = rounds.settings_form(uow, int(action["value"]))
        if form is not None:
            context.client.views_open(trigger_id=body["trigger_id"], view=settings_view(form).to_dict())

    @app.action("program_preview")
    def preview_clicked(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            preview = rounds.preview_matches(uow, context.user_id or "", program_id=int(action["value"]))
        if isinstance(preview, MatchRefused):
            text, blocks = preview.message, None
        else:
            text, blocks = PREVIEW_TEXT, rendered_preview(preview)
        if context.response_url:
            respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
        else:
            context.client.chat_postMessage(channel=context.user_id or "", text=text, blocks=blocks)

    @app.action("program_export")
    def export_clicked(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """The program's report by cycle as a CSV in the coordinator's DM, as `/mentor admin stats` sends it."""
        ack()
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            sent = services.reports.send_program_csv(uow, context.user_id or "", int(action["value"]))
        if sent is not None and context.response_url:
            respond(text=sent.messages[0], response_type="ephemeral", replace_original=False)

    def archiver(archived: bool) -> Callable[[Ack, dict[str, Any], BoltContext, Respond], None]:
        def clicked(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
            ack()
            with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
                message = rounds.archive(uow, int(action["value"]), archived) or PROGRAM_GONE
            if context.response_url:
                respond(text=message, response_type="ephemeral", replace_original=False)
            else:
                context.client.chat_postMessage(channel=context.user_id or "", text=message)

        return clicked

    app.action(ARCHIVE_ACTION)(archiver(True))
    app.action(UNARCHIVE_ACTION)(archiver(False))

    @app.action({"type": "block_actions", "action_id": "kind"})
    def kind_changed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """The kind changed in the settings modal: rebuild it to ask what that kind needs, keeping what
        was typed (`view.state.values`)."""
        ack()
        view = body.get("view") or {}
        if view.get("callback_id") != SETTINGS_CALLBACK:
            return
        program_id = json.loads(view.get("private_metadata") or "{}").get("program_id")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            form = rounds.settings_form(uow, int(program_id)) if program_id else None
        if form is None:
            return
        typed = form_values((view.get("state") or {}).get("values") or {})
        rebuilt = settings_modal(form.program_id, form.name, form.settings, typed)
        update_view(context.client, view, rebuilt.to_dict())

    @app.view(SETTINGS_CALLBACK)
    def save_settings(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        program_id = json.loads(view.get("private_metadata") or "{}").get("program_id")
        form = form_values(view["state"]["values"])
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            saved = rounds.save_settings(uow, int(program_id) if program_id else None, form)
        if saved.errors:
            ack(response_action="errors", errors=modal_errors(saved.errors))
        else:
            ack()

    routers.admin.add(PROGRAM, program, in_ack=True)
