"""`/mentor privacy`, `/mentor export` and `/mentor delete-my-data` (with its confirm and keep buttons):
parse, call the privacy use case (`bot.usecases.privacy`), render, reply.

None of these look the person up in Slack: asking about your data must never create any.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.domain.commands import CommandSpec
from bot.presentation import my_data as blocks
from bot.services import Services
from bot.usecases.privacy import ErasureResult
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

GROUP = "Your data"

PRIVACY = CommandSpec(
    name="privacy",
    summary="who sees your goals and notes, and what you can do with your data",
    usage=("/mentor privacy",),
    group=GROUP,
)
EXPORT = CommandSpec(
    name="export",
    summary="get a file with all your data",
    usage=("/mentor export",),
    aliases=("export-my-data",),
    group=GROUP,
)
DELETE_MY_DATA = CommandSpec(
    name="delete-my-data",
    summary="erase your data, leaving only anonymous counts",
    usage=("/mentor delete-my-data",),
    aliases=("delete-data", "erase-my-data"),
    group=GROUP,
)

ERASURE_REPLIES = {
    ErasureResult.ERASED: blocks.DELETED,
    ErasureResult.EXPIRED: blocks.DELETE_EXPIRED,
    ErasureResult.NOTHING_TO_ERASE: blocks.NOTHING_TO_DELETE,
}


def register(app: App, services: Services, routers: Routers) -> None:
    privacy_data = services.privacy

    def reply_in_place(respond: Respond, text: str) -> None:
        respond(
            text=text,
            blocks=[b.to_dict() for b in blocks.outcome_blocks(text)],
            response_type="ephemeral",
            replace_original=True,
        )

    def privacy(request: CommandRequest) -> None:
        request.ack()
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            page = privacy_data.page(uow, request.user_id)
        request.reply(
            blocks.privacy_text(), blocks.privacy_blocks(page.facts, page.coordinators, page.retention_days)
        )

    def export(request: CommandRequest) -> None:
        request.ack()
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            sent = privacy_data.export(uow, request.user_id)
        request.reply(blocks.EXPORT_ON_ITS_WAY if sent.queued else blocks.EXPORT_NOTHING)

    def delete_my_data(request: CommandRequest) -> None:
        offer = privacy_data.offer_erasure()
        request.reply(blocks.DELETE_PROMPT_TEXT, blocks.delete_prompt_blocks(offer.issued_at))

    @app.action(blocks.DELETE_ACTION)
    def confirm_delete(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            outcome = privacy_data.erase(uow, context.user_id or "", action.get("value"))
        reply_in_place(respond, ERASURE_REPLIES[outcome.result])

    @app.action(blocks.KEEP_ACTION)
    def keep(ack: Ack, respond: Respond) -> None:
        ack()
        reply_in_place(respond, blocks.KEPT)

    routers.mentor.add(PRIVACY, privacy)
    routers.mentor.add(EXPORT, export)
    routers.mentor.add(DELETE_MY_DATA, delete_my_data)
