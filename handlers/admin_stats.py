"""`/mentor admin stats [program] [csv|chart|feedback]`: the coordinators' report, its charts and its CSV export.

The summary is an ephemeral message; the chart (PNG) and the CSV go to the coordinator's DM with the
app through Slack's file upload, so they stay with the person who asked for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.presentation.stats import summary_blocks, summary_text
from bot.services import Services
from bot.usecases.reports import FILE_KINDS, FilesQueued, UnknownProgram
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

STATS = CommandSpec(
    name="stats",
    summary="how the program is doing: participation, meetings, goals, feedback, with charts and a CSV export",
    usage=(
        "/mentor admin stats",
        "/mentor admin stats PROGRAM",
        "/mentor admin stats [PROGRAM] chart",
        "/mentor admin stats [PROGRAM] csv",
        "/mentor admin stats [PROGRAM] feedback",
    ),
    descriptions=(
        "participation, meetings and goals across every program",
        "the same numbers for one program",
        "meetings per month as a chart, sent to our DM",
        "the numbers per month as a CSV for evaluation, sent to our DM",
        "end-of-round feedback per round as a chart, sent to our DM",
    ),
)
ALL_PROGRAMS = "-"
"""The export buttons' value when the report covers every program."""
FAQ_NOTE = "FAQ questions are counted for the whole workspace, since they're kept without names."


def register(app: App, services: Services, routers: Routers) -> None:
    reports = services.reports

    def stats(request: CommandRequest) -> None:
        request.ack()
        words = request.args.split()
        wanted = [word.lower() for word in words if word.lower() in FILE_KINDS]
        program_name = " ".join(word for word in words if word.lower() not in FILE_KINDS)

        def reply(text: str, blocks: list[dict[str, Any]] | None = None) -> None:
            request.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            outcome = (
                reports.send_files(uow, request.user_id, wanted, program_name)
                if wanted
                else reports.report(uow, program_name)
            )
        if isinstance(outcome, UnknownProgram):
            reply(outcome.message)
            return
        if isinstance(outcome, FilesQueued):
            for text in outcome.messages:
                reply(text)
            return
        blocks = summary_blocks(
            outcome, program=outcome.title if program_name else "", note=FAQ_NOTE if program_name else ""
        )
        reply(summary_text(outcome), [block.to_dict() for block in blocks])

    def exporter(kind: str) -> Callable[[Ack, dict[str, Any], WebClient, BoltContext, Respond], None]:
        def clicked(
            ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
        ) -> None:
            ack()
            value = action.get("value") or ALL_PROGRAMS
            with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
                sent = reports.send_files(
                    uow, context.user_id or "", (kind,), "" if value == ALL_PROGRAMS else value
                )
            text = sent.message if isinstance(sent, UnknownProgram) else sent.messages[0]
            respond(text=text, response_type="ephemeral", replace_original=False)

        return clicked

    app.action("stats_chart")(exporter("chart"))
    app.action("stats_csv")(exporter("csv"))
    app.action("stats_feedback")(exporter("feedback"))
    routers.admin.add(STATS, stats)
