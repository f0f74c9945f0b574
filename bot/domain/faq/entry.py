"""The FAQ entry: one answer the bot can give, built in or written by a workspace's coordinators."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Source = Literal["builtin", "workspace"]

COORDINATORS_PLACEHOLDER = "{coordinators}"
WELLBEING_CONTACTS_PLACEHOLDER = "{wellbeing_contacts}"
MAX_ANSWER_CHARS = 2900
"""Slack caps a section block's text at 3,000 characters; the margin leaves room for the placeholder."""


@dataclass(frozen=True)
class FaqEntry:
    """An answer with what search needs to find it.

    ``workspace_id`` is None for the built-in entries; a workspace's own entries carry their workspace,
    which keeps them out of every other workspace's index.
    """

    id: str
    title: str
    category: str
    answer: str
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = ()
    workspace_id: str | None = None
    learned: tuple[str, ...] = ()
    """Questions a workspace's coordinators answered with this entry: searched like phrasings, in that
    workspace's index only (a built-in entry carries them only in its copy for that workspace)."""

    def __post_init__(self) -> None:
        for name in ("related", "keywords", "phrasings", "learned"):
            value = getattr(self, name)
            if isinstance(value, str):
                raise TypeError(f"FaqEntry.{name} must be a sequence of strings, not a string")
            object.__setattr__(self, name, tuple(value))
        if not self.id.strip():
            raise ValueError("FaqEntry.id must not be empty")

    @property
    def source(self) -> Source:
        return "builtin" if self.workspace_id is None else "workspace"

    def answer_with(self, coordinators: str, wellbeing_contacts: str = "") -> str:
        """The answer with its placeholders filled in: the coordinators (e.g. as Slack mentions) and, in the
        wellbeing answer, who to talk to (the program's own contacts or the knowledge base's default)."""
        text = fill_coordinators(self.answer, coordinators)
        return text.replace(WELLBEING_CONTACTS_PLACEHOLDER, wellbeing_contacts.strip())


def fill_coordinators(text: str, coordinators: str) -> str:
    return text.replace(COORDINATORS_PLACEHOLDER, coordinators)


def as_tuple(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())
