"""`/mentor ask QUESTION` (also `faq`, `?`), `/mentor faq` to browse topics, Related and feedback buttons."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.domain.commands import CommandSpec
from bot.domain.faq import FaqEntry, FaqIndex, check_question, decline_message
from bot.presentation import faq as blocks
from bot.services import Services
from handlers.routing import CommandRequest, Routers
from handlers.scope import workspace_session
from storage.faq import FaqRepository

ASK = CommandSpec(
    name="ask",
    summary="answers to questions about mentorship",
    usage=("/mentor ask QUESTION", "/mentor faq"),
    aliases=("faq", "?"),
    group="Answers",
)


def register(app: App, services: Services, routers: Routers) -> None:
    def answer_text(entry: FaqEntry, team_id: str) -> str:
        return entry.answer_with(services.coordinators.mentions(team_id))

    def ask(request: CommandRequest) -> None:
        if request.parsed.word == "faq" and not request.args.strip():
            with workspace_session(services.db, request.team_id, request.enterprise_id) as (
                session,
                workspace,
            ):
                index = services.faq.index(session, workspace.id)
            request.reply("Mentorship topics", blocks.browser_blocks(index.by_category()))
            return
        check = check_question(request.args)
        if not check.ok:
            request.reply(check.problem or "")
            return
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            index = services.faq.index(session, workspace.id)
            result = index.search(check.question)
            if result.answer is None:
                FaqRepository(session, workspace.id).record_miss(check.question, "declined")
        if result.answer is None:
            message = decline_message(services.coordinators.mentions(request.team_id))
            request.reply(message, blocks.decline_blocks(message, result.closest()))
            return
        entry = result.answer
        request.reply(
            entry.title,
            blocks.answer_blocks(
                entry, answer_text(entry, request.team_id), index.related(entry), check.question
            ),
        )

    def index_for(context: BoltContext) -> FaqIndex:
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            return services.faq.index(session, workspace.id)

    def show_topic(entry_id: str, context: BoltContext, respond: Respond, question: str = "") -> None:
        index = index_for(context)
        entry = index.get(entry_id)
        if entry is None:
            respond(
                text="That topic is no longer available. Try `/mentor faq` to see the current ones.",
                response_type="ephemeral",
                replace_original=False,
            )
            return
        respond(
            text=entry.title,
            blocks=[
                b.to_dict()
                for b in blocks.answer_blocks(
                    entry, answer_text(entry, context.team_id or ""), index.related(entry), question
                )
            ],
            response_type="ephemeral",
            replace_original=True,
        )

    @app.action(re.compile(r"^faq_related_\d$"))
    def open_related(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        show_topic(action["value"], context, respond)

    @app.action("faq_browse")
    def open_browsed(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        show_topic(action["selected_option"]["value"], context, respond)

    @app.action(re.compile(r"^faq_(not_)?helpful$"))
    def feedback(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        helpful = action["action_id"] == "faq_helpful"
        try:
            value = json.loads(action.get("value") or "{}")
            entry_id, question = str(value["t"]), str(value.get("q", ""))
        except (ValueError, KeyError, TypeError):
            return
        with workspace_session(services.db, context.team_id, context.enterprise_id) as (session, workspace):
            index = services.faq.index(session, workspace.id)
            entry = index.get(entry_id)
            if entry is None:
                return
            repository = FaqRepository(session, workspace.id)
            repository.record_feedback(entry.id, helpful)
            if not helpful:
                repository.record_miss(
                    question or f"(opened the topic “{entry.title}”)", "not_helpful", entry.id
                )
        respond(
            text=entry.title,
            blocks=[
                b.to_dict()
                for b in blocks.thanks_blocks(entry, answer_text(entry, context.team_id or ""), helpful)
            ],
            response_type="ephemeral",
            replace_original=True,
        )

    routers.mentor.add(ASK, ask)
