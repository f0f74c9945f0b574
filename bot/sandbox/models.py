"""The sandbox workspace's records, shaped so each can render itself as Slack's JSON."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

ConversationKind = Literal["public", "private", "im", "mpim"]
TokenKind = Literal["bot", "user", "app"]

_TZ_LABELS = {
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "AKST": "Alaska Standard Time",
    "AKDT": "Alaska Daylight Time",
    "HST": "Hawaii-Aleutian Standard Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
}


def tz_fields(tz: str, now: datetime) -> dict[str, Any]:
    """Slack's `tz`, `tz_label` and `tz_offset` (seconds east of UTC) for `tz` at the instant `now`."""
    local = now.astimezone(ZoneInfo(tz))
    offset = local.utcoffset()
    abbreviation = local.tzname() or tz
    return {
        "tz": tz,
        "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
        "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
    }


@dataclass
class Workspace:
    team_id: str
    name: str
    domain: str
    number: int
    bot_token: str
    bot_user_id: str
    bot_id: str
    app_id: str
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    scopes: tuple[str, ...] = ("commands", "chat:write", "im:write", "mpim:write", "users:read")

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"

    def team_ref(self) -> dict[str, Any]:
        ref: dict[str, Any] = {"id": self.team_id, "domain": self.domain}
        if self.enterprise_id:
            ref["enterprise_id"] = self.enterprise_id
            ref["enterprise_name"] = self.enterprise_name
        return ref

    def enterprise_ref(self) -> dict[str, Any] | None:
        if not self.enterprise_id:
            return None
        return {"id": self.enterprise_id, "name": self.enterprise_name}


@dataclass
class User:
    id: str
    team_id: str
    name: str
    real_name: str
    display_name: str = ""
    tz: str = "America/New_York"
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    email: str | None = None
    bot_id: str | None = None
    title: str = ""

    def to_slack(self, now: datetime) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "title": self.title,
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.display_name,
            "display_name_normalized": self.display_name,
            "team": self.team_id,
        }
        if self.email:
            profile["email"] = self.email
        if self.bot_id:
            profile["bot_id"] = self.bot_id
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": self.real_name,
            **tz_fields(self.tz, now),
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(now.timestamp()),
        }

    def short_ref(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.name, "name": self.name, "team_id": self.team_id}


@dataclass
class Message:
    channel: str
    ts: str
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None
    thread_ts: str | None = None
    user: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    team: str | None = None
    files: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None
    edited_ts: str | None = None

    def to_slack(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "message", "text": self.text, "ts": self.ts}
        for key in (
            "user",
            "bot_id",
            "app_id",
            "team",
            "thread_ts",
            "blocks",
            "attachments",
            "files",
            "metadata",
        ):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.files:
            out["subtype"] = "file_share"
            out["upload"] = True
        if self.edited_ts:
            out["edited"] = {"user": self.user, "ts": self.edited_ts}
        return out


@dataclass
class Conversation:
    id: str
    team_id: str
    name: str
    kind: ConversationKind
    members: list[str]
    created: int
    messages: list[Message] = field(default_factory=list)
    im_user: str | None = None

    @property
    def is_dm(self) -> bool:
        return self.kind in ("im", "mpim")

    def find(self, ts: str) -> Message | None:
        return next((m for m in self.messages if m.ts == ts), None)

    def to_slack(self, viewer: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "created": self.created,
            "is_archived": False,
            "is_channel": self.kind == "public",
            "is_group": self.kind == "private",
            "is_im": self.kind == "im",
            "is_mpim": self.kind == "mpim",
            "is_private": self.kind != "public",
            "context_team_id": self.team_id,
        }
        if self.kind == "im":
            out["user"] = self.im_user
            out["is_open"] = True
        else:
            out["name"] = self.name
            out["name_normalized"] = self.name
            out["is_general"] = False
            out["num_members"] = len(self.members)
            out["is_member"] = viewer in self.members if viewer else False
            out["topic"] = {"value": "", "creator": "", "last_set": 0}
            out["purpose"] = {"value": "", "creator": "", "last_set": 0}
        return out


@dataclass
class Ephemeral:
    team_id: str
    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    source: str


@dataclass
class View:
    id: str
    team_id: str
    user_id: str
    app_id: str
    bot_id: str
    payload: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    state_values: dict[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return str(self.payload.get("type", ""))

    @property
    def external_id(self) -> str:
        return str(self.payload.get("external_id", ""))

    def to_slack(self) -> dict[str, Any]:
        p = self.payload
        out: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "type": self.type,
            "blocks": p.get("blocks", []),
            "private_metadata": p.get("private_metadata", ""),
            "callback_id": p.get("callback_id", ""),
            "state": {"values": self.state_values},
            "hash": self.hash,
            "clear_on_close": bool(p.get("clear_on_close", False)),
            "notify_on_close": bool(p.get("notify_on_close", False)),
            "root_view_id": self.root_view_id,
            "previous_view_id": self.previous_view_id,
            "app_id": self.app_id,
            "external_id": self.external_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        for key in ("title", "submit", "close"):
            out[key] = p.get(key)
        return out


@dataclass
class UploadedFile:
    id: str
    team_id: str
    user: str
    filename: str
    length: int
    created: int
    title: str = ""
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    completed: bool = False

    def to_slack(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.filename,
            "title": self.title or self.filename,
            "mimetype": mimetypes.guess_type(self.filename)[0] or "application/octet-stream",
            "filetype": self.filename.rsplit(".", 1)[-1] if "." in self.filename else "binary",
            "user": self.user,
            "user_team": self.team_id,
            "size": len(self.content or b""),
            "channels": [c for c in self.channels if c.startswith("C")],
            "ims": [c for c in self.channels if c.startswith("D")],
            "groups": [c for c in self.channels if c.startswith("G")],
            "is_public": any(c.startswith("C") for c in self.channels),
        }


@dataclass(frozen=True)
class TokenInfo:
    kind: TokenKind
    team_id: str | None
    user_id: str | None


@dataclass
class Call:
    """One recorded Web API call (the token itself is never kept, only its kind and team)."""

    method: str
    args: dict[str, Any]
    team_id: str | None
    token_kind: str | None
    status: int
    response: dict[str, Any]
    at: datetime
    injected: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass(frozen=True)
class FeedItem:
    """Something a user would see in their Slack client, in order (`seq` is sandbox-wide)."""

    seq: int
    team_id: str
    user_id: str
    kind: str
    at: datetime
    channel: str | None = None
    ts: str | None = None
    text: str = ""
    blocks: tuple[dict[str, Any], ...] | list[dict[str, Any]] | None = None
    view: dict[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)
