"""Block Kit for `/mentor admin audit [N]`: the audit log's last entries, newest first.

One line per entry (when, who, what, on what, and whether it was allowed), packed into as few sections
as Slack's 3,000-character limit allows. Times are Slack date tokens, so everyone sees their own time
zone, with UTC as the fallback text.
"""

from __future__ import annotations

import re

from slack_sdk.models.blocks import Block, HeaderBlock

from bot.presentation.common import SECTION_LIMIT, context, escape, section, slack_time
from bot.usecases.coordinator_admin import AuditLine, AuditListing

MAX_BLOCKS = 50
"""Slack's limit for one message."""
TITLE = "Audit log"
HIDDEN = "_typed text not shown_"
UNKNOWN_ACTION = "an unrecognised request"
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]+)&gt;")


def entry_line(line: AuditLine) -> str:
    actor = f"<@{line.actor}>" if line.actor else "someone"
    action = f"`{line.action}`" if line.action else UNKNOWN_ACTION
    target = _ESCAPED_MENTION.sub(r"<@\1>", escape(line.target))
    what = " ".join(part for part in (action, target, HIDDEN if line.hidden else "") if part)
    outcome = "*refused*" if line.outcome == "refused" else "ok"
    return f"• {slack_time(line.at)} · {actor} · {what} · {outcome}"


def audit_text(listing: AuditListing) -> str:
    """The plain-text fallback (and notification text)."""
    count = len(listing.lines)
    if not count:
        return "The audit log is empty so far."
    return f"{TITLE}: the last {_entries(count)}, newest first."


def audit_blocks(listing: AuditListing) -> list[Block]:
    count = len(listing.lines)
    if not count:
        return [section(audit_text(listing))]
    intro = (
        f"All {_entries(count)} so far, newest first."
        if count < listing.limit
        else f"The last {_entries(count)}, newest first."
    )
    blocks: list[Block] = [
        HeaderBlock(text=TITLE),
        context(f"{intro} Times are in your time zone. Typed text (goals, questions, notes) is never shown."),
    ]
    chunks = _chunks([entry_line(line) for line in listing.lines], SECTION_LIMIT)
    room = MAX_BLOCKS - len(blocks) - 1
    blocks.extend(section(chunk) for chunk, _ in chunks[:room])
    left_out = sum(lines for _, lines in chunks[room:])
    if left_out:
        blocks.append(
            context(
                f"The {_entries(left_out)} before these didn't fit here: "
                "ask for fewer with `/mentor admin audit N`."
            )
        )
    return blocks


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def _chunks(lines: list[str], limit: int) -> list[tuple[str, int]]:
    """Lines joined into texts of at most `limit` characters, with how many lines each holds."""
    chunks: list[tuple[str, int]] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = line[:limit]
        if current and size + 1 + len(line) > limit:
            chunks.append(("\n".join(current), len(current)))
            current, size = [], 0
        size += len(line) + (1 if current else 0)
        current.append(line)
    if current:
        chunks.append(("\n".join(current), len(current)))
    return chunks
