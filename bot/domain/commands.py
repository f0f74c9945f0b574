"""The `/mentor` command grammar: which subcommand was meant, and what to suggest when it was not clear."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from bot.domain.text import clean_text


@dataclass(frozen=True)
class CommandSpec:
    """One subcommand: its name, any aliases, one or more usage lines, and a one-line summary.

    `descriptions`, when given, says in one line what each usage line does (one per line, in order), so a
    listing of every form of the command never repeats one summary against different lines.
    """

    name: str
    summary: str
    usage: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    group: str = "General"
    hidden: bool = False
    descriptions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.descriptions and len(self.descriptions) != len(self.usage):
            raise ValueError(f"/mentor {self.name}: one description per usage line")

    @property
    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def described_usage(self) -> tuple[tuple[str, str], ...]:
        """Each usage line with what it does (the summary where no description was given)."""
        descriptions = self.descriptions or (self.summary,) * len(self.usage)
        return tuple(zip(self.usage, descriptions, strict=True))


@dataclass(frozen=True)
class ParsedCommand:
    word: str
    rest: str


def split_command(text: str | None) -> ParsedCommand:
    """Split cleaned text into its first word (lower-cased) and the rest, as typed."""
    cleaned = clean_text(text)
    if not cleaned:
        return ParsedCommand("", "")
    word, _, rest = cleaned.partition(" ")
    return ParsedCommand(word.lower(), rest.strip())


@dataclass
class CommandCatalog:
    specs: list[CommandSpec] = field(default_factory=list)

    def add(self, spec: CommandSpec) -> None:
        taken = {word for existing in self.specs for word in existing.words}
        clash = taken.intersection(spec.words)
        if clash:
            raise ValueError(f"/mentor {sorted(clash)[0]} is registered twice")
        self.specs.append(spec)

    def resolve(self, word: str) -> CommandSpec | None:
        return next((spec for spec in self.specs if word in spec.words), None)

    def suggest(self, word: str, limit: int = 2) -> list[CommandSpec]:
        """The subcommands closest to a mistyped word (by spelling, or by a shared prefix)."""
        if not word:
            return []
        word = word[:40]
        visible = [spec for spec in self.specs if not spec.hidden]
        by_word = {w: spec for spec in visible for w in spec.words}
        close = difflib.get_close_matches(word, list(by_word), n=limit * 2, cutoff=0.6)
        prefixed = [w for w in by_word if len(word) >= 2 and (w.startswith(word) or word.startswith(w))]
        found: list[CommandSpec] = []
        for candidate in [*close, *prefixed]:
            spec = by_word[candidate]
            if spec not in found:
                found.append(spec)
        return found[:limit]

    def visible(self) -> list[CommandSpec]:
        return [spec for spec in self.specs if not spec.hidden]
