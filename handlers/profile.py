"""Sign-up and personal settings: `/mentor join`, `profile`, `frequency`, `pause`, `resume`, `leave`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.commands import CommandSpec
from bot.domain.members import (
    PauseUntil,
    Problem,
    format_date,
    frequency_confirmation,
    local_today,
    normalize_profile,
    parse_frequency,
    parse_pause,
    pause_confirmation,
    profile_summary_lines,
    validate_profile,
)
from bot.domain.members.state import MemberStatus
from bot.domain.programs import KIND_LABELS, ProgramSettings
from bot.presentation import profile as blocks
from bot.services import Services
from bot.usecases.introductions import queue_introductions
from handlers.home import refresh_home
from handlers.routing import CommandRequest, Routers
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session
from storage.models import Member, Program
from storage.programs import ProgramRepository
from storage.repositories import ProfileRepository

logger = logging.getLogger(__name__)

GROUP = "You and your program"
JOIN = CommandSpec(
    "join", "sign up as a mentee, mentor or peer", ("/mentor join",), ("signup", "register"), GROUP
)
PROFILE = CommandSpec("profile", "see and edit what you told us", ("/mentor profile",), ("me",), GROUP)
FREQUENCY = CommandSpec(
    "frequency",
    "how often you'd like to meet",
    ("/mentor frequency biweekly|monthly|every 6 weeks|quarterly",),
    ("cadence",),
    GROUP,
)
PAUSE = CommandSpec(
    "pause", "take a break from reminders and matches", ("/mentor pause [until DATE]",), (), GROUP
)
RESUME = CommandSpec("resume", "come back after a pause", ("/mentor resume",), ("unpause",), GROUP)
LEAVE = CommandSpec("leave", "leave the program", ("/mentor leave",), (), GROUP)

WELCOME_BACK = "Welcome back! Reminders and matches are on again."
NOT_PAUSED = "You're not paused, so there's nothing to resume. Enjoy your mentoring!"
NOT_OFFERED = "One of those programs isn't open to you. Please choose from the list."
NONE_CHOSEN = "Choose at least one program."
NO_PROGRAM = "There's no program open to you just yet. Your program coordinator can invite you."
LEFT = "You've left Mentor Circles: no more matches or reminders. Come back any time with `/mentor join`."


def status_line(member: Member) -> str | None:
    if member.status == MemberStatus.PAUSED:
        until = f" until {format_date(member.paused_until)}" if member.paused_until else " until you resume"
        return f"⏸ Paused{until}."
    return None


def may_join(
    settings: ProgramSettings, user_id: str, channel_members: Callable[[str], frozenset[str]]
) -> bool:
    """Open programs take anyone; invite-only ones the people listed or the invite channel's members."""
    if settings.enrollment == "open" or user_id in settings.invite_users:
        return True
    return settings.invite_channel is not None and user_id in channel_members(settings.invite_channel)


def channel_members(client: WebClient, channel: str) -> frozenset[str]:
    """Everyone in `channel`, page by page; nobody when the app cannot read it."""
    members: list[str] = []
    try:
        for page in client.conversations_members(channel=channel, limit=200):
            members.extend(page["members"])
    except SlackApiError as error:
        logger.warning(
            "cannot read the members of invite channel %s: %s", channel, error.response.get("error")
        )
        return frozenset()
    return frozenset(members)


def joinable(client: WebClient, programs: ProgramRepository, user_id: str) -> list[Program]:
    """The workspace's programs this person may join, default program first."""
    members_of = cache(lambda channel: channel_members(client, channel))
    return [
        program
        for program in programs.all()
        if may_join(ProgramSettings.from_json(program.settings), user_id, members_of)
    ]


def program_label(program: Program) -> str:
    kind = ProgramSettings.from_json(program.settings).kind
    return f"{program.name} ({KIND_LABELS.get(kind, kind)})"


def chosen_programs(
    allowed: list[Program], ticked: tuple[str, ...] | None, current: list[Program]
) -> list[Program] | str:
    """The programs a submission asks for, or why it cannot be accepted.

    Without a choice in the modal (one program, or a modal opened before a second program existed) the
    member keeps what they have, or joins the one program open to them.
    """
    if ticked is None:
        kept = [program for program in allowed if program in current]
        return kept or allowed[:1]
    by_value = {str(program.id): program for program in allowed}
    if any(value not in by_value for value in ticked):
        return NOT_OFFERED
    if not ticked:
        return NONE_CHOSEN
    return [by_value[value] for value in dict.fromkeys(ticked)]


def update_enrollment(
    programs: ProgramRepository, member: Member, allowed: list[Program], chosen: list[Program], now: datetime
) -> None:
    """Join the chosen programs and leave the other ones offered; programs not offered stay as they are."""
    for program in allowed:
        if program in chosen:
            programs.enroll(program, member, now)
        else:
            programs.leave(program, member, now)


def register(app: App, services: Services, routers: Routers) -> None:
    def scope(client: WebClient, context: BoltContext):
        return member_session(services, client, context.team_id, context.enterprise_id, context.user_id or "")

    def request_scope(request: CommandRequest):
        return member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        )

    def open_profile_modal(client: WebClient, trigger_id: str, current: MemberScope) -> None:
        member = current.member
        first_time = not has_joined(member)
        programs = ProgramRepository(current.session, current.workspace.id)
        allowed = joinable(client, programs, member.slack_user_id)
        if first_time and not allowed:
            client.views_open(trigger_id=trigger_id, view=blocks.no_program_modal().to_dict())
            return
        enrolled = programs.programs_of(member)
        ticked = [p for p in allowed if p in enrolled] or (allowed[:1] if first_time else [])
        choice = blocks.ProgramChoice(
            [(str(p.id), program_label(p)) for p in allowed], {str(p.id) for p in ticked}
        )
        draft = ProfileRepository(current.session, current.workspace.id).profile(member)
        if not draft.tz:
            draft = replace(draft, tz=member.tz or services.settings.default_timezone)
        client.views_open(
            trigger_id=trigger_id, view=blocks.profile_modal(draft, first_time, choice).to_dict()
        )

    def join(request: CommandRequest) -> None:
        request.ack()
        with request_scope(request) as current:
            open_profile_modal(request.client, request.trigger_id, current)

    def profile(request: CommandRequest) -> None:
        with request_scope(request) as current:
            if not has_joined(current.member):
                request.reply(NOT_JOINED)
                return
            draft = ProfileRepository(current.session, current.workspace.id).profile(current.member)
            summary, status = profile_summary_lines(draft), status_line(current.member)
        request.reply("Your profile", blocks.profile_blocks(summary, status))

    @app.action("profile_edit")
    @app.action("home_join")
    def edit_profile(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        with scope(client, context) as current:
            open_profile_modal(client, body["trigger_id"], current)

    @app.view("profile")
    def save_profile(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        draft = blocks.draft_from_state(view["state"]["values"])
        errors = validate_profile(draft, context.user_id or "")
        if errors:
            ack(response_action="errors", errors=errors)
            return
        draft = normalize_profile(draft)
        ticked = blocks.programs_from_state(view["state"]["values"])
        with scope(client, context) as current:
            programs = ProgramRepository(current.session, current.workspace.id)
            allowed = joinable(client, programs, current.member.slack_user_id)
            chosen = chosen_programs(allowed, ticked, programs.programs_of(current.member))
            if isinstance(chosen, str) or not (chosen or has_joined(current.member)):
                problem = chosen if isinstance(chosen, str) else NO_PROGRAM
                ack(response_action="errors", errors={"programs" if ticked is not None else "roles": problem})
                return
            now = services.clock()
            first_time = ProfileRepository(current.session, current.workspace.id).save(
                current.member, draft, now
            )
            update_enrollment(programs, current.member, allowed, chosen, now)
            names = [program.name for program in programs.programs_of(current.member)]
            workspace_id, member_id = current.workspace.id, current.member.id
        summary = profile_summary_lines(draft)
        if len(allowed) > 1:
            summary.append(f"Programs: {', '.join(names)}")
        ack(response_action="update", view=blocks.joined_modal(first_time, summary).to_dict())
        if first_time:
            with services.db.session() as session:
                placed = services.matching.place_late_joiner(
                    session, workspace_id, session.get_one(Member, member_id)
                )
                queue_introductions(services.effects, session, workspace_id, placed)
        refresh_home(services, context.team_id, context.enterprise_id, context.user_id or "")

    def settings_command(request: CommandRequest, change) -> None:
        with request_scope(request) as current:
            if not has_joined(current.member):
                request.reply(NOT_JOINED)
                return
            message = change(current.member)
        request.reply(message)
        refresh_home(services, request.team_id, request.enterprise_id, request.user_id)

    def frequency(request: CommandRequest) -> None:
        chosen = parse_frequency(request.args)
        if isinstance(chosen, Problem):
            request.reply(chosen.message)
            return

        def change(member: Member) -> str:
            member.frequency = chosen
            return frequency_confirmation(chosen)

        settings_command(request, change)

    def pause_member(member: Member, pause: PauseUntil) -> str:
        member.status, member.paused_until = MemberStatus.PAUSED, pause.until
        return pause_confirmation(pause)

    def resume_member(member: Member) -> str:
        if member.status != MemberStatus.PAUSED:
            return NOT_PAUSED
        member.status, member.paused_until = MemberStatus.ACTIVE, None
        return WELCOME_BACK

    def pause(request: CommandRequest) -> None:
        def change(member: Member) -> str:
            today = local_today(services.clock(), member.tz or services.settings.default_timezone)
            parsed = parse_pause(request.args, today)
            return parsed.message if isinstance(parsed, Problem) else pause_member(member, parsed)

        settings_command(request, change)

    def resume(request: CommandRequest) -> None:
        settings_command(request, resume_member)

    def leave(request: CommandRequest) -> None:
        with request_scope(request) as current:
            joined = has_joined(current.member)
        if not joined:
            request.reply("You're not in the program right now, so there's nothing to leave.")
            return
        request.reply("Leave Mentor Circles?", blocks.leave_blocks())

    def from_home(client: WebClient, context: BoltContext, change) -> None:
        with scope(client, context) as current:
            if has_joined(current.member):
                change(current.member)
        refresh_home(services, context.team_id, context.enterprise_id, context.user_id or "")

    @app.action("settings_pause")
    def pause_from_home(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        from_home(client, context, lambda member: pause_member(member, PauseUntil(None)))

    @app.action("settings_resume")
    def resume_from_home(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        from_home(client, context, resume_member)

    @app.action("settings_leave_confirm")
    def confirm_leave(ack: Ack, client: WebClient, context: BoltContext, respond: Respond) -> None:
        ack()
        with scope(client, context) as current:
            if has_joined(current.member):
                current.member.status, current.member.paused_until = MemberStatus.LEFT, None
        respond(text=LEFT, replace_original=True, response_type="ephemeral")
        refresh_home(services, context.team_id, context.enterprise_id, context.user_id or "")

    @app.action("settings_leave_cancel")
    def cancel_leave(ack: Ack, respond: Respond) -> None:
        ack()
        respond(
            text="Glad you're staying! Nothing has changed.", replace_original=True, response_type="ephemeral"
        )

    for spec, handler in (
        (JOIN, join),
        (PROFILE, profile),
        (FREQUENCY, frequency),
        (PAUSE, pause),
        (RESUME, resume),
        (LEAVE, leave),
    ):
        routers.mentor.add(spec, handler)
