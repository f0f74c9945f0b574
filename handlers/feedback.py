"""The end-of-round feedback DM: its answer buttons and the comment modal. Parse, call the round feedback
use case (`bot.usecases.round_feedback`), render, reply."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.presentation import feedback as blocks
from bot.services import Services
from bot.usecases.round_feedback import CommentForm, FeedbackReply
from handlers.nudges import pressed
from handlers.routing import Routers
from handlers.scope import NOT_JOINED, has_joined, member_session


def register(app: App, services: Services, routers: Routers) -> None:
    feedback = services.round_feedback

    @app.action(blocks.ANSWER_ACTION)
    def answered(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        match = blocks.ANSWER_ACTION.match(str(action.get("action_id")))
        assert match is not None
        button = pressed(action, body)
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            reply = (
                feedback.answer(scope, button, match[1], match[2])
                if has_joined(scope.member)
                else FeedbackReply(NOT_JOINED)
            )
        if reply.payload is None:
            respond(text=reply.text, response_type="ephemeral", replace_original=False)
            return
        text, shown = blocks.round_feedback(reply.payload, reply.answers)
        respond(text=text, blocks=[block.to_dict() for block in shown], replace_original=True)

    @app.action(blocks.COMMENT_ACTION)
    def open_comment(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        button = pressed(action, body)
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            form = (
                feedback.comment_form(scope, button)
                if has_joined(scope.member)
                else FeedbackReply(NOT_JOINED)
            )
        if isinstance(form, CommentForm):
            modal = blocks.comment_modal(form.outbox_id, form.current)
            client.views_open(trigger_id=body["trigger_id"], view=modal.to_dict())
        else:
            respond(text=form.text, response_type="ephemeral", replace_original=False)

    @app.view(blocks.COMMENT_VIEW)
    def comment_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        values = view["state"]["values"]
        text = (values.get("comment", {}).get("comment") or {}).get("value") or ""
        ticked = (values.get("consent", {}).get("consent") or {}).get("selected_options") or []
        consent = any(option.get("value") == blocks.CONSENT for option in ticked)
        metadata = str(view.get("private_metadata") or "")
        outbox_id = int(metadata) if metadata.isdigit() else 0
        with member_session(
            services, client, context.team_id, context.enterprise_id, context.user_id or ""
        ) as scope:
            if not has_joined(scope.member):
                ack(response_action="update", view=blocks.comment_done_modal(NOT_JOINED).to_dict())
                return
            outcome = feedback.comment(scope, outbox_id, text, consent)
        if outcome.errors:
            ack(response_action="errors", errors=outcome.errors)
            return
        ack(response_action="update", view=blocks.comment_done_modal(outcome.message).to_dict())
