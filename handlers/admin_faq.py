"""`/mentor admin faq add|list`: a program's own FAQ entries, edited in a modal by coordinators."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.domain.faq import check_workspace_entry, parse_keywords
from bot.presentation import faq as blocks
from bot.services import Services
from handlers.routing import CommandRequest, Routers
from handlers.scope import workspace_session
from storage.faq import FaqRepository

FAQ_ADMIN = CommandSpec(
    name="faq",
    summary="add, edit or remove your program's own FAQ entries",
    usage=("/mentor admin faq add", "/mentor admin faq list"),
)


def register(app: App, services: Services, routers: Routers) -> None:
    def listing(context: BoltContext, page: int = 0) -> list[dict[str, Any]]:
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            rows = [(row.id, row.title, row.answer) for row in FaqRepository(session, workspace.id).entries()]
        return [block.to_dict() for block in blocks.admin_list_blocks(rows, page)]

    def faq_admin(request: CommandRequest) -> None:
        action = request.args.strip().lower()
        if action == "add":
            request.ack()
            request.client.views_open(trigger_id=request.trigger_id, view=blocks.entry_modal().to_dict())
        elif action == "list":
            with workspace_session(services.db, request.team_id, request.enterprise_id) as (
                session,
                workspace,
            ):
                rows = [
                    (row.id, row.title, row.answer) for row in FaqRepository(session, workspace.id).entries()
                ]
            request.reply("Your program's FAQ", blocks.admin_list_blocks(rows, 0))
        else:
            request.reply(
                "Use `/mentor admin faq add` to write a new entry or `/mentor admin faq list` to see, edit and remove them."
            )

    @app.view("faq_entry")
    def save_entry(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        values = view["state"]["values"]
        title, answer, keywords_text = (
            (values[field][field].get("value") or "").strip() for field in ("title", "answer", "keywords")
        )
        problems = check_workspace_entry(title, answer, parse_keywords(keywords_text))
        if problems:
            ack(response_action="errors", errors=problems)
            return
        entry_id = json.loads(view.get("private_metadata") or "{}").get("entry_id")
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            repository = FaqRepository(session, workspace.id)
            existing = repository.get(int(entry_id)) if entry_id else None
            if entry_id and existing is None:
                ack(response_action="errors", errors={"title": "This entry was removed in the meantime."})
                return
            if existing is None:
                repository.add(title, answer, keywords_text, context.user_id or "")
            else:
                existing.title, existing.answer, existing.keywords = title, answer, keywords_text
        ack(response_action="update", view=blocks.saved_modal(title).to_dict())

    @app.action("faq_admin_edit")
    def edit_entry(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            row = FaqRepository(session, workspace.id).get(int(action["value"]))
            modal = blocks.entry_modal(row.title, row.answer, row.keywords, row.id) if row else None
        if modal is None:
            respond(blocks=listing(context), text="Your program's FAQ", replace_original=True)
            return
        client.views_open(trigger_id=body["trigger_id"], view=modal.to_dict())

    @app.action("faq_admin_remove")
    def remove_entry(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            FaqRepository(session, workspace.id).remove(int(action["value"]))
        respond(blocks=listing(context), text="Your program's FAQ", replace_original=True)

    @app.action("faq_admin_page_prev")
    @app.action("faq_admin_page_next")
    def turn_page(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        respond(
            blocks=listing(context, int(action["value"])), text="Your program's FAQ", replace_original=True
        )

    routers.admin.add(FAQ_ADMIN, faq_admin)
