"""`/mentor admin stats [csv|chart]`: the coordinators' report, its chart and its CSV export.

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
from handlers.admin import coordinator_or_refuse
from handlers.blocks.stats import summary_blocks, summary_text
from handlers.routing import CommandRequest
from handlers.scope import workspace_session

STATS = CommandSpec(
    name="stats",
    summary="how the program is doing: participation, meetings, goals, with a chart and a CSV export",
    usage=("/mentor admin stats", "/mentor admin stats chart", "/mentor admin stats csv"),
)
EXPORTS = ("chart", "csv")
WORKSPACE_TITLE = "all programs"
PER_PROGRAM_LATER = (
    "Reports for a single program (“{name}”) aren't available yet, so these numbers cover every "
    "program in this workspace."
)


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
    def report_for(where: Where) -> Report:
        today = local_today(services.clock(), services.settings.default_timezone)
        with workspace_session(services.db, where.team_id, where.enterprise_id) as (session, workspace):
            return gather_report(session, workspace.id, today, WORKSPACE_TITLE)

    def export(client: WebClient, where: Where, kind: str) -> str:
        report = report_for(where)
        (send_chart if kind == "chart" else send_csv)(client, where.user_id, report)
        return SENT[kind]

    def stats(request: CommandRequest) -> None:
        words = request.args.lower().split()
        request.ack()
        where = Where(request.team_id, request.enterprise_id, request.user_id)
        wanted = [word for word in words if word in EXPORTS]
        if wanted:
            for kind in dict.fromkeys(wanted):
                request.respond(
                    text=export(request.client, where, kind),
                    response_type="ephemeral",
                    replace_original=False,
                )
            return
        report = report_for(where)
        named = [word for word in request.args.split() if word.lower() not in EXPORTS]
        note = PER_PROGRAM_LATER.format(name=" ".join(named)) if named else ""
        request.respond(
            text=summary_text(report),
            blocks=[block.to_dict() for block in summary_blocks(report, note=note)],
            response_type="ephemeral",
            replace_original=False,
        )

    def exporter(kind: str) -> Callable[[Ack, WebClient, BoltContext, Respond], None]:
        def clicked(ack: Ack, client: WebClient, context: BoltContext, respond: Respond) -> None:
            ack()
            if coordinator_or_refuse(services, context, respond):
                where = Where(context.team_id, context.enterprise_id, context.user_id or "")
                respond(text=export(client, where, kind), response_type="ephemeral", replace_original=False)

        return clicked

    app.action("stats_chart")(exporter("chart"))
    app.action("stats_csv")(exporter("csv"))
    services.admin.add(STATS, stats)
