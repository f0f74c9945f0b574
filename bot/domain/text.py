"""Cleaning what people type into Slack before the bot reads it, and the small words of English the
bot writes back: plurals and lists of names. Every message builds its counts and name lists here."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_text(text: str | None) -> str:
    """NFKC-normalised text without invisible or control characters, with runs of spaces folded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)
    text = CONTROL.sub(" ", text)
    return SPACES.sub(" ", text).strip()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def inflect(count: int, one: str, many: str | None = None) -> str:
    """The word that agrees with `count`: a noun ('mentor', 'mentors') or a verb ('coordinates',
    'coordinate'). `many` is needed for irregular plurals and for verbs; otherwise it is `one` + 's'."""
    return one if count == 1 else (many or one + "s")


def plural(count: int, one: str, many: str | None = None) -> str:
    """'0 circles', '1 circle', '2 circles', '3 people' (with `many` for irregular plurals)."""
    return f"{count} {inflect(count, one, many)}"


def join_labels(labels: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none)."""
    items = list(labels)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def file_slug(title: str) -> str:
    """A program's name as a file-name part: "IM Faculty Mentoring" → "im-faculty-mentoring"."""
    ascii_only = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.casefold()).strip("-") or "program"
