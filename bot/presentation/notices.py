"""The coordinators' daily DM of notices: one line per thing that needs them, counts only."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block

from bot.domain.members.dates import format_date
from bot.domain.notices import NoticeKind
from bot.presentation.common import context, escape, inflect, plural, section

STATUS_HINT = "`/mentor admin match status` shows every program's latest round and its introductions."


def _started(facts: dict[str, Any]) -> str:
    return format_date(date.fromisoformat(str(facts["starts"])))


def notice_line(kind: str, facts: dict[str, Any]) -> str:
    program = f"*{escape(str(facts.get('program', 'A program')))}*"
    if kind == NoticeKind.ROUND_DUE:
        return (
            f"{program}: {facts['round']} started on {_started(facts)} and is waiting for you. "
            "Preview its matches from the Mentor Circles Home tab, then publish when they look right."
        )
    if kind == NoticeKind.ROUND_PUBLISHED:
        groups = plural(int(facts["groups"]), "circle" if facts.get("kind") == "circles" else "mentorship")
        line = f"{program}: {facts['round']} went out on its own: {groups}, {plural(int(facts['people']), 'person', 'people')}."
        repeats = int(facts.get("repeat_pairs", 0))
        if repeats:
            line += f" {plural(repeats, 'pair')} had been matched together before."
        unplaced = int(facts.get("unplaced", 0))
        if unplaced:
            line += f" {plural(unplaced, 'person', 'people')} couldn't be placed this time."
        return line
    if kind == NoticeKind.BELOW_MINIMUM:
        return (
            f"{program}: a circle is down to {plural(int(facts['present']), 'active member')}, "
            f"below the program's minimum of {facts['minimum']}, after someone left or went on a long break."
        )
    if kind == NoticeKind.INTRO_FAILED:
        what = "a circle" if facts.get("kind") == "circle" else "a mentorship"
        return f"{program}: I couldn't post the introduction for {what}, even after retrying ({facts.get('error') or 'no answer from Slack'})."
    if kind == NoticeKind.CHANGE_REQUESTED:
        what = "mentor" if facts.get("kind") == "mentorship" else "circle"
        who = f"<@{facts['member']}>" if facts.get("member") else "Someone"
        return (
            f"{program}: {who} asked privately for a different {what}. "
            f"`/mentor admin people` shows their reason, if they gave one; "
            f"`/mentor admin rematch @member` or the next round honours it."
        )
    return f"{program}: something changed."


def coordinator_notices(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    notices = list(payload.get("notices") or ())
    text = inflect(
        len(notices), "Something in your programs needs a look", "A few things in your programs need a look"
    )
    blocks: list[Block] = [section(f"*{text}*")]
    blocks += [section(f"• {notice_line(str(n['kind']), dict(n['facts']))}") for n in notices]
    blocks.append(context(STATUS_HINT))
    return text, blocks
