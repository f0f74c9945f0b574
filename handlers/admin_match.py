"""`/mentor admin match preview|publish [circles|mentors|teams]`: review matches, then introduce people."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.matching_service import KINDS
from bot.presentation.matching import preview_blocks, published_text
from bot.services import Services
from bot.usecases.introductions import queue_introductions
from handlers.routing import CommandRequest
from handlers.scope import workspace_session
from storage.rounds import RoundRepository

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


def register(app: App, services: Services) -> None:
    def preview(
        team_id: str | None, enterprise_id: str | None, user_id: str, kind: str, seed: int
    ) -> list[dict[str, Any]]:
        with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
            round_id, proposal = services.matching.preview(session, workspace.id, kind, seed, user_id)
        return [block.to_dict() for block in preview_blocks(round_id, proposal, seed)]

    def publish(team_id: str | None, enterprise_id: str | None, round_id: int) -> str:
        """Publish the round and queue its introductions in one transaction; the workers post them."""
        with workspace_session(services.db, team_id, enterprise_id) as (session, workspace):
            published = services.matching.publish(session, workspace.id, round_id)
            rounds = RoundRepository(session, workspace.id)
            kind = rounds.get(round_id).kind  # type: ignore[union-attr]
            pending = [r.id for r in rounds.unintroduced(round_id)]
            queued = queue_introductions(services.effects, session, workspace.id, pending)
        return published_text(
            kind, len(published.relationship_ids), queued, not published.newly_published and not queued
        )

    def match(request: CommandRequest) -> None:
        words = request.args.lower().split()
        action = words[0] if words else ""
        kind = words[1] if len(words) > 1 else "circles"
        if action not in ("preview", "publish") or kind not in KINDS:
            request.reply(USAGE)
            return
        request.ack()
        if action == "preview":
            blocks = preview(request.team_id, request.enterprise_id, request.user_id, kind, seed=0)
            request.respond(
                text="Proposed matches", blocks=blocks, response_type="ephemeral", replace_original=False
            )
            return
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            draft = RoundRepository(session, workspace.id).latest(kind, "draft")
            round_id = draft.id if draft else None
        if round_id is None:
            request.respond(
                text=f"There is no preview to publish yet. Run `/mentor admin match preview {kind}` first.",
                response_type="ephemeral",
                replace_original=False,
            )
            return
        text = publish(request.team_id, request.enterprise_id, round_id)
        request.respond(text=text, response_type="ephemeral", replace_original=False)

    @app.action("match_publish")
    def publish_clicked(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        text = publish(context.team_id, context.enterprise_id, int(action["value"]))
        respond(text=text, response_type="ephemeral", replace_original=True)

    @app.action("match_reshuffle")
    def reshuffle(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        kind, _, seed = action["value"].partition(":")
        blocks = preview(
            context.team_id, context.enterprise_id, context.user_id or "", kind, seed=int(seed) + 1
        )
        respond(text="Proposed matches", blocks=blocks, response_type="ephemeral", replace_original=True)

    services.admin.add(MATCH, match)
