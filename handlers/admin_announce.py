"""`/mentor admin announce [PROGRAM]`: a coordinator writes one message for a program's active participants.

The command is an admin subcommand and the modal's callback id is an admin action, so both are checked
and audited in `handlers.admin`. The submission only queues the DMs (`bot.usecases.announcements`);
effect workers post them.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.domain.commands import CommandSpec
from bot.presentation.announcements import (
    ANNOUNCE_CALLBACK,
    ANNOUNCE_OPEN,
    EMPTY_MESSAGE,
    MESSAGE_BLOCK,
    announce_gone_view,
    announce_modal,
    announce_sent_view,
)
from bot.services import Services
from bot.usecases.announcements import MAX_LENGTH
from bot.usecases.reports import UnknownProgram
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

ANNOUNCE = CommandSpec(
    name="announce",
    summary="send a message to every active participant of a program",
    usage=("/mentor admin announce [PROGRAM]",),
)
PROGRAM_GONE = "That program no longer exists, so I haven't sent anything."
SENT_ACTION = "announce_sent"
"""The audit entry for a sent announcement: the program and how many it went to, never its words."""
TOO_LONG = f"Please keep the message to {MAX_LENGTH:,} characters or fewer."


def register(app: App, services: Services, routers: Routers) -> None:
    announcements = services.announcements

    def announce(request: CommandRequest) -> None:
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            draft = announcements.draft(uow, request.args)
        if isinstance(draft, UnknownProgram):
            request.reply(draft.message)
            return
        request.open_modal(announce_modal(draft.program_id, draft.program_name, draft.recipients, MAX_LENGTH))

    @app.action(ANNOUNCE_OPEN)
    def announce_clicked(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext
    ) -> None:
        """A program's Announce button on the coordinators' Home: the modal `/mentor admin announce` opens."""
        ack()
        value = str(action.get("value") or "")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            draft = announcements.draft_for(uow, int(value)) if value.isdigit() else None
        view = (
            announce_modal(draft.program_id, draft.program_name, draft.recipients, MAX_LENGTH)
            if draft is not None
            else announce_gone_view()
        )
        context.client.views_open(trigger_id=body["trigger_id"], view=view.to_dict())

    @app.view(ANNOUNCE_CALLBACK)
    def announce_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        field = (view["state"]["values"].get(MESSAGE_BLOCK) or {}).get(MESSAGE_BLOCK) or {}
        text = str(field.get("value") or "").strip()
        if not text:
            ack(response_action="errors", errors={MESSAGE_BLOCK: EMPTY_MESSAGE})
            return
        if len(text) > MAX_LENGTH:
            ack(response_action="errors", errors={MESSAGE_BLOCK: TOO_LONG})
            return
        metadata = str(view.get("private_metadata") or "")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            sent = (
                announcements.send(uow, int(metadata), str(view["id"]), text) if metadata.isdigit() else None
            )
        if sent is None:
            ack(response_action="errors", errors={MESSAGE_BLOCK: PROGRAM_GONE})
            return
        if sent.newly_queued:
            services.coordinator_admin.audit(
                context.team_id,
                context.enterprise_id,
                context.user_id or "",
                SENT_ACTION,
                f"{sent.program_name} {sent.newly_queued}",
            )
        ack(response_action="update", view=announce_sent_view(sent.recipients).to_dict())

    routers.admin.add(ANNOUNCE, announce, in_ack=True)
