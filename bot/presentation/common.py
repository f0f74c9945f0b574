"""Small Block Kit helpers shared by the areas' builders."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.members.slack_text import escape
from bot.domain.text import inflect, join_labels, plural

__all__ = ["context", "escape", "inflect", "join_labels", "plural", "section"]

SECTION_LIMIT = 3000


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text[:SECTION_LIMIT]))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:SECTION_LIMIT])])
