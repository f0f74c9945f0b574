"""The meeting agenda posted in a circle's or mentorship's group DM before its due meeting.

Its content comes from `bot.domain.agendas` through the `meeting_agenda` payload: goals the group may
see (a mentee's open goals, or the goals circle members shared), needs, the round's stage. The mentors'
one-line prep note is addressed to them in the same message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block

from bot.domain.members import format_date
from bot.domain.text import join_labels, shorten
from bot.domain.vocabulary import domain_label
from bot.presentation.common import context, escape, section

AGENDA_GOAL_TEXT = 150

OPENERS = {
    "first": "Introductions: where each of you is in training, and what you'd like from these meetings.",
    "mid": "A quick round: one win and one thing that's been hard since you last met.",
    "last": "This is the round's last meeting: look back at what moved since you started.",
}
CLOSERS = {
    "first": "Agree how often you'll meet, and pick the next date before you leave.",
    "mid": "Agree one next step each, and pick the next date before you leave.",
    "last": "Say what you'd like next round: keep going, a new focus, or a rest.",
}


def _day(value: Any) -> str:
    return format_date(date.fromisoformat(str(value))) if value else "soon"


def _who(payload: dict[str, Any]) -> str:
    if payload.get("relationship_kind") == "circle":
        label = str(payload.get("label") or "")
        return f"Your circle *{escape(label)}*" if label else "Your circle"
    return "Your mentorship"


def agenda_items(payload: dict[str, Any]) -> list[str]:
    stage = str(payload.get("stage") or "mid")
    items = [OPENERS.get(stage, OPENERS["mid"])]
    goals = list(payload.get("goals") or [])
    if goals:
        lines = [
            f"<@{goal['user_id']}>'s goal #{goal['number']}: {escape(shorten(str(goal['text']), AGENDA_GOAL_TEXT))}"
            for goal in goals
        ]
        items.append(
            "Where these goals stand, and the very next step:\n" + "\n".join(f"   • {line}" for line in lines)
        )
    needs = [domain_label(str(need)) for need in payload.get("needs") or []]
    if needs:
        items.append(f"Time for what you'd like guidance on: {join_labels(needs)}.")
    items.append(CLOSERS.get(stage, CLOSERS["mid"]))
    return items


def prep_note(payload: dict[str, Any]) -> str | None:
    """One line for the mentors of a mentorship; None for a circle."""
    mentors = [f"<@{user_id}>" for user_id in payload.get("mentors") or []]
    if not mentors:
        return None
    if payload.get("goals"):
        return f"{join_labels(mentors)}, a minute of prep: read the goals above and bring one idea for the next step."
    return (
        f"{join_labels(mentors)}, a minute of prep: ask what would help most right now, and bring one idea."
    )


def meeting_agenda(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    expected = _day(payload.get("expected_on"))
    text = f"A short agenda for your meeting due around {expected}."
    items = "\n".join(f"{number}. {item}" for number, item in enumerate(agenda_items(payload), start=1))
    blocks: list[Block] = [
        section(f"{_who(payload)} meets again around *{expected}*. A short agenda to make the most of it:"),
        section(items),
    ]
    note = prep_note(payload)
    if note:
        blocks.append(context(note))
    blocks.append(
        context("Log the meeting afterwards with `/mentor met`. Private goals and notes never appear here.")
    )
    return text, blocks
