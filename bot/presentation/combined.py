"""A member's one nudge DM of the day (`combined`): each part as it would read on its own, in one message.

Every part keeps its own buttons, naming its own outbox row, so answers land where they always did.
With several parts, each part's block ids end in `@<its outbox id>` (block ids must be unique in a
message, and an answer replaces only its own part); a context line said by several parts is kept once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.models.blocks import Block, DividerBlock

from bot.domain.text import plural
from bot.presentation.common import section

PART_MARK = "@"

Render = Callable[[str, dict[str, Any]], tuple[str, list[Block]]]


def part_block_id(block_id: str | None, index: int, outbox_id: int) -> str:
    return f"{block_id or f'b{index}'}{PART_MARK}{outbox_id}"


def part_of(block_id: str | None) -> tuple[str, int | None]:
    """(the block id a part gave the block, the part's outbox id) of a block in a combined DM."""
    head, mark, tail = (block_id or "").rpartition(PART_MARK)
    if not mark or not tail.isdigit():
        return block_id or "", None
    return head, int(tail)


def combined(payload: dict[str, Any], render: Render) -> tuple[str, list[Block]]:
    parts = [part for part in payload.get("parts") or [] if isinstance(part, dict)]
    rendered = [(part, *render(str(part["kind"]), dict(part.get("payload") or {}))) for part in parts]
    if len(rendered) == 1:
        _part, text, blocks = rendered[0]
        return text, blocks
    first = rendered[0][1] if rendered else "Your Mentor Circles nudges for today."
    text = f"{first} Plus {plural(len(rendered) - 1, 'more note')} in this message."
    out: list[Block] = [section("Hi! Here's everything from me today, in one message.")]
    said: set[str] = set()
    for number, (part, _text, blocks) in enumerate(rendered):
        outbox_id = int((part.get("payload") or {}).get("outbox_id") or 0)
        if number:
            out.append(DividerBlock())
        for index, block in enumerate(blocks):
            data = block.to_dict()
            if data.get("type") == "context":
                line = str(data.get("elements"))
                if line in said:
                    continue
                said.add(line)
            data["block_id"] = part_block_id(data.get("block_id"), index, outbox_id)
            parsed = Block.parse(data)
            if parsed is not None:
                out.append(parsed)
    return text, out
