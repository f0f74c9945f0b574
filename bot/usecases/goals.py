"""Goals: list, add, mark done/dropped/reopened, share with the circle.

Goal numbers belong to the member who typed them: whoever sends `goal done 2` or clicks a Done button
acts on their own goal 2, so nobody can touch someone else's goals. Every change queues a refresh of
the App Homes that show it, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.domain.commands import split_command
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
from bot.domain.members.slack_text import escape
from bot.domain.vocabulary import DOMAINS, domain_label
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import MemberUnit
from storage.goals import GoalSummary, goal_summary
from storage.models import Goal

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
class GoalListing:
    open: list[GoalSummary]
    closed: list[GoalSummary]
    page: int = 0


@dataclass(frozen=True)
class GoalOutcome:
    """What to tell the member; `listing` when they asked for their goals."""

    message: str
    listing: GoalListing | None = None
    changed: bool = False
    audience: tuple[str, ...] = field(default_factory=tuple)
    """Other members whose App Home shows this member's goals (refreshed with theirs)."""


class Goals:
    def __init__(self, deps: Deps) -> None:
        self.clock = deps.clock
        self.effects = deps.effects

    def today(self, unit: MemberUnit) -> date:
        return local_today(self.clock(), unit.member.tz)

    def listing(self, unit: MemberUnit, page: int = 0) -> GoalOutcome:
        open_goals = [goal_summary(g) for g in unit.goals.for_member(unit.member.id, ("open",))]
        closed = [goal_summary(g) for g in unit.goals.recently_closed(unit.member.id, CLOSED_SHOWN)]
        return GoalOutcome("", GoalListing(open_goals, closed, page))

    def add(self, unit: MemberUnit, draft: GoalDraft) -> GoalOutcome:
        same = unit.goals.open_with_text(unit.member.id, draft.text)
        if same is not None:
            return GoalOutcome(
                f"You already have this goal as number {same.number}, so I didn't add it again. "
                "`/mentor goals` shows them all."
            )
        goal = unit.goals.add(
            unit.member.id, draft.text, draft.domains[0] if draft.domains else None, draft.due
        )
        message = goal_added_message(goal.number, draft)
        if len(draft.domains) > 1:
            message += f" I filed it under {domain_label(draft.domains[0])}: one topic per goal."
        message += f"\nOnly you and your mentors can see it; `/mentor goal share {goal.number}` shows it to your circle."
        return self._changed(unit, message, unit.goals.audience(unit.member.id, include_peers=False))

    def own_goal(self, unit: MemberUnit, number: int) -> Goal | Problem:
        """The member's goal with this number, or why there is none."""
        goal = unit.goals.by_number(unit.member.id, number)
        if goal is not None:
            return goal
        problem = check_goal_number(number, unit.goals.highest_number(unit.member.id))
        return problem or Problem(
            f"Goal {number} is no longer there. `/mentor goals` shows the ones you have."
        )

    def change_status(self, unit: MemberUnit, number: int, kind: CheckInKind) -> GoalOutcome:
        goal = self.own_goal(unit, number)
        if isinstance(goal, Problem):
            return GoalOutcome(goal.message)
        status = apply_check_in(GoalStatus(goal.status), kind, number=number)
        if isinstance(status, Problem):
            return GoalOutcome(status.message)
        unit.goals.set_status(goal, status.value, kind.value, self.clock())
        audience = unit.goals.audience(unit.member.id, include_peers=goal.shared)
        return self._changed(unit, check_in_message(kind, number, goal.text), audience)

    def change_sharing(self, unit: MemberUnit, number: int, shared: bool) -> GoalOutcome:
        goal = self.own_goal(unit, number)
        if isinstance(goal, Problem):
            return GoalOutcome(goal.message)
        text = f"goal {number} (*{escape(goal.text)}*)"
        if goal.shared == shared:
            state = (
                "already shared with your circle"
                if shared
                else "already private: only you and your mentors see it"
            )
            return GoalOutcome(f"Your {text} is {state}.")
        unit.goals.set_shared(goal, shared, self.clock())
        if shared:
            message = f"Shared your {text}: your circle-mates will see it on their App Home."
        else:
            message = f"Your {text} is private again: only you and your mentors see it."
        return self._changed(unit, message, unit.goals.audience(unit.member.id, include_peers=True))

    def run(self, unit: MemberUnit, args: str) -> GoalOutcome:
        """`/mentor goal ...` as typed (after `goal`)."""
        parsed = split_command(args)
        action = _ACTIONS.get(parsed.word)
        if action is None:
            return GoalOutcome(GOAL_USAGE)
        if action == "list":
            return self.listing(unit)
        if action == "add":
            if not parsed.rest:
                return GoalOutcome(GOAL_ADD_USAGE)
            draft = parse_goal_add(parsed.rest, self.today(unit))
            return GoalOutcome(draft.message) if isinstance(draft, Problem) else self.add(unit, draft)
        number = parse_goal_number(parsed.rest)
        if isinstance(number, Problem):
            return GoalOutcome(number.message)
        if action in _STATUS_CHANGES:
            return self.change_status(unit, number, _STATUS_CHANGES[action])
        return self.change_sharing(unit, number, action == "share")

    def from_form(
        self, unit: MemberUnit, text: str, picked_due: str | None, domain: str | None
    ) -> GoalDraft | dict[str, str]:
        """The goal the "Add a goal" modal describes, or inline errors by block id."""
        today = self.today(unit)
        errors: dict[str, str] = {}
        draft = parse_goal_add(text, today) if text.strip() else Problem("Please describe your goal.")
        if isinstance(draft, Problem):
            errors["text"] = plain(draft.message)
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

    def _changed(self, unit: MemberUnit, message: str, audience: list[str]) -> GoalOutcome:
        self.effects.refresh_homes(unit.session, unit.workspace_id, [unit.member.slack_user_id, *audience])
        return GoalOutcome(message, changed=True, audience=tuple(audience))


def plain(message: str) -> str:
    """A reply turned into a modal's inline error, which Slack shows as plain text."""
    return message.replace("`", "").replace("*", "")
