"""`/mentor`, `/mentor help [COMMAND]`, `/mentor help admin [COMMAND]`, and the reply to subcommands the bot
does not know.

Coordinator commands are listed from the `/mentor admin` router's own catalog, the table the router
dispatches by, so the help can never name a command that does not exist or miss one that does. Someone
who is not a coordinator asking for that help is told kindly who to ask, without the list: the same
answer, in substance, that `/mentor admin` gives them.
"""

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
ADMIN_TOPIC = "admin"


def register(app: App, services: Services, routers: Routers) -> None:
    catalog = routers.mentor.catalog
    admin_catalog = routers.admin.catalog
    coordinator_admin = services.coordinator_admin

    @cache
    def overview() -> tuple[str, list[dict[str, Any]]]:
        """Built once, on first use (after every area has registered): the hot path of `/mentor`."""
        specs = catalog.visible()
        return blocks.overview_text(specs), [block.to_dict() for block in blocks.overview_blocks(specs)]

    def admin_help(request: CommandRequest, topic: str) -> None:
        if not coordinator_admin.is_coordinator(
            request.team_id, request.user_id, request.enterprise_id, request.client
        ):
            mentions = coordinator_admin.mentions(request.team_id, request.enterprise_id)
            request.reply(blocks.ADMIN_HELP_WITHHELD.format(coordinators=mentions))
            return
        spec = admin_catalog.resolve(topic) if topic else None
        if spec is not None:
            request.reply(
                f"/mentor admin {spec.name}: {spec.summary}", blocks.admin_command_detail_blocks(spec)
            )
            return
        specs = admin_catalog.visible()
        request.reply(blocks.admin_commands_text(specs), blocks.admin_commands_blocks(specs))

    def show_help(request: CommandRequest) -> None:
        asked = split_command(request.args)
        if not asked.word:
            request.reply(*overview())
            return
        spec = catalog.resolve(asked.word)
        if spec is not None and spec.name == ADMIN_TOPIC:
            admin_help(request, split_command(asked.rest).word)
        elif spec is not None:
            request.reply(f"/mentor {spec.name}: {spec.summary}", blocks.command_detail_blocks(spec))
        else:
            request.reply(
                blocks.no_help_text(asked.word), blocks.no_help_blocks(asked.word, catalog.visible())
            )

    def unknown(request: CommandRequest) -> None:
        word = request.parsed.word
        suggestions = catalog.suggest(word)
        request.reply(
            blocks.unknown_command_text(word, suggestions),
            blocks.unknown_command_blocks(word, suggestions, catalog.visible()),
        )

    routers.mentor.add(HELP, show_help, in_ack=True)
    routers.mentor.fallback = unknown
