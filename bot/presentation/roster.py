"""Block Kit for the coordinators' roster and the people section of their App Home.

Shows who takes part, where they are placed and how their check-ins go; never goal or note text, and
nothing that tells someone left out by a do-not-match list from anyone else not placed yet.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, SectionBlock

from bot.domain.members import format_date
from bot.domain.members.slack_text import typed
from bot.domain.members.state import MemberStatus
from bot.domain.reports import percent
from bot.domain.roster import Placement, RosterEntry, RosterPage
from bot.domain.vocabulary import join_labels, role_label, stage_label
from bot.presentation.common import context, escape, plural, section
from bot.presentation.manual_matches import FROM_ROSTER, fix_button
from bot.usecases.roster import ProgramPeople

ROSTER_TEXT = "Your program's people"
PAGE_ACTION = "roster_page"
CSV_ACTION = "roster_csv"
FILTER_TITLES = {
    None: "taking part",
    "unmatched": "not placed yet",
    "paused": "on a break",
    "left": "who have left",
    "changes": "who asked for a change",
}
STATUS_LABELS = {MemberStatus.ACTIVE: "active", MemberStatus.PAUSED: "paused", MemberStatus.LEFT: "left"}


def page_value(program_id: int | None, wanted: str | None, page: int) -> str:
    return json.dumps({"program_id": program_id, "wanted": wanted, "page": page}, separators=(",", ":"))


def read_page_value(value: str) -> dict[str, Any]:
    """A roster button's value; anything malformed reads as the first page of everyone."""
    try:
        found = json.loads(value or "{}")
    except ValueError:
        found = {}
    if not isinstance(found, dict):
        found = {}
    program_id = found.get("program_id")
    wanted = found.get("wanted")
    page = found.get("page")
    return {
        "program_id": program_id if isinstance(program_id, int) else None,
        "wanted": wanted if wanted in FILTER_TITLES else None,
        "page": page if isinstance(page, int) and page >= 0 else 0,
    }


def placement_text(placement: Placement) -> str:
    if placement.kind == "circle":
        named = f" “{escape(placement.label)}”" if placement.label else ""
        people = join_labels([f"<@{user_id}>" for user_id, _ in placement.others])
        return f"circle{named} with {people}" if people else f"circle{named}"
    wanted = "mentee" if placement.role == "mentor" else "mentor"
    them = [f"<@{user_id}>" for user_id, role in placement.others if role == wanted]
    title = f"{wanted}s" if len(them) > 1 else wanted
    return f"{title} {join_labels(them)}"


def entry_text(entry: RosterEntry, with_program: bool) -> str:
    roles = join_labels([role_label(role) for role in entry.roles]) or "no role yet"
    details = [roles]
    if entry.stage:
        details.append(stage_label(entry.stage))
    if with_program:
        details.append(f"_{escape(entry.program)}_")
    placed = "; ".join(placement_text(p) for p in entry.placements) or "not placed yet"
    last = f"last met {format_date(entry.last_met)}" if entry.last_met else "no meeting logged"
    asked = entry.check_ins.asked
    answered = (
        f"answered {percent(entry.check_ins.response_rate)} of {plural(asked, 'check-in')}"
        if asked
        else "no check-ins yet"
    )
    text = (
        f"*<@{entry.user_id}>* ({escape(entry.name)}) · {' · '.join(details)}\n"
        f"{placed} · {STATUS_LABELS[entry.status]} · {last} · {answered}"
    )
    if entry.asked_for_change:
        said = [f"“{typed(reason, 300)}”" for reason in entry.change_reasons if reason]
        text += "\n:repeat: asked for a change" + (f": {'; '.join(said)}" if said else " (no reason given)")
    return text


def roster_blocks(page: RosterPage, program_id: int | None) -> list[Block]:
    query = page.query
    where = f" in {escape(query.program)}" if query.program else " in every program"
    title = f"*People {FILTER_TITLES[query.wanted]}{where}*: {page.total}"
    if page.pages > 1:
        title += f" (page {page.page + 1} of {page.pages})"
    blocks: list[Block] = [section(title)]
    if not page.entries:
        blocks.append(section("Nobody here right now."))
    blocks.extend(
        SectionBlock(block_id=f"roster_{index}", text=section(entry_text(entry, not query.program)).text)
        for index, entry in enumerate(page.entries)
    )
    buttons = []
    if page.page > 0:
        buttons.append(
            ButtonElement(
                text="Back",
                action_id=f"{PAGE_ACTION}_back",
                value=page_value(program_id, query.wanted, page.page - 1),
            )
        )
    if page.more:
        buttons.append(
            ButtonElement(
                text="More", action_id=PAGE_ACTION, value=page_value(program_id, query.wanted, page.page + 1)
            )
        )
    buttons.append(
        ButtonElement(
            text="Participation CSV",
            action_id=CSV_ACTION,
            value="" if program_id is None else str(program_id),
        )
    )
    buttons.append(fix_button(FROM_ROSTER))
    blocks.append(ActionsBlock(block_id="roster_actions", elements=buttons))
    blocks.append(
        context(
            "Filter with `unmatched`, `paused`, `left` or `changes`, for example "
            "`/mentor admin people PROGRAM unmatched`. "
            "Goals and meeting notes stay with the members."
        )
    )
    return blocks


def home_people_blocks(lines: list[ProgramPeople]) -> list[Block]:
    """The people section of the coordinators' Home: each program's count, with its roster and CSV."""
    blocks: list[Block] = [section("*People*")]
    for line in lines:
        unplaced = f", {line.unplaced} not placed yet" if line.unplaced else ""
        if line.asked_for_change:
            unplaced += f", {line.asked_for_change} asked for a change"
        blocks.append(
            SectionBlock(
                block_id=f"home_people_{line.program_id}",
                text=section(
                    f"*{escape(line.name)}*: {plural(line.taking_part, 'person', 'people')} taking part{unplaced}"
                ).text,
                accessory=ButtonElement(
                    text="See people", action_id=PAGE_ACTION, value=page_value(line.program_id, None, 0)
                ),
            )
        )
    return blocks
