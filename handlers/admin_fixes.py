"""`/mentor admin pair|move|end|rematch`: coordinators fix matches by hand (see `bot.usecases.manual_matches`).

Each is an admin subcommand, so the coordinator check and its audit entry come from `handlers.admin`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.domain.commands import CommandSpec
from bot.presentation.manual_matches import FIX_ACTION, FIX_CALLBACK, FIX_CHANGES, fix_done_view, fix_modal
from bot.services import Services
from bot.usecases.manual_matches import FixReply
from bot.usecases.unit_of_work import UnitOfWork, unit_of_work
from handlers.routing import CommandRequest, Routers

PAIR = CommandSpec(
    name="pair", summary="pair a mentee with a mentor by hand", usage=("/mentor admin pair @mentee @mentor",)
)
MOVE = CommandSpec(
    name="move",
    summary="move a peer into the circle someone is in",
    usage=("/mentor admin move @member to @someone-in-the-circle",),
)
END = CommandSpec(
    name="end",
    summary="end the circle or mentorship two people share, with a kind note to them",
    usage=("/mentor admin end @someone @someone-else",),
)

REMATCH = CommandSpec(
    name="rematch",
    summary="find a new mentor, or another circle, for one person",
    usage=("/mentor admin rematch @member",),
)


def _round_id(carried: object) -> int:
    """The preview's round id a button or modal carries; anything else is the roster's `FROM_ROSTER` (0)."""
    text = str(carried or "")
    return int(text) if text.isdigit() else 0


def register(app: App, services: Services, routers: Routers) -> None:
    fixes = services.manual_matches

    def run(change: Callable[[UnitOfWork, str], FixReply]) -> Callable[[CommandRequest], None]:
        def handler(request: CommandRequest) -> None:
            with unit_of_work(services.db, request.team_id, request.enterprise_id) as uow:
                reply = change(uow, request.args)
            request.reply(reply.message)

        return handler

    changes: dict[str, Callable[[UnitOfWork, str], FixReply]] = {
        "pair": fixes.pair,
        "move": fixes.move,
        "end": fixes.end,
        "rematch": fixes.rematch,
    }

    @app.action(FIX_ACTION)
    def fix_clicked(ack: Ack, action: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        """The preview's and the roster's "Fix a match by hand": the same changes as the commands, in a modal."""
        ack()
        round_id = _round_id(action.get("value"))
        context.client.views_open(trigger_id=body["trigger_id"], view=fix_modal(round_id).to_dict())

    @app.view(FIX_CALLBACK)
    def fix_submitted(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        values = view["state"]["values"]
        change = ((values.get("fix_change") or {}).get("fix_change") or {}).get("selected_option") or {}
        chosen = [
            ((values.get(block) or {}).get(block) or {}).get("selected_user")
            for block in ("fix_first", "fix_second")
        ]
        name = str(change.get("value") or "")
        if name not in FIX_CHANGES:
            ack(response_action="errors", errors={"fix_change": "Choose what to change."})
            return
        args = " ".join(f"<@{user}>" for user in chosen if user)
        services.coordinator_admin.audit(
            context.team_id, context.enterprise_id, context.user_id or "", f"admin {name}", args
        )
        with unit_of_work(services.db, context.team_id, context.enterprise_id) as uow:
            reply = changes[name](uow, args)
        done = fix_done_view(reply.message, reply.changed, _round_id(view.get("private_metadata")))
        ack(response_action="update", view=done.to_dict())

    routers.admin.add(PAIR, run(fixes.pair))
    routers.admin.add(MOVE, run(fixes.move))
    routers.admin.add(END, run(fixes.end))
    routers.admin.add(REMATCH, run(fixes.rematch))
