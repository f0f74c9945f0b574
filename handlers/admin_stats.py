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
from sqlalchemy.orm import Session

from bot.domain.commands import CommandSpec
from bot.domain.members import local_today
from bot.domain.reports import Report
from bot.presentation.stats import summary_blocks, summary_text
from bot.reports.gather import gather_report
from bot.services import Services
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


def queue_report_file(
    services: Services, session: Session, workspace_id: int, user_id: str, kind: str, program_id: int | None
) -> None:
    services.effects.send_file(session, workspace_id, user_id, f"stats_{kind}", program_id=program_id)


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

    def export(where: Where, kind: str, program_name: str) -> str:
        """Queue the chart or CSV for the coordinator's DM; made and uploaded off the listener thread."""
        with workspace_session(services.db, where.team_id, where.enterprise_id) as (session, workspace):
            program = None
            if program_name:
                programs = ProgramRepository(session, workspace.id)
                program = programs.named(program_name)
                if program is None:
                    raise UnknownProgram(program_name, [p.name for p in programs.all()])
            queue_report_file(
                services, session, workspace.id, where.user_id, kind, program.id if program else None
            )
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
                    reply(export(where, kind, program_name))
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
                text = export(where, kind, "" if value == ALL_PROGRAMS else value)
            except UnknownProgram as unknown:
                text = unknown.message
            respond(text=text, response_type="ephemeral", replace_original=False)

        return clicked

    app.action("stats_chart")(exporter("chart"))
    app.action("stats_csv")(exporter("csv"))
    services.admin.add(STATS, stats)
