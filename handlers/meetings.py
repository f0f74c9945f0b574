"""`/mentor met` and `/mentor meetings`, the "which one was it?" buttons and the "Log a meeting" modal:
parse, call the meetings use case (`bot.usecases.meetings`), render, reply."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.domain.commands import CommandSpec
from bot.presentation import meetings as blocks
from bot.services import Services
from bot.usecases.goals import plain
from bot.usecases.meetings import EXPIRED, LoggedMeeting, MeetingOutcome, WhichMeeting
from handlers.goals import GROUP
from handlers.routing import CommandRequest, Routers
from handlers.scope import NOT_JOINED, has_joined, member_session

MET = CommandSpec(
    name="met",
    summary="log a meeting with your circle, mentor or mentee",
    usage=("/mentor met [@someone ...] [on DATE] [notes]",),
    aliases=("meet",),
    group=GROUP,
)
MEETINGS = CommandSpec(
    name="meetings",
    summary="your recent meetings and your notes",
    usage=("/mentor meetings",),
    group=GROUP,
)


def confirmation(logged: LoggedMeeting) -> str:
    met_with = logged.met_with
    who = blocks.who_phrase(met_with.kind, met_with.my_role, met_with.others, met_with.label)
    if logged.created:
        return blocks.logged_message(who, logged.held_on, with_notes=logged.note_added)
    return blocks.already_logged_message(
        who, logged.held_on, logged.logged_by, by_me=logged.by_me, note_added=logged.note_added
    )


def question_reply(question: WhichMeeting) -> tuple[str, list[Block] | None]:
    """One button per choice, each carrying the whole meeting; notes too long for a button are refused."""
    buttons = []
    for choice in question.choices:
        pending = blocks.PendingMeeting(
            choice.relationship_id, question.held_on, question.mentioned, question.notes
        )
        value = pending.encode()
        if len(value) > blocks.BUTTON_VALUE_LIMIT:
            without_notes = blocks.PendingMeeting(
                choice.relationship_id, question.held_on, question.mentioned, ""
            )
            room = blocks.BUTTON_VALUE_LIMIT - len(without_notes.encode())
            return blocks.notes_too_long_message(question.question, max(room, 0)), None
        buttons.append((choice.label, value))
    return question.question, blocks.choose_blocks(question.question, buttons)


def rendered(outcome: MeetingOutcome) -> tuple[str, list[Block] | None]:
    if outcome.logged is not None:
        return confirmation(outcome.logged), None
    if outcome.question is not None:
        return question_reply(outcome.question)
    if outcome.recent is not None:
        return outcome.message, blocks.meetings_list_blocks(outcome.recent)
    return outcome.message, None


def register(app: App, services: Services, routers: Routers) -> None:
    meetings = services.meetings

    def met(request: CommandRequest) -> None:
        request.ack()
        with member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        ) as scope:
            outcome = (
                meetings.from_command(scope, request.args, request.client)
                if has_joined(scope.member)
                else MeetingOutcome(NOT_JOINED)
            )
        request.reply(*rendered(outcome))

    def recent(request: CommandRequest) -> None:
        request.ack()
        with member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        ) as scope:
            outcome = (
                meetings.recent(scope, blocks.MEETINGS_SHOWN)
                if has_joined(scope.member)
                else MeetingOutcome(NOT_JOINED)
            )
        request.reply(*rendered(outcome))

    @app.action(re.compile(r"^meeting_pick_\d+$"))
    def picked(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        pending = blocks.PendingMeeting.decode(str(action.get("value") or ""))
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            if not has_joined(scope.member):
                outcome = MeetingOutcome(NOT_JOINED)
            elif pending is None:
                outcome = MeetingOutcome(EXPIRED)
            else:
                outcome = meetings.from_button(
                    scope, pending.relationship_id, pending.held_on, pending.mentioned, pending.notes, client
                )
        text, _ = rendered(outcome)
        respond(text=text, response_type="ephemeral", replace_original=True)

    @app.action("meeting_log_open")
    def open_log_modal(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            form = meetings.open_form(scope)
        if form is not None:
            view = blocks.meeting_log_modal(form.groups, form.today)
            client.views_open(trigger_id=body["trigger_id"], view=view.to_dict())

    @app.view("meeting_log")
    def log_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        values = view["state"]["values"]
        relationship = (
            values.get("relationship", {}).get("relationship", {}).get("selected_option") or {}
        ).get("value")
        user_ids = values["people"]["people"].get("selected_users") or []
        day = values["day"]["day"].get("selected_date")
        notes = values["notes"]["notes"].get("value") or ""
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            if not has_joined(scope.member):
                ack(response_action="errors", errors={"day": plain(NOT_JOINED)})
                return
            result = meetings.from_form(scope, relationship, user_ids, day, notes, client)
            if isinstance(result, dict):
                ack(response_action="errors", errors=result)
                return
        text, _ = rendered(result)
        ack(response_action="update", view=blocks.meeting_logged_modal(text).to_dict())

    routers.mentor.add(MET, met)
    routers.mentor.add(MEETINGS, recent)
