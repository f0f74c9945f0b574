"""Who and where: the app, workspaces, users, tokens and conversations of the sandbox."""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import ids
from .clock import Clock
from .errors import ApiError
from .models import Conversation, TokenInfo, User, Workspace


@dataclass(frozen=True)
class AppIdentity:
    app_id: str
    client_id: str
    client_secret: str
    signing_secret: str
    app_token: str
    verification_token: str


@dataclass
class OAuthCode:
    team_id: str
    user_id: str | None
    expires_at: datetime
    used: bool = False


class Directory:
    def __init__(self, lock: threading.RLock, clock: Clock, id_factory: ids.IdFactory) -> None:
        self._lock = lock
        self._clock = clock
        self._ids = id_factory
        self.app = AppIdentity(
            app_id=id_factory.next("A"),
            client_id=f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**13)}",
            client_secret=secrets.token_hex(16),
            signing_secret=secrets.token_hex(16),
            app_token=ids.app_token(),
            verification_token=secrets.token_urlsafe(18),
        )
        self.workspaces: dict[str, Workspace] = {}
        self.users: dict[str, User] = {}
        self.conversations: dict[str, Conversation] = {}
        self.tokens: dict[str, TokenInfo] = {self.app.app_token: TokenInfo("app", None, None)}
        self._dm_index: dict[tuple[str, frozenset[str]], str] = {}
        self._oauth_codes: dict[str, OAuthCode] = {}

    def add_workspace(
        self,
        team_id: str | None = None,
        name: str = "Sandbox Residency",
        domain: str | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        bot_name: str = "mentorcircles",
    ) -> Workspace:
        with self._lock:
            team_id = team_id or self._ids.next("T")
            if team_id in self.workspaces:
                raise ValueError(f"workspace {team_id} already exists")
            number = len(self.workspaces) + 1
            workspace = Workspace(
                team_id=team_id,
                name=name,
                domain=domain or re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or team_id.lower(),
                number=number,
                bot_token=ids.bot_token(number),
                bot_user_id=self._ids.next("U"),
                bot_id=self._ids.next("B"),
                app_id=self.app.app_id,
                enterprise_id=enterprise_id,
                enterprise_name=enterprise_name or (f"{name} Grid" if enterprise_id else None),
            )
            self.workspaces[team_id] = workspace
            self.users[workspace.bot_user_id] = User(
                id=workspace.bot_user_id,
                team_id=team_id,
                name=bot_name,
                real_name="Mentor Circles",
                display_name="Mentor Circles",
                tz="America/Los_Angeles",
                is_bot=True,
                bot_id=workspace.bot_id,
            )
            self.tokens[workspace.bot_token] = TokenInfo("bot", team_id, workspace.bot_user_id)
            return workspace

    def add_user(
        self,
        team_id: str,
        name: str,
        real_name: str | None = None,
        *,
        display_name: str = "",
        tz: str = "America/New_York",
        is_admin: bool = False,
        is_owner: bool = False,
        email: str | None = None,
        user_id: str | None = None,
        title: str = "",
    ) -> User:
        with self._lock:
            self.workspace(team_id)
            user = User(
                id=user_id or self._ids.next("U"),
                team_id=team_id,
                name=name,
                real_name=real_name or name.title(),
                display_name=display_name,
                tz=tz,
                is_admin=is_admin or is_owner,
                is_owner=is_owner,
                email=email,
                title=title,
            )
            if user.id in self.users:
                raise ValueError(f"user {user.id} already exists")
            self.users[user.id] = user
            return user

    def add_channel(
        self,
        team_id: str,
        name: str,
        *,
        is_private: bool = False,
        members: list[str] | tuple[str, ...] = (),
        bot_member: bool = True,
    ) -> Conversation:
        with self._lock:
            workspace = self.workspace(team_id)
            member_ids = list(dict.fromkeys(members))
            for member in member_ids:
                self.user(team_id, member)
            if bot_member:
                member_ids.append(workspace.bot_user_id)
            conversation = Conversation(
                id=self._ids.next("G" if is_private else "C"),
                team_id=team_id,
                name=name,
                kind="private" if is_private else "public",
                members=member_ids,
                created=int(self._clock().timestamp()),
            )
            self.conversations[conversation.id] = conversation
            return conversation

    def issue_user_token(self, team_id: str, user_id: str) -> str:
        with self._lock:
            workspace = self.workspace(team_id)
            self.user(team_id, user_id)
            token = ids.user_token(workspace.number)
            self.tokens[token] = TokenInfo("user", team_id, user_id)
            return token

    def issue_oauth_code(self, team_id: str, user_id: str | None = None) -> str:
        """A one-time code as Slack's OAuth redirect would carry it (valid ten minutes)."""
        with self._lock:
            self.workspace(team_id)
            code = f"{secrets.randbelow(10**12)}.{secrets.randbelow(10**13)}.{secrets.token_hex(32)}"
            self._oauth_codes[code] = OAuthCode(team_id, user_id, self._clock() + timedelta(minutes=10))
            return code

    def redeem_oauth_code(self, code: str) -> OAuthCode:
        with self._lock:
            entry = self._oauth_codes.get(code)
            if entry is None or entry.expires_at < self._clock():
                raise ApiError("invalid_code")
            if entry.used:
                raise ApiError("invalid_code")
            entry.used = True
            return entry

    def workspace(self, team_id: str | None) -> Workspace:
        with self._lock:
            workspace = self.workspaces.get(team_id or "")
            if workspace is None:
                raise ApiError("team_not_found")
            return workspace

    def user(self, team_id: str, user_id: str | None) -> User:
        with self._lock:
            user = self.users.get(user_id or "")
            if user is None or user.team_id != team_id:
                raise ApiError("user_not_found")
            return user

    def team_users(self, team_id: str) -> list[User]:
        with self._lock:
            return [u for u in self.users.values() if u.team_id == team_id]

    def conversation(self, team_id: str, channel_id: str | None, viewer: str | None = None) -> Conversation:
        """A conversation the viewer can see; private ones the viewer is not in look absent, as in Slack."""
        with self._lock:
            conversation = self.conversations.get(channel_id or "")
            if conversation is None or conversation.team_id != team_id:
                raise ApiError("channel_not_found")
            if viewer and conversation.kind != "public" and viewer not in conversation.members:
                raise ApiError("channel_not_found")
            return conversation

    def open_dm(self, team_id: str, members: list[str]) -> tuple[Conversation, bool]:
        """The IM (two members) or group DM (three to nine) of exactly these people, creating it once."""
        with self._lock:
            unique = list(dict.fromkeys(members))
            for member in unique:
                self.user(team_id, member)
            key = (team_id, frozenset(unique))
            existing = self._dm_index.get(key)
            if existing:
                return self.conversations[existing], True
            is_im = len(unique) <= 2
            names = sorted(self.users[m].name for m in unique)
            conversation = Conversation(
                id=self._ids.next("D" if is_im else "C"),
                team_id=team_id,
                name="" if is_im else "mpdm-" + "--".join(names) + "-1",
                kind="im" if is_im else "mpim",
                members=unique,
                created=int(self._clock().timestamp()),
                im_user=unique[-1] if is_im else None,
            )
            self.conversations[conversation.id] = conversation
            self._dm_index[key] = conversation.id
            return conversation, False
