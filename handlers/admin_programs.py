"""`/mentor admin program list|add|show|edit NAME`: programs and their settings, edited in a modal."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.domain.programs import (
    InvalidSettings,
    ProgramSettings,
    settings_from_form,
    valid_program_name,
)
from bot.presentation.matching import preview_blocks
from bot.presentation.programs import (
    SETTINGS_CALLBACK,
    form_values,
    modal_errors,
    program_blocks,
    program_list_blocks,
    settings_modal,
)
from bot.services import Services
from bot.usecases.programs import program_line, program_lines
from bot.usecases.unit_of_work import UnitOfWork
from handlers.admin_stats import SENT, queue_report_file
from handlers.routing import CommandRequest
from handlers.scope import workspace_session
from storage.programs import ProgramRepository

PROGRAM = CommandSpec(
    name="program",
    summary="list, add and configure programs",
    usage=(
        "/mentor admin program list",
        "/mentor admin program add NAME",
        "/mentor admin program show NAME",
        "/mentor admin program edit NAME",
    ),
)
USAGE = (
    "Use `/mentor admin program list`, `add NAME`, `show NAME` or `edit NAME` "
    "(for example `/mentor admin program add PGY-1 peer circles`)."
)


def register(app: App, services: Services) -> None:
    def open_settings(
        client: Any, trigger_id: str, team_id: str | None, enterprise_id: str | None, program_id: int
    ) -> bool:
        with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
            program = ProgramRepository(session, workspace.id).get(program_id)
            if program is None:
                return False
            view = settings_modal(program.id, program.name, ProgramSettings.from_json(program.settings))
        client.views_open(trigger_id=trigger_id, view=view.to_dict())
        return True

    def program(request: CommandRequest) -> None:
        action, _, rest = request.args.strip().partition(" ")
        action, name = action.lower(), rest.strip()
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            programs = ProgramRepository(session, workspace.id)
            if action in ("", "list"):
                lines = program_lines(
                    UnitOfWork(session, workspace), services.clock(), services.settings.default_timezone
                )
                request.reply("Programs", program_list_blocks(lines))
                return
            if action == "add":
                clean = valid_program_name(name)
                if clean is None:
                    request.reply(
                        "Give the new program a name, for example `/mentor admin program add Research teams`."
                    )
                    return
                added = programs.add(clean, ProgramSettings())
                if added is None:
                    request.reply(
                        f"There is already a program called “{clean}”. Try `/mentor admin program edit {clean}`."
                    )
                    return
                program_id = added.id
            elif action in ("show", "edit"):
                found = programs.named(name) if name else None
                if found is None:
                    request.reply(
                        f"I couldn't find a program called “{name}”. `/mentor admin program list` shows them all."
                    )
                    return
                program_id = found.id
                if action == "show":
                    line = program_line(
                        UnitOfWork(session, workspace),
                        found,
                        services.clock(),
                        services.settings.default_timezone,
                    )
                    request.reply(found.name, program_blocks(line))
                    return
            else:
                request.reply(USAGE)
                return
        request.ack()
        open_settings(request.client, request.trigger_id, request.team_id, request.enterprise_id, program_id)

    @app.action("program_edit")
    def edit_clicked(ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        ack()
        open_settings(
            context.client, body["trigger_id"], context.team_id, context.enterprise_id, int(action["value"])
        )

    @app.action("program_preview")
    def preview_clicked(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            stored = ProgramRepository(session, workspace.id).get(int(action["value"]))
            if stored is None:
                return
            kind = ProgramSettings.from_json(stored.settings).kind
            round_id, proposal = services.matching.preview(
                session, workspace.id, kind, 0, context.user_id or "", program_id=stored.id
            )
        blocks = [block.to_dict() for block in preview_blocks(round_id, proposal, 0)]
        if context.response_url:
            respond(text="Proposed matches", blocks=blocks, response_type="ephemeral", replace_original=False)
        else:
            context.client.chat_postMessage(channel=context.user_id, text="Proposed matches", blocks=blocks)

    @app.action("program_export")
    def export_clicked(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """The program's report by cycle as a CSV in the coordinator's DM, as `/mentor admin stats` sends it."""
        ack()
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            stored = ProgramRepository(session, workspace.id).get(int(action["value"]))
            if stored is None:
                return
            queue_report_file(services, session, workspace.id, context.user_id or "", "csv", stored.id)
        if context.response_url:
            respond(text=SENT["csv"], response_type="ephemeral", replace_original=False)

    @app.view(SETTINGS_CALLBACK)
    def save_settings(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        program_id = json.loads(view.get("private_metadata") or "{}").get("program_id")
        form = form_values(view["state"]["values"])
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            programs = ProgramRepository(session, workspace.id)
            stored = programs.get(int(program_id)) if program_id else None
            if stored is None:
                ack(response_action="errors", errors={"kind": "This program no longer exists."})
                return
            try:
                settings = settings_from_form(ProgramSettings.from_json(stored.settings), form)
            except InvalidSettings as invalid:
                ack(response_action="errors", errors=modal_errors(invalid.errors))
                return
            programs.save_settings(stored, settings)
        ack()

    services.admin.add(PROGRAM, program)
