"""`/mentor`, `/mentor help [COMMAND]`, and the reply to subcommands the bot does not know."""

from __future__ import annotations

from functools import cache
from typing import Any

from slack_bolt import App

from bot.domain.commands import CommandSpec, split_command
from bot.presentation import help as blocks
from bot.services import Services
from handlers.routing import CommandRequest, Routers

HELP = CommandSpec(
    name="help",
    summary="what I can do, and how",
    usage=("/mentor help [COMMAND]",),
    aliases=("?help", "h", "commands"),
)


def register(app: App, services: Services, routers: Routers) -> None:
    catalog = routers.mentor.catalog

    @cache
    def overview() -> tuple[str, list[dict[str, Any]]]:
        """Built once, on first use (after every area has registered): the hot path of `/mentor`."""
        specs = catalog.visible()
        return blocks.overview_text(specs), [block.to_dict() for block in blocks.overview_blocks(specs)]

    def show_help(request: CommandRequest) -> None:
        topic = split_command(request.args).word
        spec = catalog.resolve(topic) if topic else None
        if spec is not None:
            request.reply(f"/mentor {spec.name}: {spec.summary}", blocks.command_detail_blocks(spec))
            return
        request.reply(*overview())

    def unknown(request: CommandRequest) -> None:
        word = request.parsed.word
        suggestions = catalog.suggest(word)
        request.reply(
            blocks.unknown_command_text(word, suggestions),
            blocks.unknown_command_blocks(word, suggestions, catalog.visible()),
        )

    routers.mentor.add(HELP, show_help, in_ack=True)
    routers.mentor.fallback = unknown
