"""Block Kit for `/mentor goals` and the "Add a goal" modal."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.members import format_date
from bot.domain.members.goals import GOAL_TEXT_MAX
from bot.domain.text import shorten
from bot.domain.vocabulary import DOMAINS, domain_label, sentence_case
from bot.presentation.common import context, escape, plural, section
from storage.goals import GoalSummary

GOALS_PER_PAGE = 20
PRIVACY_NOTE = (
    "Only you and your mentors see your goals. Circle-mates see the ones you share (`/mentor goal share N`)."
)
COMMANDS_NOTE = (
    "`/mentor goal add TEXT [by DATE] [#topic]` · `/mentor goal done N` · `/mentor goal drop N` · "
    "`/mentor goal share N`"
)


def goal_details(goal: GoalSummary) -> list[str]:
    details = []
    if goal.due_on and goal.status == "open":
        details.append(f"by {format_date(goal.due_on)}")
    if goal.domain:
        details.append(domain_label(goal.domain))
    if goal.shared:
        details.append("shared with your circle")
    if goal.check_ins:
        details.append(plural(goal.check_ins, "check-in"))
    return details


def goal_line(goal: GoalSummary) -> str:
    details = goal_details(goal)
    suffix = f" _({', '.join(details)})_" if details else ""
    return f"*#{goal.number}* {escape(shorten(goal.text, 300))}{suffix}"


def closed_line(goal: GoalSummary) -> str:
    mark = "✅ done" if goal.status == "done" else "dropped"
    details = goal_details(goal)
    suffix = f", {', '.join(details)}" if details else ""
    return f"#{goal.number} {escape(shorten(goal.text, 120))} _({mark}{suffix})_"


def page_count(total: int) -> int:
    return max(1, -(-total // GOALS_PER_PAGE))


def goals_list_text(open_count: int) -> str:
    if open_count == 0:
        return "You have no open goals."
    return f"You have {plural(open_count, 'open goal')}."


def goals_list_blocks(
    open_goals: Sequence[GoalSummary], closed: Sequence[GoalSummary], page: int = 0
) -> list[Block]:
    """Open goals a page at a time (each with a Done button), then the recently finished ones."""
    if not open_goals and not closed:
        return [
            section(
                "You haven't set any goals yet. A good goal is small and concrete, like "
                "`/mentor goal add Submit my case report by March #research`."
            ),
            context(PRIVACY_NOTE),
        ]
    pages = page_count(len(open_goals))
    page = min(max(page, 0), pages - 1)
    shown = open_goals[page * GOALS_PER_PAGE : (page + 1) * GOALS_PER_PAGE]
    blocks: list[Block] = [HeaderBlock(text=f"Your goals ({len(open_goals)} open)")]
    if not open_goals:
        blocks.append(section("No open goals right now. Add the next one whenever you're ready."))
    for goal in shown:
        blocks.append(
            SectionBlock(
                block_id=f"goal_{goal.number}",
                text=section(goal_line(goal)).text,
                accessory=ButtonElement(text="Done", action_id="goal_done", value=str(goal.number)),
            )
        )
    if pages > 1:
        blocks.append(context(f"Page {page + 1} of {pages}"))
        buttons = []
        if page > 0:
            buttons.append(ButtonElement(text="Previous", action_id="goals_page_prev", value=str(page - 1)))
        if page < pages - 1:
            buttons.append(ButtonElement(text="Next", action_id="goals_page_next", value=str(page + 1)))
        blocks.append(ActionsBlock(block_id="goals_pages", elements=buttons))
    if closed and page == pages - 1:
        lines = "\n".join(closed_line(goal) for goal in closed)
        blocks.append(section(f"*Recently finished*\n{lines}"))
    blocks.append(context(COMMANDS_NOTE))
    blocks.append(context(PRIVACY_NOTE))
    return blocks


def domain_option(domain: str) -> Option:
    return Option(text=sentence_case(shorten(domain_label(domain), 75)), value=domain)


def goal_add_modal() -> View:
    return View(
        type="modal",
        callback_id="goal_add",
        title="Add a goal",
        submit="Add goal",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="text",
                label="Your goal",
                hint="Small and concrete works best.",
                element=PlainTextInputElement(
                    action_id="text",
                    placeholder="e.g. Submit my case report",
                    max_length=GOAL_TEXT_MAX,
                ),
            ),
            InputBlock(
                block_id="due",
                label="Deadline",
                optional=True,
                element=DatePickerElement(action_id="due", placeholder="Pick a day"),
            ),
            InputBlock(
                block_id="domain",
                label="Topic",
                optional=True,
                element=StaticSelectElement(
                    action_id="domain",
                    placeholder="Research, teaching, wellbeing…",
                    options=[domain_option(domain) for domain in DOMAINS],
                ),
            ),
            context(PRIVACY_NOTE),
        ],
    )


def goal_saved_modal(message: str) -> View:
    return View(type="modal", title="Your goals", close="Done", blocks=[section(message)])
