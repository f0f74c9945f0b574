"""`/mentor admin people [PROGRAM] [unmatched|paused|left|changes] [PAGE]`, `/mentor admin people [PROGRAM] csv`:
the roster, paged with buttons, and the participation CSV sent to the coordinator's DM.

Parse, call the roster use case (`bot.usecases.roster`), render, reply. The buttons also sit on the
coordinators' App Home, where there is no message to answer: the roster then arrives in their DM.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.domain.commands import CommandSpec
from bot.domain.roster import RosterQuery, parse_query
from bot.presentation.roster import CSV_ACTION, PAGE_ACTION, ROSTER_TEXT, read_page_value, roster_blocks
from bot.services import Services
from bot.usecases.reports import UnknownProgram
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

PEOPLE = CommandSpec(
    name="people",
    summary="who takes part, where they are placed and how their check-ins go",
    usage=(
        "/mentor admin people [PROGRAM]",
        "/mentor admin people [PROGRAM] unmatched|paused|left|changes",
        "/mentor admin people [PROGRAM] csv",
    ),
    aliases=("roster",),
    descriptions=(
        "everyone taking part, with their circle or mentor, last meeting and check-in answers",
        "only those not placed yet, on a break, who have left, or who asked for a change",
        "one row per person and per circle or mentorship as a CSV, sent to our DM",
    ),
)


def register(app: App, services: Services, routers: Routers) -> None:
    roster = services.roster

    def people(request: CommandRequest) -> None:
        request.ack()
        query = parse_query(request.args)

        def reply(text: str, blocks: list[dict[str, Any]] | None = None) -> None:
            request.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            if query.csv:
                outcome: Any = roster.send_csv(uow, request.user_id, query.program)
            else:
                outcome = roster.page(uow, query)
            program_id = roster.program_id(uow, query.program)
        if isinstance(outcome, UnknownProgram) or query.csv:
            reply(outcome.message)
        else:
            reply(ROSTER_TEXT, [block.to_dict() for block in roster_blocks(outcome, program_id)])

    def page_clicked(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        asked = read_page_value(action.get("value") or "")
        query = RosterQuery(wanted=asked["wanted"], page=asked["page"])
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            shown = roster.page(uow, query, asked["program_id"])
        if isinstance(shown, UnknownProgram):
            text, blocks = shown.message, None
        else:
            text, blocks = (
                ROSTER_TEXT,
                [block.to_dict() for block in roster_blocks(shown, asked["program_id"])],
            )
        if context.response_url:
            respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)
        else:
            context.client.chat_postMessage(channel=context.user_id or "", text=text, blocks=blocks)

    @app.action(CSV_ACTION)
    def csv_clicked(ack: Ack, action: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        value = action.get("value") or ""
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            sent = services.roster.send_csv(
                uow, context.user_id or "", program_id=int(value) if value.isdigit() else None
            )
        if context.response_url:
            respond(text=sent.message, response_type="ephemeral", replace_original=False)

    app.action(PAGE_ACTION)(page_clicked)
    app.action(f"{PAGE_ACTION}_back")(page_clicked)
    routers.admin.add(PEOPLE, people)
