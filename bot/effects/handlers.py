"""What each kind of queued effect does in Slack, given the workspace's client.

Files are made when they are sent, from what is stored then, so their contents never sit in the queue.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot.domain.members import local_today
from bot.domain.reports import Report
from bot.domain.scheduling import ics_text
from bot.domain.text import file_slug
from bot.effects.introductions import introduce
from bot.effects.posted import find_posted, metadata
from bot.effects.worker import EffectHandler
from bot.presentation import my_data as my_data_blocks
from bot.presentation import scheduling as scheduling_blocks
from bot.presentation.common import section
from bot.presentation.home import home_screen_view
from bot.reports.export import report_csv
from bot.reports.gather import calendar_zone, gather_report
from bot.reports.participation import participation_csv
from bot.usecases.home import HomeScreen, home_screen
from bot.usecases.reports import WORKSPACE_TITLE
from bot.usecases.roster import PARTICIPATION_FILE
from bot.usecases.scheduling import invite_of, vote_board
from bot.usecases.unit_of_work import UnitOfWork, workspace_unit
from storage.effects import DM, FILE, HOME, INTRO, UPDATE, VOTE_POST, VOTE_UPDATE, WELCOME, ClaimedEffect
from storage.feedback import FeedbackRepository
from storage.models import Program
from storage.my_data import MyDataRepository
from storage.roster import RosterRepository
from storage.scheduling import MeetingPlanRepository

if TYPE_CHECKING:
    from bot.services import Services

VOTE_EVENT = scheduling_blocks.VOTE_EVENT
DM_EVENT = "mentor_circles_dm"


def effect_handlers(services: Services) -> Mapping[str, EffectHandler]:
    def publish_home(client: WebClient, effect: ClaimedEffect) -> None:
        with workspace_unit(services.db, effect.workspace_id) as uow:
            screen = home_screen(
                uow,
                services.coordinators,
                client,
                effect.user_id,
                now=services.clock(),
                timezone=services.settings.default_timezone,
            )
        client.views_publish(user_id=effect.user_id, view=home_screen_view(screen).to_dict())

    def publish_welcome(client: WebClient, effect: ClaimedEffect) -> None:
        with workspace_unit(services.db, effect.workspace_id) as uow:
            team_id, enterprise_id = uow.workspace.team_id, uow.workspace.enterprise_id or None
        screen = HomeScreen(None, services.coordinators.mentions(team_id, enterprise_id), None)
        client.views_publish(user_id=effect.user_id, view=home_screen_view(screen).to_dict())

    def post_dm(client: WebClient, effect: ClaimedEffect) -> None:
        if effect.attempts:
            channel = client.conversations_open(users=effect.user_id)["channel"]["id"]
            if find_posted(client, channel, DM_EVENT, effect.key) is not None:
                return
        client.chat_postMessage(
            channel=effect.user_id,
            text=effect.payload["text"],
            blocks=effect.payload.get("blocks") or None,
            metadata=metadata(DM_EVENT, effect.key),
        )

    def upload_file(client: WebClient, effect: ClaimedEffect) -> None:
        upload = file_upload(services, effect)
        if upload is None:
            return
        channel = (
            effect.payload.get("channel") or client.conversations_open(users=effect.user_id)["channel"]["id"]
        )
        client.files_upload_v2(channel=channel, request_file_info=False, **upload)

    def post_vote(client: WebClient, effect: ClaimedEffect) -> None:
        plan_id = int(effect.payload["plan_id"])
        with workspace_unit(services.db, effect.workspace_id) as uow:
            board = vote_board(uow, plan_id)
        if board is None:
            return
        channel = client.conversations_open(users=",".join(board.user_ids))["channel"]["id"]
        ts = find_posted(client, channel, VOTE_EVENT, effect.key) if effect.attempts else None
        if ts is None:
            posted = client.chat_postMessage(
                channel=channel,
                text=scheduling_blocks.vote_text(board),
                blocks=[block.to_dict() for block in scheduling_blocks.vote_blocks(board)],
                metadata=metadata(VOTE_EVENT, effect.key),
            )
            ts = str(posted["ts"])
        with workspace_unit(services.db, effect.workspace_id) as uow:
            MeetingPlanRepository(uow.session, uow.workspace_id).record_post(plan_id, channel, ts)

    def update_vote(client: WebClient, effect: ClaimedEffect) -> None:
        """Nothing to edit before the vote is posted: the post, made when sent, shows the latest votes."""
        with workspace_unit(services.db, effect.workspace_id) as uow:
            board = vote_board(uow, int(effect.payload["plan_id"]))
        if board is None or board.channel is None or board.ts is None:
            return
        client.chat_update(
            channel=board.channel,
            ts=board.ts,
            text=scheduling_blocks.vote_text(board),
            blocks=[block.to_dict() for block in scheduling_blocks.vote_blocks(board)],
        )

    def update_message(client: WebClient, effect: ClaimedEffect) -> None:
        text = effect.payload["text"]
        client.chat_update(
            channel=effect.payload["channel"],
            ts=effect.payload["ts"],
            text=text,
            blocks=[section(text).to_dict()],
        )

    def introduce_relationship(client: WebClient, effect: ClaimedEffect) -> None:
        introduce(
            services.db, services.clock, client, effect.workspace_id, int(effect.payload["relationship_id"])
        )

    return {
        HOME: publish_home,
        WELCOME: publish_welcome,
        DM: post_dm,
        FILE: upload_file,
        INTRO: introduce_relationship,
        UPDATE: update_message,
        VOTE_POST: post_vote,
        VOTE_UPDATE: update_vote,
    }


def file_upload(services: Services, effect: ClaimedEffect) -> dict[str, Any] | None:
    """The `files_upload_v2` arguments for a queued file, or None when there is nothing to send any more."""
    report = effect.payload.get("report")
    now = services.clock()
    with workspace_unit(services.db, effect.workspace_id) as uow:
        if report == "export":
            repository = MyDataRepository(uow.session, uow.workspace_id)
            member = repository.member(effect.user_id)
            if member is None or not repository.has_data(member):
                return None
            return {
                "content": json.dumps(
                    repository.export(member, uow.workspace, now), indent=2, ensure_ascii=False
                ),
                "filename": f"mentor-circles-my-data-{now.date().isoformat()}.json",
                "title": my_data_blocks.EXPORT_TITLE,
                "initial_comment": my_data_blocks.EXPORT_COMMENT,
            }
        if report == "invite":
            return invite_upload(uow, int(effect.payload["plan_id"]), now)
        program_id = effect.payload.get("program_id")
        program = uow.programs.get(int(program_id)) if program_id is not None else None
        if program_id is not None and program is None:
            return None
        if report == PARTICIPATION_FILE:
            return participation_upload(uow, program, local_today(now, services.settings.default_timezone))
        today = local_today(now, services.settings.default_timezone)
        title = program.name if program is not None else WORKSPACE_TITLE
        gathered = gather_report(uow.session, uow.workspace_id, today, title, program)
    if report == "stats_chart":
        return chart_upload(gathered)
    if report == "stats_feedback":
        return feedback_chart_upload(gathered)
    return csv_upload(gathered)


def invite_upload(uow: UnitOfWork, plan_id: int, now: datetime) -> dict[str, Any] | None:
    """The planned meeting's `.ics` invite, the chosen time in the comment."""
    invite = invite_of(uow, plan_id, now)
    board = vote_board(uow, plan_id)
    if invite is None or board is None:
        return None
    return {
        "content": ics_text(invite),
        "filename": "mentor-circles-meeting.ics",
        "title": invite.summary,
        "initial_comment": scheduling_blocks.invite_comment(board),
    }


def chart_upload(report: Report) -> dict[str, Any]:
    from bot.reports.chart import meetings_chart_png  # matplotlib loads on first use, not at app start

    return {
        "file": meetings_chart_png(report.cycles, report.title),
        "filename": "meetings-per-cycle.png",
        "title": f"Meetings logged per cycle: {report.title}",
        "alt_txt": f"Bar chart of meetings logged in each cycle for {report.title}",
        "initial_comment": "Here's the chart of meetings logged per cycle.",
    }


def feedback_chart_upload(report: Report) -> dict[str, Any]:
    from bot.reports.chart import feedback_chart_png

    return {
        "file": feedback_chart_png(report.feedback, report.title),
        "filename": "feedback-per-round.png",
        "title": f"End-of-round feedback per round: {report.title}",
        "alt_txt": f"Bar chart of the relationship health score in each round for {report.title}",
        "initial_comment": (
            "Here's the chart of end-of-round feedback: the health score of each round, with how many "
            "answered. A round shows no score until at least two people have answered."
        ),
    }


def csv_upload(report: Report) -> dict[str, Any]:
    return {
        "content": report_csv(report),
        "filename": f"mentor-circles-report-{file_slug(report.title)}-{report.as_of.isoformat()}.csv",
        "title": f"Program report by cycle: {report.title}",
        "snippet_type": "csv",
        "initial_comment": "Here's the report by cycle, as a CSV for your program evaluation. It holds counts only.",
    }


def participation_upload(uow: UnitOfWork, program: Program | None, today: date) -> dict[str, Any]:
    """The participation CSV as it stands now: one row per member in each program and per relationship."""
    repository = RosterRepository(uow.session, uow.workspace_id, calendar_zone(uow.session, uow.workspace_id))
    entries = sorted(repository.entries(program), key=lambda e: (e.program.casefold(), e.name.casefold()))
    title = program.name if program is not None else WORKSPACE_TITLE
    return {
        "content": participation_csv(
            entries,
            repository.relationship_rows(program),
            FeedbackRepository(uow.session, uow.workspace_id).latest(repository.programs(program)),
        ),
        "filename": f"mentor-circles-participation-{file_slug(title)}-{today.isoformat()}.csv",
        "title": f"Participation: {title}",
        "snippet_type": "csv",
        "initial_comment": (
            "Here's who takes part and how it's going, one row per person and per circle or mentorship, "
            "for your program evaluation. It holds names, dates and counts only: no goals or notes, and "
            "nobody's own feedback answers."
        ),
    }
