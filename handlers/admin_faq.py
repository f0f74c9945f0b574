"""`/mentor admin faq add|list|questions`: a program's own FAQ entries, edited in a modal by coordinators,
and the questions people passed on, which coordinators answer with a topic or turn into an entry.

Parse, call the coordinators' administration use case (`bot.usecases.coordinator_admin`) or the FAQ
learning one (`bot.usecases.faq.FaqLearning`), render, reply."""

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
from bot.usecases.faq import EntryDraft, PassedOnListing
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

FAQ_ADMIN = CommandSpec(
    name="faq",
    summary="add, edit or remove your program's own FAQ entries",
    usage=("/mentor admin faq add", "/mentor admin faq list", "/mentor admin faq questions"),
    descriptions=(
        "write a new FAQ entry for your program",
        "see, edit and remove your program's FAQ entries",
        "answer the questions people passed on",
    ),
)
LISTING_TEXT = "Your program's FAQ"
USAGE = (
    "Use `/mentor admin faq add` to write a new entry, `/mentor admin faq list` to see, edit and remove them, "
    "or `/mentor admin faq questions` to answer the questions people passed on."
)


def listing_blocks(listing: FaqListing) -> list[Block]:
    return blocks.admin_list_blocks(listing.entries, listing.page)


def passed_on_blocks(listing: PassedOnListing) -> list[Block]:
    return blocks.passed_on_blocks(
        [(q.id, q.question) for q in listing.questions],
        listing.suggestions,
        listing.topics,
        listing.page,
        listing.more,
        listing.note,
        listing.wellbeing_asks,
    )


def register(app: App, services: Services, routers: Routers) -> None:
    coordinator_admin = services.coordinator_admin
    learning = services.faq_learning

    def show_passed_on(listing: PassedOnListing, respond: Respond) -> None:
        respond(
            blocks=[block.to_dict() for block in passed_on_blocks(listing)],
            text=blocks.PASSED_ON_TEXT,
            replace_original=True,
        )

    def show_listing(listing: FaqListing, respond: Respond) -> None:
        respond(
            blocks=[block.to_dict() for block in listing_blocks(listing)],
            text=LISTING_TEXT,
            replace_original=True,
        )

    def faq_admin(request: CommandRequest) -> None:
        action = request.args.strip().lower()
        if action == "add":
            request.open_modal(blocks.entry_modal())
        elif action == "list":
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                listing = coordinator_admin.faq_listing(uow)
            request.reply(LISTING_TEXT, listing_blocks(listing))
        elif action == "questions":
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                waiting = learning.listing(uow)
            request.reply(blocks.PASSED_ON_TEXT, passed_on_blocks(waiting))
        else:
            request.reply(USAGE)

    @app.view("faq_entry")
    def save_entry(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        values = view["state"]["values"]
        title, answer, keywords = (
            (values[field][field].get("value") or "").strip() for field in ("title", "answer", "keywords")
        )
        metadata = json.loads(view.get("private_metadata") or "{}")
        entry_id, miss_id = metadata.get("entry_id"), metadata.get("miss_id")
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            if isinstance(miss_id, int) and not entry_id:
                saved: FaqEntrySaved | str | dict[str, str] = learning.save_entry(
                    uow, miss_id, title, answer, keywords, context.user_id or ""
                )
            else:
                saved = coordinator_admin.save_faq_entry(
                    uow, int(entry_id) if entry_id else None, title, answer, keywords, context.user_id or ""
                )
        if isinstance(saved, dict):
            ack(response_action="errors", errors=saved)
        else:
            title = saved.title if isinstance(saved, FaqEntrySaved) else saved
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

    def learn_target(action: dict[str, Any]) -> tuple[int, int] | None:
        return blocks.parse_learn_block_id(str(action.get("block_id") or ""))

    @app.action(blocks.LEARN_TOPIC)
    def map_to_topic(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        target = learn_target(action)
        topic_id = (action.get("selected_option") or {}).get("value")
        if target is None or not topic_id:
            return
        miss_id, page = target
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            listing = learning.map_to_topic(uow, miss_id, str(topic_id), page)
        show_passed_on(listing, respond)

    @app.action(blocks.LEARN_DISMISS)
    def dismiss(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        target = learn_target(action)
        if target is None:
            return
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            listing = learning.dismiss(uow, *target)
        show_passed_on(listing, respond)

    @app.action(blocks.LEARN_ENTRY)
    def write_entry(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        target = learn_target(action)
        if target is None:
            return
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            draft = learning.entry_draft(uow, *target)
        if isinstance(draft, EntryDraft):
            modal = blocks.entry_modal(draft.title, miss_id=draft.miss_id)
            client.views_open(trigger_id=body["trigger_id"], view=modal.to_dict())
        else:
            show_passed_on(draft, respond)

    @app.action(f"{blocks.LEARN_PAGE}_prev")
    @app.action(f"{blocks.LEARN_PAGE}_next")
    def turn_questions_page(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        page = int(action["value"]) if str(action.get("value", "")).isdigit() else 0
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            listing = learning.listing(uow, page)
        show_passed_on(listing, respond)

    routers.admin.add(FAQ_ADMIN, faq_admin, in_ack=True)
