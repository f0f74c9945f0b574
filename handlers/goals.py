"""`/mentor goals` and `/mentor goal add|done|drop|reopen|share|unshare`, the Home's Done button and the
"Add a goal" modal.

Goal numbers belong to the member who typed them: whoever sends `goal done 2` or clicks a Done button
acts on their own goal 2, so nobody can touch someone else's goals.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block

from bot.domain.commands import CommandSpec, split_command
from bot.domain.members import (
    CheckInKind,
    GoalDraft,
    GoalStatus,
    Problem,
    apply_check_in,
    check_goal_number,
    check_in_message,
    goal_added_message,
    local_today,
    parse_goal_add,
    parse_goal_number,
)
from bot.domain.members.dates import DUE_HORIZON_YEARS, add_years
from bot.domain.members.goals import GOAL_ADD_USAGE
from bot.domain.vocabulary import DOMAINS, domain_label
from bot.presentation import goals as blocks
from bot.presentation.common import escape
from bot.services import Services
from handlers.home import refresh_homes
from handlers.routing import CommandRequest
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session
from storage.goals import GoalRepository, goal_summary
from storage.models import Goal

logger = logging.getLogger(__name__)

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

CLOSED_SHOWN = 5
GOAL_USAGE = (
    "Here's what I can do with goals: `/mentor goal add TEXT [by DATE] [#topic]`, "
    "`/mentor goal done N`, `/mentor goal drop N`, `/mentor goal reopen N`, "
    "`/mentor goal share N` and `/mentor goal unshare N`. `/mentor goals` lists them with their numbers."
)
_ACTIONS = {
    **dict.fromkeys(("add", "new", "set"), "add"),
    **dict.fromkeys(("done", "finish", "finished", "complete", "completed"), "done"),
    **dict.fromkeys(("drop", "remove", "delete", "cancel", "abandon"), "drop"),
    **dict.fromkeys(("reopen", "undo", "restart"), "reopen"),
    **dict.fromkeys(("share", "show"), "share"),
    **dict.fromkeys(("unshare", "hide", "private"), "unshare"),
    **dict.fromkeys(("", "list", "ls", "all"), "list"),
}
_STATUS_CHANGES = {"done": CheckInKind.DONE, "drop": CheckInKind.DROPPED, "reopen": CheckInKind.REOPENED}


@dataclass(frozen=True)
class Outcome:
    """What to tell the member, and whose App Home to re-publish because of it."""

    message: str
    blocks: list[Block] | None = None
    changed: bool = False
    audience: tuple[str, ...] = field(default_factory=tuple)
    """Other members whose App Home shows this member's goals."""


def today_for(services: Services, scope: MemberScope) -> date:
    return local_today(services.clock(), scope.member.tz)


def list_goals(scope: MemberScope, page: int = 0) -> Outcome:
    repository = GoalRepository(scope.session, scope.workspace.id)
    open_goals = [goal_summary(g) for g in repository.for_member(scope.member.id, ("open",))]
    closed = [goal_summary(g) for g in repository.recently_closed(scope.member.id, CLOSED_SHOWN)]
    return Outcome(
        blocks.goals_list_text(len(open_goals)), blocks.goals_list_blocks(open_goals, closed, page)
    )


def add_goal(scope: MemberScope, draft: GoalDraft) -> Outcome:
    repository = GoalRepository(scope.session, scope.workspace.id)
    same = repository.open_with_text(scope.member.id, draft.text)
    if same is not None:
        return Outcome(
            f"You already have this goal as number {same.number}, so I didn't add it again. "
            "`/mentor goals` shows them all."
        )
    goal = repository.add(scope.member.id, draft.text, draft.domains[0] if draft.domains else None, draft.due)
    message = goal_added_message(goal.number, draft)
    if len(draft.domains) > 1:
        message += f" I filed it under {domain_label(draft.domains[0])}: one topic per goal."
    message += (
        f"\nOnly you and your mentors can see it; `/mentor goal share {goal.number}` shows it to your circle."
    )
    return Outcome(
        message, changed=True, audience=tuple(repository.audience(scope.member.id, include_peers=False))
    )


def own_goal(scope: MemberScope, number: int) -> Goal | Problem:
    """The member's goal with this number, or why there is none."""
    repository = GoalRepository(scope.session, scope.workspace.id)
    goal = repository.by_number(scope.member.id, number)
    if goal is not None:
        return goal
    problem = check_goal_number(number, repository.highest_number(scope.member.id))
    return problem or Problem(f"Goal {number} is no longer there. `/mentor goals` shows the ones you have.")


def change_status(scope: MemberScope, number: int, kind: CheckInKind, services: Services) -> Outcome:
    goal = own_goal(scope, number)
    if isinstance(goal, Problem):
        return Outcome(goal.message)
    status = apply_check_in(GoalStatus(goal.status), kind, number=number)
    if isinstance(status, Problem):
        return Outcome(status.message)
    repository = GoalRepository(scope.session, scope.workspace.id)
    repository.set_status(goal, status.value, kind.value, services.clock())
    audience = repository.audience(scope.member.id, include_peers=goal.shared)
    return Outcome(check_in_message(kind, number, goal.text), changed=True, audience=tuple(audience))


def change_sharing(scope: MemberScope, number: int, shared: bool, services: Services) -> Outcome:
    goal = own_goal(scope, number)
    if isinstance(goal, Problem):
        return Outcome(goal.message)
    text = f"goal {number} (*{escape(goal.text)}*)"
    if goal.shared == shared:
        state = (
            "already shared with your circle"
            if shared
            else "already private: only you and your mentors see it"
        )
        return Outcome(f"Your {text} is {state}.")
    repository = GoalRepository(scope.session, scope.workspace.id)
    repository.set_shared(goal, shared, services.clock())
    audience = tuple(repository.audience(scope.member.id, include_peers=True))
    if shared:
        message = f"Shared your {text}: your circle-mates will see it on their App Home."
    else:
        message = f"Your {text} is private again: only you and your mentors see it."
    return Outcome(message, changed=True, audience=audience)


def run_goal_action(services: Services, scope: MemberScope, args: str) -> Outcome:
    parsed = split_command(args)
    action = _ACTIONS.get(parsed.word)
    if action is None:
        return Outcome(GOAL_USAGE)
    if action == "list":
        return list_goals(scope)
    if action == "add":
        if not parsed.rest:
            return Outcome(GOAL_ADD_USAGE)
        draft = parse_goal_add(parsed.rest, today_for(services, scope))
        return Outcome(draft.message) if isinstance(draft, Problem) else add_goal(scope, draft)
    number = parse_goal_number(parsed.rest)
    if isinstance(number, Problem):
        return Outcome(number.message)
    if action in _STATUS_CHANGES:
        return change_status(scope, number, _STATUS_CHANGES[action], services)
    return change_sharing(scope, number, action == "share", services)


def modal_errors(
    services: Services, scope: MemberScope, text: str, picked_due: str | None, domain: str | None
) -> GoalDraft | dict[str, str]:
    """The goal the modal describes, or inline errors by block id."""
    today = today_for(services, scope)
    errors: dict[str, str] = {}
    draft = parse_goal_add(text, today) if text.strip() else Problem("Please describe your goal.")
    if isinstance(draft, Problem):
        errors["text"] = inline(draft.message)
    due: date | None = None
    if picked_due:
        try:
            due = date.fromisoformat(picked_due)
        except ValueError:
            errors["due"] = "Please pick a day from the calendar."
        else:
            if due <= today:
                errors["due"] = "Please pick a day after today."
            elif due > add_years(today, DUE_HORIZON_YEARS):
                errors["due"] = (
                    f"Please pick a deadline within {DUE_HORIZON_YEARS} years: big goals work best in smaller steps."
                )
    if domain is not None and domain not in DOMAINS:
        errors["domain"] = "Please pick a topic from the list."
    if errors or isinstance(draft, Problem):
        return errors
    domains = tuple(dict.fromkeys([domain, *draft.domains])) if domain else draft.domains
    return GoalDraft(text=draft.text, due=due or draft.due, domains=domains)


def inline(message: str) -> str:
    """A reply turned into a modal's inline error, which Slack shows as plain text."""
    return message.replace("`", "").replace("*", "")


def register(app: App, services: Services) -> None:
    def goal_command(request: CommandRequest) -> None:
        request.ack()
        args = request.args if request.parsed.word != "goals" else "list " + request.args
        with member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        ) as scope:
            outcome = (
                run_goal_action(services, scope, args) if has_joined(scope.member) else Outcome(NOT_JOINED)
            )
        request.reply(outcome.message, outcome.blocks)
        if outcome.changed:
            refresh_homes(
                services,
                request.team_id,
                request.enterprise_id,
                [request.user_id, *outcome.audience],
            )

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
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            if not has_joined(scope.member):
                outcome = Outcome(NOT_JOINED)
            elif isinstance(number, Problem):
                outcome = Outcome(number.message)
            else:
                outcome = change_status(scope, number, CheckInKind.DONE, services)
        if body.get("response_url"):
            respond(text=outcome.message, response_type="ephemeral", replace_original=False)
        refresh_homes(services, context.team_id, context.enterprise_id, [user_id, *outcome.audience])

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
            outcome = list_goals(scope, page) if has_joined(scope.member) else Outcome(NOT_JOINED)
        respond(
            text=outcome.message,
            blocks=[b.to_dict() for b in outcome.blocks or []] or None,
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
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            if not has_joined(scope.member):
                ack(response_action="errors", errors={"text": inline(NOT_JOINED)})
                return
            draft = modal_errors(services, scope, text, picked_due, domain)
            if isinstance(draft, dict):
                ack(response_action="errors", errors=draft)
                return
            outcome = add_goal(scope, draft)
        ack(response_action="update", view=blocks.goal_saved_modal(outcome.message).to_dict())
        if outcome.changed:
            refresh_homes(services, context.team_id, context.enterprise_id, [user_id, *outcome.audience])

    services.router.add(GOALS, goal_command)
    services.router.add(GOAL, goal_command)
