"""`/mentor admin coordinators add|remove|list`: who besides the configured coordinators and admins runs the programs.

Parse, call the coordinators' administration use case (`bot.usecases.coordinator_admin`), reply."""

from __future__ import annotations

from slack_bolt import App

from bot.domain.commands import CommandSpec
from bot.services import Services
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

COORDINATORS = CommandSpec(
    name="coordinators",
    summary="add or remove program coordinators",
    usage=(
        "/mentor admin coordinators list",
        "/mentor admin coordinators add @someone",
        "/mentor admin coordinators remove @someone",
    ),
    descriptions=(
        "who coordinates here",
        "let someone run the programs with you",
        "take someone off the coordinators you added",
    ),
)


def register(app: App, services: Services, routers: Routers) -> None:
    coordinator_admin = services.coordinator_admin

    def coordinators(request: CommandRequest) -> None:
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            reply = coordinator_admin.coordinators(uow, request.user_id, request.args)
        request.reply(reply.message)

    routers.admin.add(COORDINATORS, coordinators)
