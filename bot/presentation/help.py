"""Block Kit for `/mentor help` and for replies to subcommands the bot does not know."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from bot.domain.commands import CommandSpec
from bot.domain.text import shorten
from bot.presentation.common import context, escape, section

INTRO = (
    "Hi! I help your residency program keep mentorship going: I answer questions about mentoring, "
    "match you with mentors and peer circles, and send friendly reminders to meet and work on your goals."
)


def overview_blocks(specs: list[CommandSpec]) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text="Mentor Circles"), section(INTRO), DividerBlock()]
    groups: dict[str, list[CommandSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.group, []).append(spec)
    for group, members in groups.items():
        lines = "\n".join(f"`{spec.usage[0]}` · {spec.summary}" for spec in members)
        blocks.append(section(f"*{group}*\n{lines}"))
    blocks.append(context("Type `/mentor help COMMAND` for details on one command."))
    return blocks


def overview_text(specs: list[CommandSpec]) -> str:
    return "Mentor Circles: " + ", ".join(f"/mentor {spec.name}" for spec in specs)


def command_detail_blocks(spec: CommandSpec) -> list[Block]:
    usage = "\n".join(f"`{line}`" for line in spec.usage)
    aliases = f"\nAlso works as: {', '.join(f'`/mentor {a}`' for a in spec.aliases)}" if spec.aliases else ""
    return [section(f"*/mentor {spec.name}* · {spec.summary}\n{usage}{aliases}")]


def unknown_command_blocks(
    word: str, suggestions: list[CommandSpec], specs: list[CommandSpec]
) -> list[Block]:
    shown = escape(shorten(word, 30))
    if suggestions:
        options = " or ".join(f"`/mentor {spec.name}`" for spec in suggestions)
        text = f"I don't know `/mentor {shown}`. Did you mean {options}?"
    else:
        text = f"I don't know `/mentor {shown}`."
    usage = "\n".join(f"`{spec.usage[0]}`" for spec in specs)
    return [section(text), section(f"Here's what I can do:\n{usage}")]


def unknown_command_text(word: str, suggestions: list[CommandSpec]) -> str:
    shown = shorten(word, 30)
    if suggestions:
        return f"I don't know /mentor {shown}. Did you mean /mentor {suggestions[0].name}?"
    return f"I don't know /mentor {shown}. Try /mentor help."
