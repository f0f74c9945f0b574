"""`/mentor schedule`, the "Find a time" button, the proposal modal and the vote buttons: parse, call the
scheduling use case (`bot.usecases.scheduling`), render, reply."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.domain.scheduling import MAX_SLOTS
from bot.presentation import scheduling as blocks
from bot.services import Services
from bot.usecases.goals import plain
from bot.usecases.scheduling import ScheduleForm
from handlers.goals import GROUP
from handlers.routing import CommandRequest, Routers
from handlers.scope import NOT_JOINED, has_joined, member_session

SCHEDULE = CommandSpec(
    name="schedule",
    summary="find a time to meet: propose a few times and everyone votes",
    usage=("/mentor schedule",),
    aliases=("findtime",),
    group=GROUP,
)


def picked_slots(values: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    """(day, time) as picked for each slot of the modal, None where left empty."""
    return [
        (
            (values.get(f"slot{index}_day", {}).get(f"slot{index}_day") or {}).get("selected_date"),
            (values.get(f"slot{index}_time", {}).get(f"slot{index}_time") or {}).get("selected_time"),
        )
        for index in range(MAX_SLOTS)
    ]


def register(app: App, services: Services, routers: Routers) -> None:
    scheduling = services.scheduling

    def open_form(
        client: WebClient, context: BoltContext | CommandRequest, trigger_id: str, relationship_id: int | None
    ) -> str | None:
        """Open the modal; the reason when there is nothing to open."""
        team, enterprise, user = (
            (context.team_id, context.enterprise_id, context.user_id or "")
            if isinstance(context, BoltContext)
            else (context.team_id, context.enterprise_id, context.user_id)
        )
        with member_session(services, client, team, enterprise, user) as scope:
            form = scheduling.form(scope, relationship_id) if has_joined(scope.member) else NOT_JOINED
        if not isinstance(form, ScheduleForm):
            return form
        client.views_open(trigger_id=trigger_id, view=blocks.propose_modal(form).to_dict())
        return None

    def schedule(request: CommandRequest) -> None:
        request.ack()
        refused = open_form(request.client, request, request.trigger_id, None)
        if refused:
            request.reply(refused)

    @app.action(blocks.OPEN_ACTION)
    def open_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        value = str(action.get("value") or "")
        refused = open_form(client, context, body["trigger_id"], int(value) if value.isdigit() else None)
        if refused:
            respond(text=refused, response_type="ephemeral", replace_original=False)

    @app.view(blocks.PROPOSE_VIEW)
    def proposed(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        values = view["state"]["values"]
        chosen = (values.get("relationship", {}).get("relationship", {}).get("selected_option") or {}).get(
            "value"
        ) or str(view.get("private_metadata") or "")
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            if not has_joined(scope.member):
                ack(response_action="errors", errors={"slot0_day": plain(NOT_JOINED)})
                return
            outcome = scheduling.propose(scope, chosen or None, picked_slots(values))
        if outcome.errors:
            ack(response_action="errors", errors=outcome.errors)
            return
        ack(response_action="update", view=blocks.done_modal(outcome.message).to_dict())

    @app.action(blocks.VOTE_ACTION)
    def voted(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        match = blocks.VOTE_ACTION.match(str(action.get("action_id")))
        assert match is not None
        value = str(action.get("value") or "")
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            text = (
                scheduling.vote(scope, int(value) if value.isdigit() else 0, int(match[2]), match[1] == "yes")
                if has_joined(scope.member)
                else NOT_JOINED
            )
        respond(text=text, response_type="ephemeral", replace_original=False)

    routers.mentor.add(SCHEDULE, schedule, in_ack=True)
