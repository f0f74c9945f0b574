"""views.open, views.push, views.update and views.publish."""

from __future__ import annotations

from typing import Any

from ..blockkit import validate_view
from ..errors import ApiError, invalid_arguments
from .context import MethodContext, MethodSpec


def _payload(ctx: MethodContext, expected_type: str | None) -> dict[str, Any]:
    view = ctx.args.get("view")
    if not isinstance(view, dict):
        raise invalid_arguments(["view must be a JSON object [json-pointer:/view]"])
    if expected_type and view.get("type") != expected_type:
        raise invalid_arguments([f"view type must be {expected_type} [json-pointer:/view/type]"])
    problems = validate_view(view)
    if problems:
        raise invalid_arguments(problems)
    return view


def _requires_bot(ctx: MethodContext) -> None:
    if not ctx.caller.is_bot:
        raise ApiError("not_allowed_token_type")


def views_open(ctx: MethodContext) -> dict[str, Any]:
    payload = _payload(ctx, "modal")
    trigger = ctx.state.views.exchange_trigger(ctx.team_id, str(ctx.get("trigger_id", "")))
    view = ctx.state.views.open_modal(ctx.team_id, trigger.user_id, payload)
    ctx.state.feed.touch()
    return {"ok": True, "view": view.to_slack()}


def views_push(ctx: MethodContext) -> dict[str, Any]:
    payload = _payload(ctx, "modal")
    trigger = ctx.state.views.exchange_trigger(ctx.team_id, str(ctx.get("trigger_id", "")))
    view = ctx.state.views.push_modal(ctx.team_id, trigger.user_id, payload)
    ctx.state.feed.touch()
    return {"ok": True, "view": view.to_slack()}


def views_update(ctx: MethodContext) -> dict[str, Any]:
    view_id, external_id = ctx.get("view_id"), ctx.get("external_id")
    if not view_id and not external_id:
        raise invalid_arguments(["either view_id or external_id is required"])
    payload = _payload(ctx, None)
    view = ctx.state.views.find(ctx.team_id, view_id, external_id)
    updated = ctx.state.views.update(view, payload, ctx.get("hash"))
    return {"ok": True, "view": updated.to_slack()}


def views_publish(ctx: MethodContext) -> dict[str, Any]:
    _requires_bot(ctx)
    payload = _payload(ctx, "home")
    user = ctx.state.directory.user(ctx.team_id, ctx.get("user_id"))
    view = ctx.state.views.publish_home(ctx.team_id, user.id, payload, ctx.get("hash"))
    return {"ok": True, "view": view.to_slack()}


METHODS = {
    "views.open": MethodSpec(views_open),
    "views.push": MethodSpec(views_push),
    "views.update": MethodSpec(views_update),
    "views.publish": MethodSpec(views_publish),
}
