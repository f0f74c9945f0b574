"""`/mentor privacy`, `/mentor export` and `/mentor delete-my-data` (with its confirm and keep buttons).

None of these look the person up in Slack: asking about your data must never create any.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.domain.commands import CommandSpec
from bot.presentation import my_data as blocks
from bot.services import Services
from handlers.routing import CommandRequest, Routers
from handlers.scope import workspace_session
from storage.my_data import MyDataRepository

logger = logging.getLogger(__name__)

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

DELETE_BUTTON_LIFETIME = timedelta(minutes=30)


def is_fresh(value: str | None, now: datetime, lifetime: timedelta = DELETE_BUTTON_LIFETIME) -> bool:
    """A delete button works only for a while after it was offered (a forgotten one does nothing)."""
    try:
        issued = int(value or "")
    except ValueError:
        return False
    age = now.timestamp() - issued
    return -60 <= age <= lifetime.total_seconds()


def register(app: App, services: Services, routers: Routers) -> None:
    def reply_in_place(respond: Respond, text: str) -> None:
        respond(
            text=text,
            blocks=[b.to_dict() for b in blocks.outcome_blocks(text)],
            response_type="ephemeral",
            replace_original=True,
        )

    def privacy(request: CommandRequest) -> None:
        request.ack()
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            repository = MyDataRepository(session, workspace.id)
            member = repository.member(request.user_id)
            facts = repository.privacy_facts(member) if member is not None else None
        mentions = services.coordinators.mentions(request.team_id)
        request.reply(blocks.privacy_text(), blocks.privacy_blocks(facts, mentions))

    def export(request: CommandRequest) -> None:
        request.ack()
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            repository = MyDataRepository(session, workspace.id)
            member = repository.member(request.user_id)
            has_data = member is not None and repository.has_data(member)
            if has_data:
                services.effects.send_file(session, workspace.id, request.user_id, "export")
        request.reply(blocks.EXPORT_ON_ITS_WAY if has_data else blocks.EXPORT_NOTHING)

    def delete_my_data(request: CommandRequest) -> None:
        issued_at = int(services.clock().timestamp())
        request.reply(blocks.DELETE_PROMPT_TEXT, blocks.delete_prompt_blocks(issued_at))

    @app.action(blocks.DELETE_ACTION)
    def confirm_delete(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        now = services.clock()
        if not is_fresh(action.get("value"), now):
            reply_in_place(respond, blocks.DELETE_EXPIRED)
            return
        user_id = context.user_id or ""
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            repository = MyDataRepository(session, workspace.id)
            member = repository.member(user_id, for_update=True)
            erasure = repository.erase(member, now) if member is not None else None
            if erasure is not None:
                services.effects.forget(session, workspace.id, user_id)
                services.effects.refresh_homes(session, workspace.id, erasure.affected_user_ids)
        if erasure is None:
            reply_in_place(respond, blocks.NOTHING_TO_DELETE)
            return
        logger.info(
            "erased a member's data: %d goals emptied, %d notes deleted, %d relationships left",
            erasure.goals_emptied,
            erasure.notes_deleted,
            erasure.relationships_left,
        )
        reply_in_place(respond, blocks.DELETED)

    @app.action(blocks.KEEP_ACTION)
    def keep(ack: Ack, respond: Respond) -> None:
        ack()
        reply_in_place(respond, blocks.KEPT)

    routers.mentor.add(PRIVACY, privacy)
    routers.mentor.add(EXPORT, export)
    routers.mentor.add(DELETE_MY_DATA, delete_my_data)
