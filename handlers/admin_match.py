"""`/mentor admin match preview|publish [circles|mentors|teams]`: review matches, then introduce people;
`/mentor admin match status`: each program's latest round and its introductions."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.presentation.matching import preview_blocks, published_text, round_status_text
from bot.services import Services
from bot.usecases.rounds import ROUND_GONE, MatchRefused, PublishOutcome, RoundPreview, RoundPublished
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

MATCH = CommandSpec(
    name="match",
    summary="preview the next round of matches for a program, then publish it",
    usage=(
        "/mentor admin match preview [circles|mentors|teams] [PROGRAM]",
        "/mentor admin match publish [circles|mentors|teams] [PROGRAM]",
        "/mentor admin match status",
    ),
    descriptions=(
        "see the proposed matches and why, before anyone hears of them",
        "send the introductions for the latest preview",
        "each program's latest round and how its introductions went",
    ),
)
USAGE = (
    "Use `/mentor admin match preview` with a program's name (for example "
    "`/mentor admin match preview IM Faculty Mentoring`) to see its proposed matches with their reasons, "
    "then publish them from the preview or with `/mentor admin match publish IM Faculty Mentoring`. "
    "Without a name it is the default program; add `circles`, `mentors` or `teams` before the name to "
    "choose the kind. `/mentor admin match status` shows each program's latest round and its introductions."
)
PREVIEW_TEXT = "Proposed matches"


def rendered_preview(preview: RoundPreview) -> list[dict[str, Any]]:
    return [
        block.to_dict()
        for block in preview_blocks(
            preview.round_id, preview.proposal, preview.seed, preview.program, preview.nobody_placed
        )
    ]


def rendered_publish(outcome: PublishOutcome) -> str:
    if isinstance(outcome, RoundPublished):
        return published_text(
            outcome.kind, outcome.relationships, outcome.kept, outcome.queued, outcome.again
        )
    return outcome.message


def register(app: App, services: Services, routers: Routers) -> None:
    rounds = services.rounds

    def match(request: CommandRequest) -> None:
        action, _, rest = request.args.strip().partition(" ")
        action = action.lower()
        if action == "status" and not rest.strip():
            request.ack()
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                text = round_status_text(rounds.status(uow))
            request.respond(text=text, response_type="ephemeral", replace_original=False)
            return
        if action not in ("preview", "publish"):
            request.reply(USAGE)
            return
        request.ack()
        if action == "preview":
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                preview = rounds.preview_matches(uow, request.user_id, text=rest)
            if isinstance(preview, MatchRefused):
                request.reply(preview.message)
                return
            request.respond(
                text=PREVIEW_TEXT,
                blocks=rendered_preview(preview),
                response_type="ephemeral",
                replace_original=False,
            )
            return
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            published = rounds.publish_matches(uow, rest)
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
        value = str(action.get("value") or "")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            preview = (
                rounds.reshuffle(uow, int(value), context.user_id or "")
                if value.isdigit()
                else MatchRefused(ROUND_GONE)
            )
        if isinstance(preview, MatchRefused):
            respond(text=preview.message, response_type="ephemeral", replace_original=False)
            return
        respond(
            text=PREVIEW_TEXT,
            blocks=rendered_preview(preview),
            response_type="ephemeral",
            replace_original=True,
        )

    routers.admin.add(MATCH, match)
