"""Block Kit for finding a time: the proposal modal, the vote message in the group DM, the invite's words,
and the "Find a time" button that introductions and "not yet" replies carry.

Every time is a Slack date token, so each person in the group DM sees the slots in their own zone.
"""

from __future__ import annotations

import re
from datetime import date, time

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    InputBlock,
    Option,
    StaticSelectElement,
    TimePickerElement,
)
from slack_sdk.models.views import View

from bot.domain.scheduling import MAX_SLOTS
from bot.domain.text import shorten
from bot.presentation.common import context, escape, join_labels, plural, section, slack_time
from bot.usecases.scheduling import ScheduleForm, VoteBoard

OPEN_ACTION = "schedule_open"
PROPOSE_VIEW = "schedule_propose"
VOTE_ACTION = re.compile(r"^schedule_(yes|no)_(\d+)$")
VOTE_EVENT = "mentor_circles_vote"
FIND_A_TIME = "Find a time"


def find_time_button(relationship_id: int) -> ActionsBlock:
    return ActionsBlock(
        block_id="schedule_open",
        elements=[ButtonElement(text=FIND_A_TIME, action_id=OPEN_ACTION, value=str(relationship_id))],
    )


def propose_modal(form: ScheduleForm) -> View:
    """Up to four slots (a day and a time each) in the member's own zone, suggestions filled in."""
    blocks: list[Block] = []
    if len(form.groups) > 1 or form.chosen is None:
        options = [Option(text=shorten(label, 75), value=str(rid)) for rid, label in form.groups[:100]]
        initial = next((option for option in options if option.value == str(form.chosen)), None)
        blocks.append(
            InputBlock(
                block_id="relationship",
                label="Circle or mentorship",
                element=StaticSelectElement(
                    action_id="relationship",
                    placeholder="Choose one",
                    options=options,
                    initial_option=initial,
                ),
            )
        )
    blocks.append(
        section(
            f"Propose up to {MAX_SLOTS} times, in your time zone ({escape(form.tz)}). Everyone sees them "
            "in their own zone and votes in your group DM."
            + (" I've filled in times that suit everyone's usual hours." if form.suggested else "")
        )
    )
    for index in range(MAX_SLOTS):
        day, at = form.suggested[index] if index < len(form.suggested) else (None, None)
        blocks += slot_inputs(index, day, at)
    return View(
        type="modal",
        callback_id=PROPOSE_VIEW,
        title=FIND_A_TIME,
        submit="Post the vote",
        close="Cancel",
        private_metadata=str(form.chosen or ""),
        blocks=blocks,
    )


def slot_inputs(index: int, day: date | None, at: time | None) -> list[Block]:
    number = index + 1
    return [
        InputBlock(
            block_id=f"slot{index}_day",
            label=f"Time {number}: day",
            optional=True,
            element=DatePickerElement(
                action_id=f"slot{index}_day",
                initial_date=day.isoformat() if day else None,
                placeholder="Pick a day",
            ),
        ),
        InputBlock(
            block_id=f"slot{index}_time",
            label=f"Time {number}: time",
            optional=True,
            element=TimePickerElement(
                action_id=f"slot{index}_time",
                initial_time=at.strftime("%H:%M") if at else None,
                placeholder="Pick a time",
            ),
        ),
    ]


def done_modal(message: str) -> View:
    return View(type="modal", title=FIND_A_TIME, close="Done", blocks=[section(message)])


def vote_text(board: VoteBoard) -> str:
    if board.chosen_at is not None:
        return f"It's settled: you're meeting {slack_time(board.chosen_at)}."
    who = f"<@{board.proposer}> would like" if board.proposer else "Let's"
    return f"{who} to find a time to meet. Which of these can you make?"


def vote_blocks(board: VoteBoard) -> list[Block]:
    """The vote as it stands: each slot with who can and can't, and its buttons until one is chosen."""
    blocks: list[Block] = [section(vote_text(board))]
    for entry in board.slots:
        line = f"*{slack_time(entry.at)}*"
        if entry.can:
            line += f"\n✓ Can make it: {join_labels([f'<@{u}>' for u in entry.can])}"
        if entry.cannot:
            line += f"\n✗ Can't: {join_labels([f'<@{u}>' for u in entry.cannot])}"
        if board.chosen is not None and entry.index == board.chosen:
            line += "\n📅 *This is the one.*"
        blocks.append(section(line))
        if board.chosen is None:
            blocks.append(
                ActionsBlock(
                    block_id=f"schedule_vote_{entry.index}",
                    elements=[
                        ButtonElement(
                            text="I can make it",
                            action_id=f"schedule_yes_{entry.index}",
                            value=str(board.plan_id),
                            style="primary",
                        ),
                        ButtonElement(
                            text="I can't",
                            action_id=f"schedule_no_{entry.index}",
                            value=str(board.plan_id),
                        ),
                    ],
                )
            )
    if board.chosen is None:
        blocks.append(context(progress(board)))
    return blocks


def progress(board: VoteBoard) -> str:
    answered = plural(board.answered, "person has", "people have") if board.answered else "Nobody has"
    return (
        f"{answered} answered so far. I'll settle on a time once at least {board.needed} of you have "
        "answered and everyone who answered can make the same one."
    )


def invite_comment(board: VoteBoard) -> str:
    assert board.chosen_at is not None
    return (
        f"📅 It's settled: {join_labels([f'<@{u}>' for u in board.user_ids])}, you're meeting "
        f"{slack_time(board.chosen_at)}. Here's a calendar invite to add it to your calendar. "
        "I'll ask how it went after the meeting, not before."
    )
