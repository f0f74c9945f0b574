"""What a Web API method implementation receives, plus small argument helpers shared by all of them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError
from ..models import Conversation, TokenInfo, User, Workspace
from ..state import SandboxState

TokenKinds = frozenset[str]
BOT_OR_USER: TokenKinds = frozenset({"bot", "user"})
APP_ONLY: TokenKinds = frozenset({"app"})
NO_TOKEN: TokenKinds = frozenset()


@dataclass
class MethodContext:
    state: SandboxState
    method: str
    args: dict[str, Any]
    token: TokenInfo | None
    basic_auth: tuple[str, str] | None
    base_url: str
    socket_url: Callable[[str], str] | None = None

    @property
    def workspace(self) -> Workspace:
        assert self.token is not None and self.token.team_id is not None
        return self.state.directory.workspace(self.token.team_id)

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def caller(self) -> User:
        assert self.token is not None
        return self.state.directory.users[self.token.user_id or ""]

    def get(self, name: str, default: Any = None) -> Any:
        value = self.args.get(name)
        return default if value in (None, "") else value

    def flag(self, name: str) -> bool:
        value = self.args.get(name)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    def conversation(self, channel: str | None) -> Conversation:
        """Resolve a channel argument; a user id means that user's DM with the caller, as Slack does."""
        if channel and channel[0] in "UW":
            self.state.directory.user(self.team_id, channel)
            return self.state.directory.open_dm(self.team_id, [self.caller.id, channel])[0]
        return self.state.directory.conversation(self.team_id, channel, viewer=self.caller.id)


@dataclass(frozen=True)
class MethodSpec:
    handler: Callable[[MethodContext], dict[str, Any]]
    tokens: TokenKinds = BOT_OR_USER


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        prefix, _, offset = base64.b64decode(cursor).decode().partition(":")
        if prefix != "offset":
            raise ValueError(cursor)
        return int(offset)
    except ValueError as exc:
        raise ApiError("invalid_cursor") from exc


def page(ctx: MethodContext, items: list[Any], default_limit: int = 100) -> tuple[list[Any], dict[str, str]]:
    try:
        limit = int(ctx.get("limit", default_limit)) or default_limit
    except (TypeError, ValueError) as exc:
        raise ApiError("invalid_limit") from exc
    start = decode_cursor(ctx.get("cursor"))
    chunk = items[start : start + limit]
    following = start + limit
    return chunk, {"next_cursor": encode_cursor(following) if following < len(items) else ""}
