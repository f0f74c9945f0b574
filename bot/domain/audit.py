"""What the audit log may show of an entry: command words, ids, mentions and program names, never typed text.

Entries are written before anything runs, as the request arrived: a `/mentor admin ...` attempt keeps
the words typed after `admin` (its first one in the action, the rest as the target), so a member who
types a goal or a question after `/mentor admin` leaves it in the row. Buttons and modals keep their
element's value or the modal's metadata (ids, a program name). The listing reduces both to what is safe
to show: the words of the admin commands' usage lines, short numbers, user mentions (without their
labels), whole runs of words that name one of the workspace's programs and, for buttons, their snake_case
ids, user ids, `kind:seed` values and the integer ids in a modal's metadata. Anything else is left out and the entry is marked as having hidden text.

Pure: no storage, no Slack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain.commands import CommandSpec
from bot.domain.members.slack_text import unescape
from bot.domain.programs import USER_ID

DEFAULT_ENTRIES = 20
MAX_ENTRIES = 100
TARGET_CHARS = 120

_COUNT = re.compile(r"[0-9]{1,4}")
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>")
_NUMBER = re.compile(r"#?[0-9]{1,6}")
"""Ids, pages and counts; longer digit runs (a phone number, say) are typed text."""
_KIND_SEED = re.compile(r"([a-z]{1,20}):([0-9]{1,12})")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_USAGE_SEPARATORS = re.compile(r"[\s\[\]|()]+")
_ALL_PROGRAMS = "-"


def parse_count(args: str) -> int | None:
    """N from `/mentor admin audit [N]`: the default when nothing is given, None unless a whole number 1..MAX."""
    text = args.strip()
    if not text:
        return DEFAULT_ENTRIES
    if not _COUNT.fullmatch(text):
        return None
    count = int(text)
    return count if 1 <= count <= MAX_ENTRIES else None


@dataclass(frozen=True)
class AuditVocabulary:
    """What an entry may show: the admin commands' names and aliases, the lower-case words of their usage
    lines, and the workspace's program names."""

    commands: frozenset[str]
    words: frozenset[str]
    programs: Mapping[str, str] = field(default_factory=dict)
    """Program names by their lower-cased, space-folded form."""
    longest_program: int = 0
    """The most words in one program name."""

    @classmethod
    def of(cls, specs: Iterable[CommandSpec], program_names: Iterable[str] = ()) -> AuditVocabulary:
        commands: set[str] = set()
        words: set[str] = set()
        for spec in specs:
            commands.update(spec.words)
            for line in spec.usage:
                words.update(
                    token for token in _USAGE_SEPARATORS.split(line) if token.isalpha() and token.islower()
                )
        programs = {" ".join(name.split()).lower(): name for name in program_names if name.strip()}
        longest = max((len(name.split()) for name in programs), default=0)
        return cls(frozenset(commands), frozenset(words | commands), programs, longest)

    def program_at(self, words: Sequence[str], start: int) -> tuple[str, int] | None:
        """The longest run of words from `start` that names a program, and the index after it."""
        for end in range(min(len(words), start + self.longest_program), start, -1):
            phrase = " ".join(words[start:end])
            name = self.programs.get(phrase.lower()) or self.programs.get(unescape(phrase).lower())
            if name is not None:
                return name, end
        return None


@dataclass(frozen=True)
class SafeEntry:
    action: str
    """`admin SUBCOMMAND [word]` or a button's id; "" when it was not one the app knows the shape of."""
    target: str
    """Plain text with user mentions as `<@U…>`; "" when there is nothing safe to show."""
    hidden: bool
    """Typed text was left out."""


def safe_entry(action: str, target: str, vocabulary: AuditVocabulary) -> SafeEntry:
    """What the listing may show of one stored entry's action and target."""
    tokens = action.split()
    if tokens and tokens[0].lower() == "admin":
        return _command(tokens[1:] + target.split(), vocabulary)
    shown, hidden = _button_target(target, vocabulary)
    if _IDENTIFIER.fullmatch(action):
        return SafeEntry(action, shown, hidden)
    return SafeEntry("", shown, True)


def _command(words: list[str], vocabulary: AuditVocabulary) -> SafeEntry:
    """`/mentor admin WORD ...` as typed: the subcommand when known, its verb, then the safe rest."""
    if not words:
        return SafeEntry("admin", "", False)
    subcommand = words[0].lower()
    if subcommand not in vocabulary.commands:
        return SafeEntry("admin", "", True)
    shown = ["admin", subcommand]
    rest = words[1:]
    if rest and rest[0].lower() in vocabulary.words and vocabulary.program_at(rest, 0) is None:
        shown.append(rest.pop(0).lower())
    target, hidden = _words(rest, vocabulary)
    return SafeEntry(" ".join(shown), target, hidden)


def _button_target(target: str, vocabulary: AuditVocabulary) -> tuple[str, bool]:
    """A button's value or a modal's metadata (`{"entry_id": 3}`), or a legacy payload's kind."""
    text = target.strip()
    if not text:
        return "", False
    if text == _ALL_PROGRAMS:
        return "all programs", False
    if USER_ID.fullmatch(text):
        return f"<@{text}>", False
    kind_seed = _KIND_SEED.fullmatch(text)
    if _IDENTIFIER.fullmatch(text) or (kind_seed and kind_seed.group(1) in vocabulary.words):
        return text, False
    if text.startswith("{"):
        return _metadata(text)
    return _words(text.split(), vocabulary)


def _metadata(text: str) -> tuple[str, bool]:
    try:
        data = json.loads(text)
    except ValueError:
        return "", True
    if not isinstance(data, dict):
        return "", True
    parts: list[str] = []
    hidden = False
    for key, value in data.items():
        if value is None:
            continue
        if not (isinstance(key, str) and _IDENTIFIER.fullmatch(key) and type(value) is int):
            hidden = True
            continue
        parts.append(f"{key.removesuffix('_id').replace('_', ' ')} {value}")
    return ", ".join(parts), hidden


def _words(words: list[str], vocabulary: AuditVocabulary) -> tuple[str, bool]:
    """Program names, command words, numbers and mentions as they are; anything else left out."""
    shown: list[str] = []
    hidden = False
    index = 0
    while index < len(words):
        program = vocabulary.program_at(words, index)
        if program is not None:
            shown.append(program[0])
            index = program[1]
            continue
        word = words[index]
        index += 1
        mention = _MENTION.fullmatch(word)
        if mention:
            shown.append(f"<@{mention.group(1)}>")
        elif _NUMBER.fullmatch(word) or word.lower() in vocabulary.words:
            shown.append(word.lower())
        else:
            hidden = True
    text = " ".join(shown)
    if len(text) > TARGET_CHARS:
        return text[: TARGET_CHARS - 1].rsplit(" ", 1)[0] + " …", hidden
    return text, hidden
