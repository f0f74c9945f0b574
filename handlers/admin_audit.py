"""`/mentor admin audit [N]`: the last N entries of the admin audit log (who tried what, when, and whether
it was allowed), without anything members typed.

Parse, call the coordinators' administration use case (`bot.usecases.coordinator_admin`), render, reply.
"""

from __future__ import annotations

from slack_bolt import App

from bot.domain.audit import DEFAULT_ENTRIES, MAX_ENTRIES, parse_count
from bot.domain.commands import CommandSpec
from bot.presentation.audit import audit_blocks, audit_text
from bot.services import Services
from bot.usecases.unit_of_work import unit_of_work
from handlers.routing import CommandRequest, Routers

AUDIT = CommandSpec(
    name="audit",
    summary="who used the coordinator tools recently, and whether they were allowed",
    usage=("/mentor admin audit", "/mentor admin audit N"),
    descriptions=(
        "the latest entries of the coordinators' audit log",
        "the last N entries",
    ),
)
USAGE = (
    f"Use `/mentor admin audit` to see the last {DEFAULT_ENTRIES} entries of the audit log, "
    f"or `/mentor admin audit N` for the last N (1 to {MAX_ENTRIES})."
)


def register(app: App, services: Services, routers: Routers) -> None:
    coordinator_admin = services.coordinator_admin
    admin_commands = routers.admin.catalog

    def audit(request: CommandRequest) -> None:
        limit = parse_count(request.args)
        if limit is None:
            request.reply(USAGE)
            return
        with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
            listing = coordinator_admin.audit_listing(uow, limit, admin_commands.specs)
        request.reply(audit_text(listing), audit_blocks(listing))

    routers.admin.add(AUDIT, audit)
