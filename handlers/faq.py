"""`/mentor ask QUESTION` (also `faq`, `?`), `/mentor faq` to browse topics, Related and feedback buttons:
parse, call the FAQ answers use case (`bot.usecases.faq`), render, reply."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.domain.commands import CommandSpec
from bot.domain.faq import check_question
from bot.presentation import faq as blocks
from bot.services import Services
from bot.usecases.faq import FaqAnswer, PassedOn
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers
from handlers.scope import member_session

ASK = CommandSpec(
    name="ask",
    summary="answers to questions about mentorship",
    usage=("/mentor ask QUESTION", "/mentor faq"),
    aliases=("faq", "?"),
    group="Answers",
)


def answer_blocks(answer: FaqAnswer) -> list[Block]:
    return blocks.answer_blocks(answer.entry, answer.text, answer.related, answer.question)


def register(app: App, services: Services, routers: Routers) -> None:
    faq = services.faq_answers

    def ask(request: CommandRequest) -> None:
        if request.parsed.word == "faq" and not request.args.strip():
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                browser = faq.topics(uow)
            request.reply("Mentorship topics", blocks.browser_blocks(browser.by_category))
            return
        check = check_question(request.args)
        if not check.ok:
            request.reply(check.problem or "")
            return
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            answer = faq.ask(uow, check.question, request.user_id)
        if isinstance(answer, FaqAnswer):
            request.reply(answer.entry.title, answer_blocks(answer))
        else:
            request.reply(
                answer.message,
                blocks.decline_blocks(answer.message, answer.closest, answer.miss_id, answer.question),
            )

    def show_topic(entry_id: str, context: BoltContext, respond: Respond) -> None:
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            answer = faq.topic(uow, entry_id, user_id=context.user_id or "")
        if not isinstance(answer, FaqAnswer):
            respond(text=answer.message, response_type="ephemeral", replace_original=False)
            return
        respond(
            text=answer.entry.title,
            blocks=[b.to_dict() for b in answer_blocks(answer)],
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
            vote = str(value["v"])[:32] if value.get("v") else None
        except (ValueError, KeyError, TypeError):
            return
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            thanks = faq.feedback(uow, entry_id, question, helpful, context.user_id or "", vote)
        if thanks is None:
            return
        if thanks.already:
            respond(text=blocks.VOTE_ALREADY_RECORDED, response_type="ephemeral", replace_original=False)
            return
        respond(
            text=thanks.entry.title,
            blocks=[
                b.to_dict()
                for b in blocks.thanks_blocks(
                    thanks.entry, thanks.text, thanks.helpful, thanks.miss_id, thanks.question
                )
            ],
            response_type="ephemeral",
            replace_original=True,
        )

    @app.action("faq_pass_on")
    def pass_on(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        try:
            value = json.loads(action.get("value") or "{}")
            miss_id, question = int(value["m"]), str(value["q"])
        except (ValueError, KeyError, TypeError):
            respond(text=blocks.PASS_ON_GONE, response_type="ephemeral", replace_original=False)
            return
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as unit:
            outcome = faq.pass_on(unit, miss_id, question)
        reply = {
            PassedOn.KEPT: blocks.PASSED_ON,
            PassedOn.ALREADY: blocks.ALREADY_PASSED_ON,
            PassedOn.UNKNOWN: blocks.PASS_ON_GONE,
        }[outcome]
        respond(text=reply, response_type="ephemeral", replace_original=False)

    routers.mentor.add(ASK, ask)
