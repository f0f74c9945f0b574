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

    def form_for(
        client: WebClient, team: str, enterprise: str | None, user: str, relationship_id: int | None
    ) -> ScheduleForm | str:
        """The modal's contents, or the reason there is nothing to open."""
        with member_session(services, client, team, enterprise, user) as scope:
            return scheduling.form(scope, relationship_id) if has_joined(scope.member) else NOT_JOINED

    def schedule(request: CommandRequest) -> None:
        request.ack()
        form = form_for(request.client, request.team_id, request.enterprise_id, request.user_id, None)
        if isinstance(form, str):
            request.reply(form)
            return
        request.open_modal(blocks.propose_modal(form))

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
        chosen = int(value) if value.isdigit() else None
        form = form_for(client, context.team_id or "", context.enterprise_id, context.user_id or "", chosen)
        if isinstance(form, str):
            respond(text=form, response_type="ephemeral", replace_original=False)
            return
        client.views_open(trigger_id=body["trigger_id"], view=blocks.propose_modal(form).to_dict())

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
