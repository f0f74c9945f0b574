"""`/mentor admin faq add|list`: a program's own FAQ entries, edited in a modal by coordinators.

Parse, call the coordinators' administration use case (`bot.usecases.coordinator_admin`), render, reply."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.domain.commands import CommandSpec
from bot.presentation import faq as blocks
from bot.services import Services
from bot.usecases.coordinator_admin import FaqEntrySaved, FaqListing
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

FAQ_ADMIN = CommandSpec(
    name="faq",
    summary="add, edit or remove your program's own FAQ entries",
    usage=("/mentor admin faq add", "/mentor admin faq list"),
)
LISTING_TEXT = "Your program's FAQ"
USAGE = "Use `/mentor admin faq add` to write a new entry or `/mentor admin faq list` to see, edit and remove them."


def listing_blocks(listing: FaqListing) -> list[Block]:
    return blocks.admin_list_blocks(listing.entries, listing.page)


def register(app: App, services: Services, routers: Routers) -> None:
    coordinator_admin = services.coordinator_admin

    def show_listing(listing: FaqListing, respond: Respond) -> None:
        respond(
            blocks=[block.to_dict() for block in listing_blocks(listing)],
            text=LISTING_TEXT,
            replace_original=True,
        )

    def faq_admin(request: CommandRequest) -> None:
        action = request.args.strip().lower()
        if action == "add":
            request.ack()
            request.client.views_open(trigger_id=request.trigger_id, view=blocks.entry_modal().to_dict())
        elif action == "list":
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                listing = coordinator_admin.faq_listing(uow)
            request.reply(LISTING_TEXT, listing_blocks(listing))
        else:
            request.reply(USAGE)

    @app.view("faq_entry")
    def save_entry(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        values = view["state"]["values"]
        title, answer, keywords = (
            (values[field][field].get("value") or "").strip() for field in ("title", "answer", "keywords")
        )
        entry_id = json.loads(view.get("private_metadata") or "{}").get("entry_id")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            saved = coordinator_admin.save_faq_entry(
                uow, int(entry_id) if entry_id else None, title, answer, keywords, context.user_id or ""
            )
        if isinstance(saved, FaqEntrySaved):
            ack(response_action="update", view=blocks.saved_modal(saved.title).to_dict())
        else:
            ack(response_action="errors", errors=saved)

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
        entry_id = int(action["value"])
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            form = coordinator_admin.faq_entry_form(uow, entry_id)
        if isinstance(form, FaqListing):
            show_listing(form, respond)
            return
        modal = blocks.entry_modal(form.title, form.answer, form.keywords, form.id)
        client.views_open(trigger_id=body["trigger_id"], view=modal.to_dict())

    @app.action("faq_admin_remove")
    def remove_entry(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        entry_id = int(action["value"])
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            listing = coordinator_admin.remove_faq_entry(uow, entry_id)
        show_listing(listing, respond)

    @app.action("faq_admin_page_prev")
    @app.action("faq_admin_page_next")
    def turn_page(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        page = int(action["value"])
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            listing = coordinator_admin.faq_listing(uow, page)
        show_listing(listing, respond)

    routers.admin.add(FAQ_ADMIN, faq_admin, in_ack=True)
