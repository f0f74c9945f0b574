"""Small Block Kit helpers shared by the areas' builders."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.members.slack_text import escape
from bot.domain.text import inflect, join_labels, plural

__all__ = ["context", "escape", "inflect", "join_labels", "plural", "section", "slack_time"]

SECTION_LIMIT = 3000


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:SECTION_LIMIT]))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:SECTION_LIMIT])])


def slack_time(at: datetime) -> str:
    """A Slack date token: each reader sees the moment in their own time zone, UTC where it can't be shown."""
    moment = at if at.tzinfo else at.replace(tzinfo=UTC)
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"
