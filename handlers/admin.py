"""`/mentor admin ...` and coordinators' buttons: authorised in one place and written to the audit log.

Commands pass through the router below; buttons, menus and modal submissions whose `action_id` or
`callback_id` is listed in `ADMIN_ACTIONS` pass through a Bolt middleware before any listener sees them.
Someone who is not a coordinator gets a polite refusal, nothing runs, and the refusal itself is logged
(who tried what, and when) so coordinators can see attempts too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.commands import CommandSpec, split_command
from bot.domain.members.slack_text import typed
from bot.presentation import help as help_blocks
from bot.services import Services
from handlers.routing import CommandRequest, Routers

logger = logging.getLogger(__name__)

ADMIN = CommandSpec(
    name="admin",
    summary="tools for program coordinators",
    usage=("/mentor admin COMMAND",),
    group="For coordinators",
)

ADMIN_ACTIONS: frozenset[str] = frozenset(
    {
        "match_publish",
        "match_reshuffle",
        "match_fix",
        "faq_admin_edit",
        "faq_admin_remove",
        "faq_admin_page_prev",
        "faq_admin_page_next",
        "faq_entry",
        "faq_learn_topic",
        "faq_learn_entry",
        "faq_learn_dismiss",
        "faq_learn_page_prev",
        "faq_learn_page_next",
        "program_edit",
        "program_settings",
        "program_preview",
        "program_publish",
        "program_export",
        "program_archive",
        "program_unarchive",
        "coordinator_remove",
        "stats_chart",
        "stats_csv",
        "stats_feedback",
        "roster_page",
        "roster_page_back",
        "roster_csv",
        "announce",
        "program_announce",
    }
)
"""Every interactive element and modal that only coordinators may use."""


def admin_action_of(body: dict[str, Any]) -> str | None:
    """The admin action id a payload is for, if it is one, for every payload type Bolt routes by id.

    `block_actions` and `block_suggestion` by `action_id`; `view_submission`/`view_closed` by the view's
    `callback_id`; `shortcut`, `message_action` and the legacy `interactive_message`, `dialog_*` and
    `workflow_step_edit` payloads by their top-level `callback_id`.
    """
    kind = body.get("type")
    if kind == "block_actions":
        for action in body.get("actions") or ():
            if isinstance(action, dict) and action.get("action_id") in ADMIN_ACTIONS:
                return str(action["action_id"])
        return None
    if kind == "block_suggestion":
        action_id = body.get("action_id")
        return action_id if isinstance(action_id, str) and action_id in ADMIN_ACTIONS else None
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        callback_id = view.get("callback_id") if isinstance(view, dict) else None
    else:
        callback_id = body.get("callback_id")
    return callback_id if isinstance(callback_id, str) and callback_id in ADMIN_ACTIONS else None


def _action_target(body: dict[str, Any]) -> str:
    for action in body.get("actions") or ():
        value = action.get("value") or (action.get("selected_option") or {}).get("value")
        if value:
            return str(value)[:200]
    return str((body.get("view") or {}).get("private_metadata") or "")[:200]


def _tell_refused(services: Services, context: BoltContext, body: dict[str, Any], text: str) -> None:
    client: WebClient = context.client or services.slack_client
    try:
        if body.get("response_url") and context.respond is not None:
            context.respond(text=text, response_type="ephemeral", replace_original=False)
        else:
            client.chat_postMessage(channel=context.user_id or "", text=text)
    except SlackApiError as error:
        logger.info("could not tell someone their admin action was refused (%s)", error.response.get("error"))


def register(app: App, services: Services, routers: Routers) -> None:
    admin_router = routers.admin
    coordinator_admin = services.coordinator_admin

    @app.middleware
    def authorise_admin_actions(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        kind = body.get("type")
        actor = context.user_id or ""
        # Legacy attachments, dialogs and workflow steps: the app has none, so whatever their
        # callback_id (and whoever sends them, coordinators included) they are refused and audited.
        if kind in (
            "interactive_message",
            "dialog_submission",
            "dialog_cancellation",
            "dialog_suggestion",
            "workflow_step_edit",
        ):
            refused = admin_action_of(body) or str(body.get("callback_id") or kind)
            coordinator_admin.audit(
                context.team_id, context.enterprise_id, actor, refused, str(kind), "refused"
            )
            if kind == "dialog_suggestion":
                return BoltResponse(status=200, body={"options": []})
            if context.response_url and context.respond is not None:
                try:
                    context.respond(
                        text="Sorry, Mentor Circles doesn't handle that kind of request.",
                        response_type="ephemeral",
                        replace_original=False,
                    )
                except SlackApiError as error:
                    logger.info(
                        "could not tell someone a request was refused (%s)", error.response.get("error")
                    )
            return BoltResponse(status=200, body="")
        action = admin_action_of(body)
        if action is None:
            return next()
        access = coordinator_admin.authorise(
            context.team_id, context.enterprise_id, actor, action, _action_target(body), context.client
        )
        if access.allowed:
            return next()
        if kind == "block_suggestion":
            return BoltResponse(status=200, body={"options": []})
        _tell_refused(services, context, body, access.refusal)
        return BoltResponse(status=200, body="")

    def admin(request: CommandRequest) -> None:
        parsed = split_command(request.args)
        words = parsed.rest.split()
        action = " ".join(filter(None, ["admin", parsed.word, words[0] if words else ""]))
        target = " ".join(words[1:])
        access = coordinator_admin.authorise(
            request.team_id, request.enterprise_id, request.user_id, action, target, request.client
        )
        if not access.allowed:
            request.reply(access.refusal)
            return
        spec = admin_router.catalog.resolve(parsed.word)
        admin_router.dispatch(
            CommandRequest(request.bolt_ack, request.respond, request.client, request.body, parsed, spec)
        )

    def admin_usage(request: CommandRequest) -> None:
        """A bare `/mentor admin`, or one it doesn't know: every coordinator command, as `help admin` lists them."""
        specs = admin_router.catalog.visible()
        intro = (
            f"I don't know `/mentor admin {typed(request.parsed.word, 30)}`. " if request.parsed.word else ""
        )
        request.reply(
            help_blocks.admin_commands_text(specs, intro), help_blocks.admin_commands_blocks(specs, intro)
        )

    admin_router.fallback = admin_usage
    routers.mentor.add(ADMIN, admin, in_ack=True)
