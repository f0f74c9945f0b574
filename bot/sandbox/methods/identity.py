"""auth.test, users.info, users.list, apps.connections.open and oauth.v2.access."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from .context import APP_ONLY, NO_TOKEN, MethodContext, MethodSpec, page


def auth_test(ctx: MethodContext) -> dict[str, Any]:
    workspace, caller = ctx.workspace, ctx.caller
    body: dict[str, Any] = {
        "ok": True,
        "url": workspace.url,
        "team": workspace.name,
        "user": caller.name,
        "team_id": workspace.team_id,
        "user_id": caller.id,
        "is_enterprise_install": False,
    }
    if caller.is_bot:
        body["bot_id"] = workspace.bot_id
    if workspace.enterprise_id:
        body["enterprise_id"] = workspace.enterprise_id
    return body


def users_info(ctx: MethodContext) -> dict[str, Any]:
    user = ctx.state.directory.user(ctx.team_id, ctx.get("user"))
    return {"ok": True, "user": user.to_slack(ctx.state.clock())}


def users_list(ctx: MethodContext) -> dict[str, Any]:
    now = ctx.state.clock()
    members = [u.to_slack(now) for u in ctx.state.directory.team_users(ctx.team_id)]
    chunk, metadata = page(ctx, members, default_limit=200)
    return {"ok": True, "members": chunk, "cache_ts": int(now.timestamp()), "response_metadata": metadata}


def apps_connections_open(ctx: MethodContext) -> dict[str, Any]:
    if ctx.socket_url is None:
        raise ApiError("socket_mode_not_enabled")
    return {"ok": True, "url": ctx.socket_url(ctx.state.directory.app.app_id)}


def oauth_v2_access(ctx: MethodContext) -> dict[str, Any]:
    app = ctx.state.directory.app
    client_id, client_secret = ctx.basic_auth or (ctx.get("client_id"), ctx.get("client_secret"))
    if client_id != app.client_id:
        raise ApiError("invalid_client_id")
    if client_secret != app.client_secret:
        raise ApiError("bad_client_secret")
    grant = ctx.state.directory.redeem_oauth_code(str(ctx.get("code", "")))
    workspace = ctx.state.directory.workspace(grant.team_id)
    authed_user: dict[str, Any] = {"id": grant.user_id} if grant.user_id else {}
    return {
        "ok": True,
        "app_id": workspace.app_id,
        "authed_user": authed_user,
        "scope": ",".join(workspace.scopes),
        "token_type": "bot",
        "access_token": workspace.bot_token,
        "bot_user_id": workspace.bot_user_id,
        "team": {"id": workspace.team_id, "name": workspace.name},
        "enterprise": workspace.enterprise_ref(),
        "is_enterprise_install": False,
    }


METHODS = {
    "auth.test": MethodSpec(auth_test),
    "users.info": MethodSpec(users_info),
    "users.list": MethodSpec(users_list),
    "apps.connections.open": MethodSpec(apps_connections_open, APP_ONLY),
    "oauth.v2.access": MethodSpec(oauth_v2_access, NO_TOKEN),
}
