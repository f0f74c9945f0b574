"""Sign-up and personal settings: `/mentor join`, `profile`, `frequency`, `pause`, `resume`, `leave`: parse,
call the profiles use case (`bot.usecases.profile`), render, reply."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.domain.commands import CommandSpec
from bot.domain.members import Problem, parse_frequency
from bot.presentation import profile as blocks
from bot.services import Services
from bot.usecases.profile import ProfileForm, ProfileRejected
from handlers.modal_updates import update_view
from handlers.routing import CommandRequest, Routers
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session

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
LEAVE = CommandSpec(
    "leave", "leave one of your programs, or all of them", ("/mentor leave [PROGRAM]",), (), GROUP
)
LEAVE_PROGRAM = re.compile(r"^settings_leave_program_\d+$")

LEAVE_PROMPT = "Leave Mentor Circles?"
SHAPING_ACTION = re.compile("^(" + "|".join(blocks.SHAPING_ACTIONS) + ")$")


def profile_view(form: ProfileForm) -> View:
    if form.nothing_to_join:
        return blocks.no_program_modal()
    return blocks.profile_modal(form.draft, form.first_time, blocks.ProgramChoice(form.programs, form.ticked))


def register(app: App, services: Services, routers: Routers) -> None:
    profiles = services.profiles

    def scope(client: WebClient, context: BoltContext) -> AbstractContextManager[MemberScope]:
        return member_session(services, client, context.team_id, context.enterprise_id, context.user_id or "")

    def request_scope(request: CommandRequest) -> AbstractContextManager[MemberScope]:
        return member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        )

    def join(request: CommandRequest) -> None:
        request.ack()
        with request_scope(request) as current:
            form = profiles.form(current, request.client)
        request.open_modal(profile_view(form))

    def profile(request: CommandRequest) -> None:
        with request_scope(request) as current:
            summary = profiles.summary(current) if has_joined(current.member) else None
        if summary is None:
            request.reply(NOT_JOINED)
            return
        request.reply("Your profile", blocks.profile_blocks(list(summary.lines), summary.status))

    @app.action("profile_edit")
    @app.action("home_join")
    def edit_profile(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        with scope(client, context) as current:
            form = profiles.form(current, client)
        client.views_open(trigger_id=body["trigger_id"], view=profile_view(form).to_dict())

    @app.action({"type": "block_actions", "action_id": SHAPING_ACTION})
    def reshape_profile(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """Roles or specialty changed in the profile modal: rebuild it to ask what now applies, keeping
        every answer typed so far (`view.state.values`)."""
        ack()
        view = body.get("view") or {}
        if view.get("callback_id") != blocks.PROFILE_CALLBACK:
            return
        values = (view.get("state") or {}).get("values") or {}
        with scope(client, context) as current:
            form = profiles.form(current, client, prefill_stage=False)
        if form.nothing_to_join:
            return
        ticked = blocks.programs_from_state(values)
        choice = blocks.ProgramChoice(form.programs, form.ticked if ticked is None else ticked)
        draft = blocks.draft_from_state(values, form.draft)
        update_view(client, view, blocks.profile_modal(draft, form.first_time, choice).to_dict())

    @app.view(blocks.PROFILE_CALLBACK)
    def save_profile(ack: Ack, view: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        values = view["state"]["values"]
        draft, ticked = blocks.draft_from_state(values), blocks.programs_from_state(values)
        with scope(client, context) as current:
            saved = profiles.save(current, client, draft, ticked)
        if isinstance(saved, ProfileRejected):
            ack(response_action="errors", errors=blocks.modal_errors(saved.errors, view["blocks"]))
            return
        ack(
            response_action="update",
            view=blocks.joined_modal(saved.first_time, list(saved.summary)).to_dict(),
        )
        profiles.place_late_joiner(saved)

    def frequency(request: CommandRequest) -> None:
        chosen = parse_frequency(request.args)
        if isinstance(chosen, Problem):
            request.reply(chosen.message)
            return
        with request_scope(request) as current:
            outcome = profiles.set_frequency(current, chosen) if has_joined(current.member) else None
        request.reply(outcome.message if outcome else NOT_JOINED)

    def pause(request: CommandRequest) -> None:
        with request_scope(request) as current:
            outcome = profiles.pause(current, request.args) if has_joined(current.member) else None
        request.reply(outcome.message if outcome else NOT_JOINED)

    def resume(request: CommandRequest) -> None:
        with request_scope(request) as current:
            outcome = profiles.resume(current) if has_joined(current.member) else None
        request.reply(outcome.message if outcome else NOT_JOINED)

    def leave(request: CommandRequest) -> None:
        with request_scope(request) as current:
            offer = profiles.offer_leave(current, request.args)
        if offer.choices:
            request.reply(offer.message, blocks.leave_choice_blocks(offer.message, offer.choices))
        elif offer.can_leave:
            request.reply(LEAVE_PROMPT, blocks.leave_blocks())
        else:
            request.reply(offer.message)

    @app.action("settings_pause")
    def pause_from_home(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        with scope(client, context) as current:
            profiles.pause_from_home(current)

    @app.action("settings_resume")
    def resume_from_home(ack: Ack, client: WebClient, context: BoltContext) -> None:
        ack()
        with scope(client, context) as current:
            profiles.resume_from_home(current)

    @app.action("settings_leave_confirm")
    def confirm_leave(ack: Ack, client: WebClient, context: BoltContext, respond: Respond) -> None:
        ack()
        with scope(client, context) as current:
            outcome = profiles.confirm_leave(current)
        respond(text=outcome.message, replace_original=True, response_type="ephemeral")

    @app.action(LEAVE_PROGRAM)
    def leave_program(
        ack: Ack, action: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        with scope(client, context) as current:
            outcome = profiles.leave_program(current, str(action.get("value") or ""))
        respond(text=outcome.message, replace_original=True, response_type="ephemeral")

    @app.action("settings_leave_cancel")
    def cancel_leave(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text=profiles.cancel_leave().message, replace_original=True, response_type="ephemeral")

    routers.mentor.add(JOIN, join, in_ack=True)
    for spec, handler in (
        (PROFILE, profile),
        (FREQUENCY, frequency),
        (PAUSE, pause),
        (RESUME, resume),
        (LEAVE, leave),
    ):
        routers.mentor.add(spec, handler)
