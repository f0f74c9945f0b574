"""`/mentor privacy`, `/mentor export` and `/mentor delete-my-data` (with its confirm and keep buttons).

None of these look the person up in Slack: asking about your data must never create any.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.commands import CommandSpec
from bot.people import UnknownUser
from bot.services import Services
from handlers.blocks import my_data as blocks
from handlers.blocks.home import home_view
from handlers.home import refresh_home
from handlers.routing import CommandRequest
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


def export_filename(now: datetime) -> str:
    return f"mentor-circles-my-data-{now.date().isoformat()}.json"


def send_export(client: WebClient, user_id: str, data: dict[str, Any], now: datetime) -> None:
    """Upload the export as a JSON file into the member's direct messages with the bot."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content=json.dumps(data, indent=2, ensure_ascii=False),
        filename=export_filename(now),
        title=blocks.EXPORT_TITLE,
        initial_comment=blocks.EXPORT_COMMENT,
    )


def register(app: App, services: Services) -> None:
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
        now = services.clock()
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            repository = MyDataRepository(session, workspace.id)
            member = repository.member(request.user_id)
            has_data = member is not None and repository.has_data(member)
            data = repository.export(member, workspace, now) if has_data and member is not None else None
        if data is None:
            request.reply(blocks.EXPORT_NOTHING)
            return
        request.reply(blocks.EXPORT_ON_ITS_WAY)
        send_export(request.client, request.user_id, data, now)

    def delete_my_data(request: CommandRequest) -> None:
        issued_at = int(services.clock().timestamp())
        request.reply(blocks.DELETE_PROMPT_TEXT, blocks.delete_prompt_blocks(issued_at))

    @app.action(blocks.DELETE_ACTION)
    def confirm_delete(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
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
        mentions = services.coordinators.mentions(context.team_id or "")
        client.views_publish(user_id=user_id, view=home_view(None, mentions).to_dict())
        for other in erasure.affected_user_ids:
            try:
                refresh_home(services, client, context.team_id, context.enterprise_id, other)
            except (SlackApiError, UnknownUser) as error:
                logger.warning("could not refresh a circle-mate's App Home (%s)", type(error).__name__)

    @app.action(blocks.KEEP_ACTION)
    def keep(ack: Ack, respond: Respond) -> None:
        ack()
        reply_in_place(respond, blocks.KEPT)

    services.router.add(PRIVACY, privacy)
    services.router.add(EXPORT, export)
    services.router.add(DELETE_MY_DATA, delete_my_data)
