"""Block Kit as readable terminal text: pure functions from block dicts to lines.

Interactive elements (buttons, selects, pickers) come back as numbered `Control`s so the shell can
press them with `:click N`. Input blocks are shown as fields; `bot.shell.forms` asks for them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DIVIDER = "-" * 40

CONTROL_ELEMENTS = frozenset(
    {
        "button",
        "static_select",
        "external_select",
        "multi_static_select",
        "multi_external_select",
        "overflow",
        "radio_buttons",
        "checkboxes",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
        "datepicker",
        "timepicker",
        "datetimepicker",
    }
)
SINGLE_CHOICE = frozenset({"static_select", "external_select", "overflow", "radio_buttons"})
MULTI_CHOICE = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})

_SPECIAL = re.compile(r"<([^<>]*)>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))


@dataclass(frozen=True)
class Names:
    """How to read ids and markup: user id -> handle (`alice`), channel id -> name (`residents`), and
    whether mrkdwn gets terminal styles (bold, code, links) or stays as Slack wrote it."""

    users: Mapping[str, str] = field(default_factory=dict)
    channels: Mapping[str, str] = field(default_factory=dict)
    styled: bool = False
    tz: str | None = None
    """The reader's time zone: Slack date tokens show in it, as Slack shows them (else their fallback)."""

    def user(self, user_id: str) -> str:
        return "@" + self.users.get(user_id, user_id)

    def user_id(self, typed: str) -> str | None:
        """The id of the user typed as `@ben`, `ben` or an id; None when nobody matches."""
        handle = typed.strip().removeprefix("@").lower()
        if typed.strip() in self.users:
            return typed.strip()
        return next((uid for uid, name in self.users.items() if name.lower() == handle), None)

    def channel_id(self, typed: str) -> str | None:
        name = typed.strip().removeprefix("#").lower()
        if typed.strip() in self.channels:
            return typed.strip()
        return next((cid for cid, cname in self.channels.items() if cname.lower() == name), None)


def escape_mentions(text: str, names: Names) -> str:
    """`@ben` as Slack sends it with the command's "escape" option on: `<@U0SBBEN|ben>`."""

    def mention(match: re.Match[str]) -> str:
        user_id = names.user_id(match.group(1))
        return f"<@{user_id}|{names.users[user_id]}>" if user_id else match.group(0)

    return re.sub(r"(?<![<\w])@([A-Za-z0-9._-]+)", mention, text)


NO_NAMES = Names()
"""For rendering without a directory: ids stay as they are."""


@dataclass(frozen=True)
class Control:
    """An element the user can use with `:click number`."""

    number: int
    block_id: str
    element: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))

    @property
    def action_id(self) -> str:
        return str(self.element.get("action_id", ""))

    @property
    def needs_choice(self) -> bool:
        return self.kind != "button"


@dataclass
class Rendered:
    lines: list[str] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def extend(self, other: Rendered) -> None:
        self.lines.extend(other.lines)
        self.controls.extend(other.controls)


def mrkdwn(text: str, names: Names = NO_NAMES) -> str:
    """Slack mrkdwn made readable: mentions named, links labelled, entities unescaped. `*bold*`, `_italic_`
    and `` `code` `` stay as written unless `names.styled`, when they become terminal styles."""
    if names.styled:
        text = _styled(text)
    return _unescape(_SPECIAL.sub(lambda match: _special(match.group(1), names), text))


ESC = "\x1b"
BOLD, ITALIC, STRIKE, CODE, RESET_INTENSITY, RESET_ITALIC, RESET_STRIKE, RESET_COLOUR = (
    f"{ESC}[1m",
    f"{ESC}[3m",
    f"{ESC}[9m",
    f"{ESC}[36m",
    f"{ESC}[22m",
    f"{ESC}[23m",
    f"{ESC}[29m",
    f"{ESC}[39m",
)
_CODE_SPAN = re.compile(r"(```.*?```|`[^`\n]+`)", re.DOTALL)
_EMPHASIS = [
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), BOLD, RESET_INTENSITY),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])"), ITALIC, RESET_ITALIC),
    (re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])"), STRIKE, RESET_STRIKE),
]


def _styled(text: str) -> str:
    """mrkdwn emphasis and code as ANSI styles; code spans are shown as code, never emphasised inside."""
    parts = _CODE_SPAN.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(CODE + part.strip("`") + RESET_COLOUR)
            continue
        for pattern, start, end in _EMPHASIS:
            part = pattern.sub(lambda match, s=start, e=end: s + match.group(1) + e, part)
        out.append(part)
    return "".join(out)


def _link(url: str, label: str, names: Names) -> str:
    if not names.styled:
        return label or url
    # OSC 8: terminals that know it make the label clickable; the others show the underlined label.
    return f"{ESC}]8;;{url}{ESC}\\{ESC}[4m{label or url}{ESC}[24m{ESC}]8;;{ESC}\\"


def _special(inner: str, names: Names) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user_id = target[1:]
        return "@" + names.users[user_id] if user_id in names.users else "@" + (label or user_id)
    if target.startswith("#"):
        channel_id = target[1:]
        return "#" + names.channels.get(channel_id, label or channel_id)
    if target.startswith("!subteam^"):
        return label or "@group"
    if target.startswith("!date^"):
        return slack_date(target, label, names.tz)
    if target.startswith("!"):
        return "@" + target[1:]
    return _link(target, label, names)


_DATE_TOKENS = {
    "{date_num}": "%Y-%m-%d",
    "{date}": "%B %-d, %Y",
    "{date_short}": "%b %-d, %Y",
    "{date_long}": "%A, %B %-d, %Y",
    "{date_pretty}": "%B %-d, %Y",
    "{date_short_pretty}": "%b %-d, %Y",
    "{date_long_pretty}": "%A, %B %-d, %Y",
    "{time}": "%-I:%M %p",
    "{time_secs}": "%-I:%M:%S %p",
}


def slack_date(target: str, fallback: str, tz: str | None) -> str:
    """`<!date^UNIX^FORMAT|fallback>` read in zone `tz` (the "pretty" forms name the date rather than say
    "today"); its fallback when there is no zone or the token can't be read."""
    parts = target.split("^")
    if tz is None or len(parts) < 3 or not parts[1].isdigit():
        return fallback or target
    try:
        moment = datetime.fromtimestamp(int(parts[1]), ZoneInfo(tz))
    except (ZoneInfoNotFoundError, ValueError, OverflowError):
        return fallback or target
    shown = parts[2]
    for token, pattern in _DATE_TOKENS.items():
        shown = shown.replace(token, moment.strftime(pattern))
    return shown


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda match: _ENTITIES[match.group(0)], text)


def text_of(obj: Any, names: Names = NO_NAMES) -> str:
    """The readable text of a text object (plain_text or mrkdwn), or of a bare string."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, dict):
        return str(obj)
    raw = str(obj.get("text", ""))
    return mrkdwn(raw, names) if obj.get("type") == "mrkdwn" else raw


def option_label(option: dict[str, Any], names: Names = NO_NAMES) -> str:
    label = text_of(option.get("text"), names)
    description = text_of(option.get("description"), names)
    return f"{label} ({description})" if description else label


def all_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


Numbering = Callable[[str, dict[str, Any]], int]
"""The number to show for an element, given its block id: the shell keeps one per button per message."""


def counting_from(first: int) -> Numbering:
    numbers = itertools.count(first)
    return lambda _block_id, _element: next(numbers)


def render_blocks(
    blocks: Sequence[dict[str, Any]],
    names: Names = NO_NAMES,
    *,
    first_number: int = 1,
    numbering: Numbering | None = None,
) -> Rendered:
    """Lines for every block; interactive elements are numbered by `numbering`, or from `first_number`."""
    number = numbering or counting_from(first_number)
    out = Rendered()
    for block in blocks:
        out.extend(_block(block, names, number))
    return out


def _block(block: dict[str, Any], names: Names, number: Numbering) -> Rendered:
    kind = block.get("type")
    block_id = str(block.get("block_id", ""))
    if kind == "header":
        return Rendered([f"== {text_of(block.get('text'), names)} =="])
    if kind == "divider":
        return Rendered([DIVIDER])
    if kind == "section":
        return _section(block, block_id, names, number)
    if kind == "context":
        parts = [_context_part(e, names) for e in block.get("elements") or []]
        return Rendered(["  " + "  ·  ".join(p for p in parts if p)])
    if kind == "actions":
        out = Rendered()
        for element in block.get("elements") or []:
            out.extend(_control(block_id, element, names, number))
        return out
    if kind == "input":
        return Rendered(_input_lines(block, names))
    if kind == "image":
        title = text_of(block.get("title"), names)
        return Rendered([f"[image: {title or block.get('alt_text', '')}]"])
    if kind == "rich_text":
        return Rendered(_rich_text(block.get("elements") or [], names).splitlines() or [""])
    if kind == "video":
        return Rendered([f"[video: {text_of(block.get('title'), names)}]"])
    if kind == "file":
        return Rendered(["[a shared file]"])
    return Rendered([f"[{kind} block]"])


def _section(block: dict[str, Any], block_id: str, names: Names, number: Numbering) -> Rendered:
    out = Rendered()
    if block.get("text"):
        out.lines.extend(text_of(block["text"], names).splitlines())
    for item in block.get("fields") or []:
        out.lines.extend("  " + line for line in text_of(item, names).splitlines())
    accessory = block.get("accessory")
    if isinstance(accessory, dict):
        if accessory.get("type") == "image":
            out.lines.append(f"  [image: {accessory.get('alt_text', '')}]")
        else:
            out.extend(_control(block_id, accessory, names, number))
    return out


def _context_part(element: dict[str, Any], names: Names) -> str:
    if element.get("type") == "image":
        return f"[{element.get('alt_text', 'image')}]"
    return text_of(element, names)


def _control(block_id: str, element: dict[str, Any], names: Names, number: Numbering) -> Rendered:
    if element.get("type") not in CONTROL_ELEMENTS:
        return Rendered([f"[{element.get('type')}]"])
    control = Control(number(block_id, element), block_id, element)
    return Rendered(control_lines(control, names), [control])


def control_lines(control: Control, names: Names = NO_NAMES) -> list[str]:
    """How one numbered control looks: `[1] Helpful`, or a select with its numbered options."""
    element, kind = control.element, control.kind
    tag = f"[{control.number}]"
    if kind == "button":
        line = f"{tag} {text_of(element.get('text'), names)}"
        return [f"{line} -> {_link(element['url'], '', names)}" if element.get("url") else line]
    title = text_of(element.get("placeholder"), names) or _KIND_TITLES.get(kind, kind.replace("_", " "))
    if kind in SINGLE_CHOICE or kind in MULTI_CHOICE:
        how = "choose one" if kind in SINGLE_CHOICE else "choose any, e.g. 1,3"
        chosen = {o.get("value") for o in _initial_options(element)}
        lines = [f"{tag} {title} ({how}):"]
        for index, option in enumerate(all_options(element), start=1):
            mark = " (selected)" if option.get("value") in chosen else ""
            lines.append(f"      {index}. {option_label(option, names)}{mark}")
        return lines
    current = describe_initial(element, names)
    suffix = f", now {current}" if current else ""
    return [f"{tag} {title} ({_KIND_HINTS.get(kind, kind)}{suffix})"]


_KIND_TITLES = {
    "users_select": "Pick a person",
    "multi_users_select": "Pick people",
    "conversations_select": "Pick a conversation",
    "multi_conversations_select": "Pick conversations",
    "channels_select": "Pick a channel",
    "multi_channels_select": "Pick channels",
    "datepicker": "Pick a date",
    "timepicker": "Pick a time",
    "datetimepicker": "Pick a date and time",
}
_KIND_HINTS = {
    "users_select": "a name, e.g. @ben",
    "multi_users_select": "names, e.g. @ben, @dev",
    "conversations_select": "a channel, e.g. #residents",
    "multi_conversations_select": "channels, e.g. #residents, #faculty",
    "channels_select": "a channel, e.g. #residents",
    "multi_channels_select": "channels, e.g. #residents, #faculty",
    "datepicker": "YYYY-MM-DD",
    "timepicker": "HH:MM",
    "datetimepicker": "YYYY-MM-DD HH:MM",
}


def _initial_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(element.get("initial_option"), dict):
        return [element["initial_option"]]
    return [o for o in element.get("initial_options") or [] if isinstance(o, dict)]


def describe_initial(element: dict[str, Any], names: Names = NO_NAMES) -> str:
    """The element's preset value as the user would read it, or "" when it has none."""
    options = _initial_options(element)
    if options:
        return ", ".join(option_label(o, names) for o in options)
    for key in ("initial_value", "initial_date", "initial_time"):
        if element.get(key) not in (None, ""):
            return str(element[key])
    if element.get("initial_user"):
        return names.user(element["initial_user"])
    if element.get("initial_users"):
        return ", ".join(names.user(u) for u in element["initial_users"])
    for key in ("initial_conversation", "initial_channel"):
        if element.get(key):
            return "#" + names.channels.get(element[key], element[key])
    for key in ("initial_conversations", "initial_channels"):
        if element.get(key):
            return ", ".join("#" + names.channels.get(c, c) for c in element[key])
    return ""


def _input_lines(block: dict[str, Any], names: Names) -> list[str]:
    element = block.get("element") or {}
    label = text_of(block.get("label"), names)
    optional = " (optional)" if block.get("optional") else ""
    current = describe_initial(element, names)
    lines = [f"  {label}{optional}: " + (current or "_" * 10)]
    if block.get("hint"):
        lines.append(f"    {text_of(block['hint'], names)}")
    return lines


def _rich_text(elements: list[Any], names: Names) -> str:
    parts: list[str] = []
    for element in elements:
        if not isinstance(element, dict):
            continue
        kind = element.get("type")
        if kind == "text":
            parts.append(str(element.get("text", "")))
        elif kind == "link":
            parts.append(str(element.get("text") or element.get("url", "")))
        elif kind == "user":
            parts.append(names.user(str(element.get("user_id", ""))))
        elif kind == "channel":
            channel_id = str(element.get("channel_id", ""))
            parts.append("#" + names.channels.get(channel_id, channel_id))
        elif kind == "emoji":
            parts.append(f":{element.get('name', '')}:")
        elif kind == "rich_text_list":
            items = [_rich_text([item], names) for item in element.get("elements") or []]
            parts.append("\n".join(f"• {item}" for item in items) + "\n")
        elif kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
            text = _rich_text(element.get("elements") or [], names)
            parts.append(("> " + text if kind == "rich_text_quote" else text) + "\n")
    return "".join(parts).rstrip("\n") if parts else ""
