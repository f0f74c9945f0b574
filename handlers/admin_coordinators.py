"""`/mentor admin coordinators add|remove|list`: who besides the configured coordinators and admins runs the programs."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.domain.commands import CommandSpec
from bot.services import Services
from handlers.routing import CommandRequest, Routers
from handlers.scope import workspace_session
from storage.programs import CoordinatorRepository

COORDINATORS = CommandSpec(
    name="coordinators",
    summary="add or remove program coordinators",
    usage=(
        "/mentor admin coordinators list",
        "/mentor admin coordinators add @someone",
        "/mentor admin coordinators remove @someone",
    ),
)
USAGE = (
    "Use `/mentor admin coordinators add @someone` or `remove @someone`, "
    "or `/mentor admin coordinators list` to see who coordinates."
)
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def register(app: App, services: Services, routers: Routers) -> None:
    def listing(request: CommandRequest) -> str:
        stored = services.coordinators.stored(request.team_id, request.enterprise_id)
        configured = services.coordinators.user_ids
        lines = [f"• <@{user_id}> (set up with the app)" for user_id in configured]
        lines += [f"• <@{user_id}>" for user_id in stored if user_id not in configured]
        people = "\n".join(lines) if lines else "Nobody has been added yet."
        return f"*Coordinators*\n{people}\nWorkspace admins and owners can always coordinate too."

    def coordinators(request: CommandRequest) -> None:
        words = request.args.split()
        action = words[0].lower() if words else "list"
        users = MENTION.findall(request.args)
        if action == "list":
            request.reply(listing(request))
            return
        if action not in ("add", "remove") or not users:
            request.reply(USAGE)
            return
        changed, unchanged = [], []
        with workspace_session(services.db, request.team_id, request.enterprise_id) as (session, workspace):
            repository = CoordinatorRepository(session, workspace.id)
            for user_id in users:
                done = (
                    repository.add(user_id, request.user_id)
                    if action == "add"
                    else repository.remove(user_id)
                )
                (changed if done else unchanged).append(f"<@{user_id}>")
        parts = []
        if changed:
            verb = "can now coordinate" if action == "add" else "no longer coordinate here"
            parts.append(f"{', '.join(changed)} {verb}.")
        if unchanged:
            state = "already coordinate" if action == "add" else "weren't on the list I keep"
            parts.append(f"{', '.join(unchanged)} {state}.")
        if action == "remove" and any(user in services.coordinators.user_ids for user in users):
            parts.append("People set up with the app (`COORDINATOR_USER_IDS`) stay coordinators.")
        request.reply(" ".join(parts))

    routers.admin.add(COORDINATORS, coordinators)
