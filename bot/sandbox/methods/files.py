"""files.getUploadURLExternal and files.completeUploadExternal (the upload POST is served by web_api)."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, invalid_arguments
from .context import MethodContext, MethodSpec


def get_upload_url(ctx: MethodContext) -> dict[str, Any]:
    try:
        length = int(ctx.get("length", 0))
    except (TypeError, ValueError) as exc:
        raise invalid_arguments(["length must be an integer"]) from exc
    entry = ctx.state.files.reserve(
        ctx.team_id,
        ctx.caller.id,
        str(ctx.get("filename")),
        length,
        alt_txt=ctx.get("alt_txt"),
        snippet_type=ctx.get("snippet_type"),
    )
    return {"ok": True, "upload_url": f"{ctx.base_url}/upload/v1/{entry.id}", "file_id": entry.id}


def complete_upload(ctx: MethodContext) -> dict[str, Any]:
    files = ctx.args.get("files")
    if (
        not isinstance(files, list)
        or not files
        or not all(isinstance(f, dict) and f.get("id") for f in files)
    ):
        raise invalid_arguments(["files must be a JSON array of objects with an id"])
    targets = [ctx.get("channel_id")] if ctx.get("channel_id") else []
    targets += [c for c in str(ctx.get("channels", "")).split(",") if c]
    conversations = [ctx.conversation(c) for c in targets]
    for conversation in conversations:
        if ctx.caller.id not in conversation.members:
            raise ApiError("not_in_channel")
    thread_ts = ctx.get("thread_ts")
    if thread_ts and not conversations:
        raise invalid_arguments(["thread_ts needs channel_id"])
    completed = [ctx.state.files.complete(ctx.team_id, str(f["id"]), f.get("title")) for f in files]
    for conversation in conversations:
        for entry in completed:
            entry.channels.append(conversation.id)
        ctx.state.messaging.post(
            conversation,
            ctx.caller.id,
            text=str(ctx.get("initial_comment", "")),
            files=[entry.to_slack() for entry in completed],
            thread_ts=thread_ts,
        )
    return {"ok": True, "files": [entry.to_slack() for entry in completed]}


METHODS = {
    "files.getUploadURLExternal": MethodSpec(get_upload_url),
    "files.completeUploadExternal": MethodSpec(complete_upload),
}
