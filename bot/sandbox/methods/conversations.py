"""conversations.open, conversations.info, conversations.members and conversations.history."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from .context import MethodContext, MethodSpec, page

MAX_GROUP_DM_USERS = 8


def conversations_open(ctx: MethodContext) -> dict[str, Any]:
    channel, users = ctx.get("channel"), ctx.get("users")
    if channel:
        conversation = ctx.state.directory.conversation(ctx.team_id, channel, viewer=ctx.caller.id)
        if not conversation.is_dm:
            raise ApiError("method_not_supported_for_channel_type")
        already_open = True
    elif users:
        others = [u.strip() for u in str(users).split(",") if u.strip()]
        if len(others) > MAX_GROUP_DM_USERS:
            raise ApiError("too_many_users")
        for user_id in others:
            if ctx.state.directory.user(ctx.team_id, user_id).deleted:
                raise ApiError("user_disabled")
        conversation, already_open = ctx.state.directory.open_dm(ctx.team_id, [ctx.caller.id, *others])
    else:
        raise ApiError("users_list_not_supplied")
    body: dict[str, Any] = {"ok": True}
    if ctx.flag("return_im") or conversation.kind == "mpim":
        body["channel"] = conversation.to_slack(ctx.caller.id)
    else:
        body["channel"] = {"id": conversation.id}
    if already_open:
        body["no_op"] = True
        body["already_open"] = True
    return body


def conversations_info(ctx: MethodContext) -> dict[str, Any]:
    conversation = ctx.state.directory.conversation(ctx.team_id, ctx.get("channel"), viewer=ctx.caller.id)
    return {"ok": True, "channel": conversation.to_slack(ctx.caller.id)}


def conversations_members(ctx: MethodContext) -> dict[str, Any]:
    conversation = ctx.state.directory.conversation(ctx.team_id, ctx.get("channel"), viewer=ctx.caller.id)
    chunk, metadata = page(ctx, list(conversation.members))
    return {"ok": True, "members": chunk, "response_metadata": metadata}


def conversations_history(ctx: MethodContext) -> dict[str, Any]:
    """Top-level messages, newest first, between `oldest` and `latest`; metadata only when asked for."""
    conversation = ctx.state.directory.conversation(ctx.team_id, ctx.get("channel"), viewer=ctx.caller.id)
    if ctx.caller.id not in conversation.members:
        raise ApiError("not_in_channel")
    try:
        oldest = float(ctx.get("oldest", 0))
        latest = float(ctx.get("latest", "inf"))
    except (TypeError, ValueError) as exc:
        raise ApiError("invalid_ts_oldest") from exc
    inclusive = ctx.flag("inclusive")
    with_metadata = ctx.flag("include_all_metadata")

    def within(ts: float) -> bool:
        return (oldest <= ts <= latest) if inclusive else (oldest < ts < latest)

    messages = []
    for message in reversed(conversation.messages):
        if message.thread_ts not in (None, message.ts) or not within(float(message.ts)):
            continue
        shown = message.to_slack()
        if not with_metadata:
            shown.pop("metadata", None)
        messages.append(shown)
    chunk, metadata = page(ctx, messages)
    return {
        "ok": True,
        "messages": chunk,
        "has_more": bool(metadata["next_cursor"]),
        "response_metadata": metadata,
    }


METHODS = {
    "conversations.open": MethodSpec(conversations_open),
    "conversations.info": MethodSpec(conversations_info),
    "conversations.members": MethodSpec(conversations_members),
    "conversations.history": MethodSpec(conversations_history),
}
