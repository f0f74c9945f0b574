"""`/mentor admin ...`: the coordinators' commands, authorised in one place before any of them runs."""

from __future__ import annotations

from slack_bolt import App, BoltContext, Respond

from bot.domain.commands import CommandSpec, split_command
from bot.services import Services
from handlers.routing import CommandRequest

ADMIN = CommandSpec(
    name="admin",
    summary="tools for program coordinators",
    usage=("/mentor admin COMMAND",),
    group="For coordinators",
)

REFUSAL = (
    "Sorry, `/mentor admin` is only for your program's coordinators. "
    "If you think you should have access, ask {coordinators}."
)


def refusal(services: Services, team_id: str) -> str:
    return REFUSAL.format(coordinators=services.coordinators.mentions(team_id))


def coordinator_or_refuse(services: Services, context: BoltContext, respond: Respond) -> bool:
    """For coordinators' buttons: True for a coordinator; anyone else gets the polite refusal."""
    if services.coordinators.is_coordinator(context.team_id or "", context.user_id or ""):
        return True
    respond(text=refusal(services, context.team_id or ""), response_type="ephemeral", replace_original=False)
    return False


def register(app: App, services: Services) -> None:
    admin_router = services.admin

    def admin(request: CommandRequest) -> None:
        if not services.coordinators.is_coordinator(request.team_id, request.user_id):
            request.reply(refusal(services, request.team_id))
            return
        parsed = split_command(request.args)
        spec = admin_router.catalog.resolve(parsed.word)
        admin_router.dispatch(
            CommandRequest(request.ack, request.respond, request.client, request.body, parsed, spec)
        )

    def admin_usage(request: CommandRequest) -> None:
        lines = "\n".join(
            f"`{line}` · {spec.summary}" for spec in admin_router.catalog.visible() for line in spec.usage
        )
        intro = f"I don't know `/mentor admin {request.parsed.word}`. " if request.parsed.word else ""
        request.reply(f"{intro}Coordinator commands:\n{lines}")

    admin_router.fallback = admin_usage
    services.router.add(ADMIN, admin)
