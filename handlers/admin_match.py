"""`/mentor admin match preview|publish [circles|mentors|teams]`: review matches, then introduce people."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.matching_service import KINDS
from bot.presentation.matching import preview_blocks, published_text
from bot.services import Services
from bot.usecases.rounds import NoDraft, RoundPreview, RoundPublished
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

MATCH = CommandSpec(
    name="match",
    summary="preview the next round of matches, then publish it",
    usage=(
        "/mentor admin match preview [circles|mentors|teams]",
        "/mentor admin match publish [circles|mentors|teams]",
    ),
)
USAGE = (
    "Use `/mentor admin match preview circles` (or `mentors`, `teams`) to see the proposed matches with their "
    "reasons, then publish them from the preview or with `/mentor admin match publish circles`."
)
PREVIEW_TEXT = "Proposed matches"


def rendered_preview(preview: RoundPreview) -> list[dict[str, Any]]:
    return [block.to_dict() for block in preview_blocks(preview.round_id, preview.proposal, preview.seed)]


def rendered_publish(outcome: RoundPublished | NoDraft) -> str:
    if isinstance(outcome, NoDraft):
        return outcome.message
    return published_text(outcome.kind, outcome.relationships, outcome.queued, outcome.again)


def register(app: App, services: Services, routers: Routers) -> None:
    rounds = services.rounds

    def match(request: CommandRequest) -> None:
        words = request.args.lower().split()
        action = words[0] if words else ""
        kind = words[1] if len(words) > 1 else "circles"
        if action not in ("preview", "publish") or kind not in KINDS:
            request.reply(USAGE)
            return
        request.ack()
        if action == "preview":
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                preview = rounds.preview(uow, kind, 0, request.user_id)
            request.respond(
                text=PREVIEW_TEXT,
                blocks=rendered_preview(preview),
                response_type="ephemeral",
                replace_original=False,
            )
            return
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            published = rounds.publish_latest(uow, kind)
        request.respond(text=rendered_publish(published), response_type="ephemeral", replace_original=False)

    @app.action("match_publish")
    def publish_clicked(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            published = rounds.publish(uow, int(action["value"]))
        respond(text=rendered_publish(published), response_type="ephemeral", replace_original=True)

    @app.action("match_reshuffle")
    def reshuffle(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        kind, _, seed = action["value"].partition(":")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            preview = rounds.reshuffle(uow, kind, int(seed), context.user_id or "")
        respond(
            text=PREVIEW_TEXT,
            blocks=rendered_preview(preview),
            response_type="ephemeral",
            replace_original=True,
        )

    routers.admin.add(MATCH, match)
