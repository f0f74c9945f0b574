"""The `/mentor` slash command: parse the first word and hand the request to the area that owns it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.commands import split_command
from bot.services import Services
from handlers.routing import CommandRequest, Routers


def register(app: App, services: Services, routers: Routers) -> None:
    router = routers.mentor

    @app.command("/mentor")
    def mentor(ack: Ack, respond: Respond, client: WebClient, body: dict[str, Any]) -> None:
        parsed = split_command(body.get("text"))
        spec = router.catalog.resolve(parsed.word or "help")
        router.dispatch(CommandRequest(ack, respond, client, body, parsed, spec))
