"""chat.postMessage, chat.postEphemeral, chat.update and chat.delete."""

from __future__ import annotations

from typing import Any

from ..blockkit import MESSAGE_TEXT_MAX, validate_message
from ..errors import ApiError, invalid_blocks
from ..models import Conversation
from .context import MethodContext, MethodSpec


def message_content(args: dict[str, Any]) -> dict[str, Any]:
    """Text, blocks and attachments of a message, checked as Slack checks them."""
    text = args.get("text") or ""
    blocks = args.get("blocks") or None
    attachments = args.get("attachments") or None
    if isinstance(blocks, str) or (blocks is not None and not isinstance(blocks, list)):
        raise ApiError("invalid_blocks_format")
    if isinstance(attachments, str):
        raise ApiError("invalid_attachments")
    if not text and not blocks and not attachments:
        raise ApiError("no_text")
    if not isinstance(text, str):
        text = str(text)
    if len(text) > MESSAGE_TEXT_MAX:
        raise ApiError("msg_too_long")
    problems = validate_message(blocks)
    if problems:
        raise invalid_blocks(problems)
    return {"text": text, "blocks": blocks, "attachments": attachments}


def _writable(ctx: MethodContext, conversation: Conversation) -> Conversation:
    if ctx.caller.id not in conversation.members:
        raise ApiError("not_in_channel")
    return conversation


def post_message(ctx: MethodContext) -> dict[str, Any]:
    conversation = _writable(ctx, ctx.conversation(ctx.get("channel")))
    content = message_content(ctx.args)
    thread_ts = ctx.get("thread_ts")
    if thread_ts and conversation.find(str(thread_ts)) is None:
        raise ApiError("thread_not_found")
    message = ctx.state.messaging.post(
        conversation,
        ctx.caller.id,
        thread_ts=thread_ts,
        metadata=ctx.get("metadata"),
        **content,
    )
    return {"ok": True, "channel": conversation.id, "ts": message.ts, "message": message.to_slack()}


def post_ephemeral(ctx: MethodContext) -> dict[str, Any]:
    conversation = _writable(ctx, ctx.conversation(ctx.get("channel")))
    user = ctx.state.directory.user(ctx.team_id, ctx.get("user"))
    if user.id not in conversation.members:
        raise ApiError("user_not_in_channel")
    content = message_content(ctx.args)
    ephemeral = ctx.state.messaging.post_ephemeral(
        ctx.team_id, conversation.id, user.id, content["text"], content["blocks"], source="chat.postEphemeral"
    )
    return {"ok": True, "message_ts": ephemeral.ts}


def update(ctx: MethodContext) -> dict[str, Any]:
    conversation = ctx.state.directory.conversation(ctx.team_id, ctx.get("channel"), viewer=ctx.caller.id)
    content = message_content(ctx.args)
    message = ctx.state.messaging.update(conversation, str(ctx.get("ts", "")), ctx.caller.id, **content)
    return {
        "ok": True,
        "channel": conversation.id,
        "ts": message.ts,
        "text": message.text,
        "message": message.to_slack(),
    }


def delete(ctx: MethodContext) -> dict[str, Any]:
    conversation = ctx.state.directory.conversation(ctx.team_id, ctx.get("channel"), viewer=ctx.caller.id)
    message = ctx.state.messaging.delete(conversation, str(ctx.get("ts", "")), ctx.caller.id)
    return {"ok": True, "channel": conversation.id, "ts": message.ts}


METHODS = {
    "chat.postMessage": MethodSpec(post_message),
    "chat.postEphemeral": MethodSpec(post_ephemeral),
    "chat.update": MethodSpec(update),
    "chat.delete": MethodSpec(delete),
}
