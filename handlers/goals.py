"""`/mentor goals` and `/mentor goal add|done|drop|reopen|share|unshare`, the Home's Done button and the
"Add a goal" modal: parse, call the goals use case (`bot.usecases.goals`), render, reply."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.domain.commands import CommandSpec
from bot.domain.members import CheckInKind, Problem, parse_goal_number
from bot.presentation import goals as blocks
from bot.services import Services
from bot.usecases.goals import GoalOutcome, plain
from handlers.home import refresh_home
from handlers.routing import CommandRequest, Routers
from handlers.scope import NOT_JOINED, has_joined, member_session

GROUP = "Goals and meetings"
GOALS = CommandSpec(
    name="goals",
    summary="your goals, with their numbers",
    usage=("/mentor goals",),
    group=GROUP,
)
GOAL = CommandSpec(
    name="goal",
    summary="add a goal, mark it done or dropped, or share it with your circle",
    usage=(
        "/mentor goal add TEXT [by DATE] [#topic]",
        "/mentor goal done N",
        "/mentor goal drop N",
        "/mentor goal reopen N",
        "/mentor goal share N",
        "/mentor goal unshare N",
    ),
    group=GROUP,
)


def rendered(outcome: GoalOutcome) -> tuple[str, list[Block] | None]:
    if outcome.listing is None:
        return outcome.message, None
    listing = outcome.listing
    return blocks.goals_list_text(len(listing.open)), blocks.goals_list_blocks(
        listing.open, listing.closed, listing.page
    )


def register(app: App, services: Services, routers: Routers) -> None:
    goals = services.goals

    def goal_command(request: CommandRequest) -> None:
        request.ack()
        args = request.args if request.parsed.word != "goals" else "list " + request.args
        with member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        ) as scope:
            outcome = goals.run(scope, args) if has_joined(scope.member) else GoalOutcome(NOT_JOINED)
        request.reply(*rendered(outcome))

    @app.action("goal_done")
    def done_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        number = parse_goal_number(str(action.get("value") or ""))
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            if not has_joined(scope.member):
                outcome = GoalOutcome(NOT_JOINED)
            elif isinstance(number, Problem):
                outcome = GoalOutcome(number.message)
            else:
                outcome = goals.change_status(scope, number, CheckInKind.DONE)
        if not outcome.changed:
            refresh_home(services, context.team_id, context.enterprise_id, context.user_id or "")
        if body.get("response_url"):
            respond(text=outcome.message, response_type="ephemeral", replace_original=False)

    @app.action("goals_page_prev")
    @app.action("goals_page_next")
    def turn_page(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        page = int(action["value"]) if str(action.get("value", "")).isdigit() else 0
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            outcome = goals.listing(scope, page) if has_joined(scope.member) else GoalOutcome(NOT_JOINED)
        text, shown = rendered(outcome)
        respond(
            text=text,
            blocks=[b.to_dict() for b in shown or []] or None,
            response_type="ephemeral",
            replace_original=True,
        )

    @app.action("goal_add_open")
    def open_add_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=blocks.goal_add_modal().to_dict())

    @app.view("goal_add")
    def add_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        values = view["state"]["values"]
        text = values["text"]["text"].get("value") or ""
        picked_due = values["due"]["due"].get("selected_date")
        domain = (values["domain"]["domain"].get("selected_option") or {}).get("value")
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            if not has_joined(scope.member):
                ack(response_action="errors", errors={"text": plain(NOT_JOINED)})
                return
            draft = goals.from_form(scope, text, picked_due, domain)
            if isinstance(draft, dict):
                ack(response_action="errors", errors=draft)
                return
            outcome = goals.add(scope, draft)
        ack(response_action="update", view=blocks.goal_saved_modal(outcome.message).to_dict())

    routers.mentor.add(GOALS, goal_command)
    routers.mentor.add(GOAL, goal_command)
