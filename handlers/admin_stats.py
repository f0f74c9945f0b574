"""`/mentor admin stats [program] [csv|chart]`: the coordinators' report, its chart and its CSV export.

The summary is an ephemeral message; the chart (PNG) and the CSV go to the coordinator's DM with the
app through Slack's file upload, so they stay with the person who asked for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.domain.members import local_today
from bot.domain.reports import Report
from bot.reports.export import report_csv
from bot.reports.gather import gather_report
from bot.services import Services
from handlers.blocks.stats import summary_blocks, summary_text
from handlers.routing import CommandRequest
from handlers.scope import workspace_session
from storage.programs import ProgramRepository

STATS = CommandSpec(
    name="stats",
    summary="how the program is doing: participation, meetings, goals, with a chart and a CSV export",
    usage=(
        "/mentor admin stats",
        "/mentor admin stats PROGRAM",
        "/mentor admin stats [PROGRAM] chart",
        "/mentor admin stats [PROGRAM] csv",
    ),
)
EXPORTS = ("chart", "csv")
WORKSPACE_TITLE = "all programs"
ALL_PROGRAMS = "-"
"""The export buttons' value when the report covers every program."""
UNKNOWN_PROGRAM = "I couldn't find a program called “{name}”. The programs here are: {names}."
FAQ_NOTE = "FAQ questions are counted for the whole workspace, since they're kept without names."


class UnknownProgram(LookupError):
    def __init__(self, name: str, names: list[str]) -> None:
        super().__init__(name)
        self.message = UNKNOWN_PROGRAM.format(name=name, names=", ".join(names))


@dataclass(frozen=True)
class Where:
    """The workspace a request came from, and who is asking."""

    team_id: str | None
    enterprise_id: str | None
    user_id: str


def _send_to_dm(client: WebClient, user_id: str, **upload: Any) -> None:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel, request_file_info=False, **upload)


def send_chart(client: WebClient, user_id: str, report: Report) -> None:
    from bot.reports.chart import meetings_chart_png  # matplotlib loads on first use, not at app start

    _send_to_dm(
        client,
        user_id,
        file=meetings_chart_png(report.cycles, report.title),
        filename="meetings-per-cycle.png",
        title=f"Meetings logged per cycle: {report.title}",
        alt_txt=f"Bar chart of meetings logged in each cycle for {report.title}",
        initial_comment="Here's the chart of meetings logged per cycle.",
    )


def send_csv(client: WebClient, user_id: str, report: Report) -> None:
    _send_to_dm(
        client,
        user_id,
        content=report_csv(report),
        filename=f"mentor-circles-report-{report.as_of.isoformat()}.csv",
        title=f"Program report by cycle: {report.title}",
        snippet_type="csv",
        initial_comment="Here's the report by cycle, as a CSV for your program evaluation. It holds counts only.",
    )


SENT = {
    "chart": "I've sent the chart to our direct messages.",
    "csv": "I've sent the CSV export to our direct messages.",
}


def register(app: App, services: Services) -> None:
    def report_for(where: Where, program_name: str) -> Report:
        """The workspace's report, or one program's when `program_name` is given.

        Raises `UnknownProgram` when the workspace has no program by that name.
        """
        today = local_today(services.clock(), services.settings.default_timezone)
        with workspace_session(services.db, where.team_id, where.enterprise_id) as (session, workspace):
            if not program_name:
                return gather_report(session, workspace.id, today, WORKSPACE_TITLE)
            programs = ProgramRepository(session, workspace.id)
            program = programs.named(program_name)
            if program is None:
                raise UnknownProgram(program_name, [p.name for p in programs.all()])
            return gather_report(session, workspace.id, today, program.name, program)

    def export(client: WebClient, where: Where, kind: str, program_name: str) -> str:
        report = report_for(where, program_name)
        (send_chart if kind == "chart" else send_csv)(client, where.user_id, report)
        return SENT[kind]

    def stats(request: CommandRequest) -> None:
        request.ack()
        words = request.args.split()
        wanted = list(dict.fromkeys(word.lower() for word in words if word.lower() in EXPORTS))
        program_name = " ".join(word for word in words if word.lower() not in EXPORTS)
        where = Where(request.team_id, request.enterprise_id, request.user_id)

        def reply(text: str, blocks: list[dict[str, Any]] | None = None) -> None:
            request.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

        try:
            if wanted:
                for kind in wanted:
                    reply(export(request.client, where, kind, program_name))
                return
            report = report_for(where, program_name)
        except UnknownProgram as unknown:
            reply(unknown.message)
            return
        blocks = summary_blocks(
            report, program=report.title if program_name else "", note=FAQ_NOTE if program_name else ""
        )
        reply(summary_text(report), [block.to_dict() for block in blocks])

    def exporter(kind: str) -> Callable[[Ack, dict[str, Any], WebClient, BoltContext, Respond], None]:
        def clicked(
            ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
        ) -> None:
            ack()
            where = Where(context.team_id, context.enterprise_id, context.user_id or "")
            value = action.get("value") or ALL_PROGRAMS
            try:
                text = export(client, where, kind, "" if value == ALL_PROGRAMS else value)
            except UnknownProgram as unknown:
                text = unknown.message
            respond(text=text, response_type="ephemeral", replace_original=False)

        return clicked

    app.action("stats_chart")(exporter("chart"))
    app.action("stats_csv")(exporter("csv"))
    services.admin.add(STATS, stats)
