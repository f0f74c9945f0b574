"""Block Kit for `/mentor help` and for replies to subcommands the bot does not know."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from bot.domain.commands import CommandSpec
from bot.domain.members.slack_text import typed
from bot.presentation.common import context, section

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
    shown = typed(word, 30)
    if suggestions:
        options = " or ".join(f"`/mentor {spec.name}`" for spec in suggestions)
        text = f"I don't know `/mentor {shown}`. Did you mean {options}?"
    else:
        text = f"I don't know `/mentor {shown}`."
    usage = "\n".join(f"`{spec.usage[0]}`" for spec in specs)
    return [section(text), section(f"Here's what I can do:\n{usage}")]


def unknown_command_text(word: str, suggestions: list[CommandSpec]) -> str:
    shown = typed(word, 30)
    if suggestions:
        return f"I don't know /mentor {shown}. Did you mean /mentor {suggestions[0].name}?"
    return f"I don't know /mentor {shown}. Try /mentor help."


ADMIN_HELP_TITLE = "Coordinator commands"
ADMIN_HELP_FOOTER = (
    "`circle` and `circles`, `mentor` and `mentors` mean the same wherever a command takes a kind. "
    "Type `/mentor help admin COMMAND` for one of them."
)
ADMIN_HELP_WITHHELD = (
    "The coordinator commands are only for your program's coordinators, so I've left them out here. "
    "If you think you should have them, ask {coordinators}. `/mentor help` shows everything you can do."
)


def admin_command_lines(spec: CommandSpec) -> str:
    return "\n".join(f"`{line}` · {description}" for line, description in spec.described_usage)


def admin_commands_blocks(specs: list[CommandSpec], intro: str = "") -> list[Block]:
    """Every coordinator command, each form on its own line with what it does (one section per command)."""
    blocks: list[Block] = [section(intro)] if intro else []
    blocks.append(HeaderBlock(text=ADMIN_HELP_TITLE))
    blocks.extend(section(admin_command_lines(spec)) for spec in specs)
    blocks.append(context(ADMIN_HELP_FOOTER))
    return blocks


def admin_commands_text(specs: list[CommandSpec], intro: str = "") -> str:
    lines = "\n".join(admin_command_lines(spec) for spec in specs)
    return f"{intro}{ADMIN_HELP_TITLE}:\n{lines}"


def admin_command_detail_blocks(spec: CommandSpec) -> list[Block]:
    return [section(f"*/mentor admin {spec.name}* · {spec.summary}\n{admin_command_lines(spec)}")]


def no_help_blocks(topic: str, specs: list[CommandSpec]) -> list[Block]:
    """The reply to `/mentor help TOPIC` for a topic there is no help on: the topics there are."""
    topics = "\n".join(f"`/mentor help {spec.name}` · {spec.summary}" for spec in specs)
    return [
        section(f"I don't have any help on “{typed(topic, 30)}”. These are the topics I can help with:"),
        section(topics),
    ]


def no_help_text(topic: str) -> str:
    return f"I don't have any help on “{typed(topic, 30)}”. Try /mentor help for the topics I can help with."
