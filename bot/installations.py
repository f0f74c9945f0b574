"""Many workspaces: OAuth install settings, tokens encrypted at rest, and each workspace's bot token.

In OAuth mode (`SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` set) every workspace's bot token lives in the
installation store in the app's database; with `TOKEN_ENCRYPTION_KEY` the tokens are stored encrypted
(Fernet) and decrypted only when found. In single-token mode the one `SLACK_BOT_TOKEN` serves all.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from logging import Logger
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

import yaml
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store import InstallationStore as SlackInstallationStore

from bot.config import DEFAULT_SLACK_API_URL, ConfigError, Settings
from bot.nudges.delivery import TokenSource, single_token
from storage.db import Database
from storage.installations import InstallationStore, OAuthStateStore, workspace_ids

logger = logging.getLogger(__name__)

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
PLAINTEXT_PREFIX = "xox"
"""Slack tokens start with xox (xoxb-, xoxp-, xoxe.): such a stored value was saved before encryption."""

Saved = TypeVar("Saved", Installation, Bot)


class TokenCipher:
    """Fernet encryption of token strings; the first key encrypts, any key decrypts."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, token: str | None) -> str | None:
        return None if token is None else self._fernet.encrypt(token.encode()).decode()

    def decrypt(self, stored: str | None) -> str | None:
        if stored is None or stored.startswith(PLAINTEXT_PREFIX):
            return stored
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            logger.error(
                "a stored token could not be decrypted: is TOKEN_ENCRYPTION_KEY the key it was saved with?"
            )
            return None


class EncryptedInstallationStore(SlackInstallationStore):
    """Wraps an installation store: tokens are encrypted on save and decrypted on find."""

    BOT_TOKENS = ("bot_token", "bot_refresh_token")
    ALL_TOKENS = (*BOT_TOKENS, "user_token", "user_refresh_token")

    def __init__(self, inner: SlackInstallationStore, cipher: TokenCipher) -> None:
        self.inner = inner
        self.cipher = cipher

    @property
    def logger(self) -> Logger:
        return self.inner.logger

    def save(self, installation: Installation) -> None:
        self.inner.save(self._convert(installation, self.ALL_TOKENS, self.cipher.encrypt))

    def save_bot(self, bot: Bot) -> None:
        self.inner.save_bot(self._convert(bot, self.BOT_TOKENS, self.cipher.encrypt))

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        found = self.inner.find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return None if found is None else self._convert(found, self.BOT_TOKENS, self.cipher.decrypt)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = self.inner.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if found is None else self._convert(found, self.ALL_TOKENS, self.cipher.decrypt)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    @staticmethod
    def _convert(saved: Saved, fields: tuple[str, ...], convert: Callable[[str | None], str | None]) -> Saved:
        converted = copy.copy(saved)
        for name in fields:
            setattr(converted, name, convert(getattr(saved, name)))
        return converted


def installation_store(settings: Settings, db: Database) -> SlackInstallationStore:
    """The OAuth installation store in the app's database, encrypting when a key is set."""
    if not settings.slack_client_id:
        raise ConfigError("SLACK_CLIENT_ID", "is not set", "the installation store is only used with OAuth")
    store = InstallationStore(settings.slack_client_id, db.engine)
    if settings.token_encryption_keys:
        return EncryptedInstallationStore(store, TokenCipher(settings.token_encryption_keys))
    return store


def oauth_settings(settings: Settings, db: Database) -> OAuthSettings:
    """Bolt's OAuth flow: `/slack/install` redirects to Slack, `/slack/oauth_redirect` stores the install."""
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=bot_scopes(),
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=installation_store(settings, db),
        installation_store_bot_only=True,
        state_store=OAuthStateStore(db.engine),
        logger=logging.getLogger("slack_bolt.oauth"),
    )


def bot_scopes(manifest: Path = MANIFEST) -> list[str]:
    """The bot scopes the app manifest asks for: one list, shared by the manifest and the install link."""
    if not manifest.is_file():
        raise ConfigError(
            "manifest.yml", f"was not found at {manifest}", "OAuth installs read their scopes from it"
        )
    return list(yaml.safe_load(manifest.read_text())["oauth_config"]["scopes"]["bot"])


def authorization_url(api_url: str) -> str:
    """Slack's authorize page on the same host as the Web API (slack.com, GovSlack, or the sandbox)."""
    if api_url == DEFAULT_SLACK_API_URL:
        return "https://slack.com/oauth/v2/authorize"
    parsed = urlparse(api_url)
    base = parsed.path.rstrip("/").removesuffix("/api")
    return f"{parsed.scheme}://{parsed.netloc}{base}/oauth/v2/authorize"


def token_source(settings: Settings, db: Database) -> TokenSource:
    """Each workspace's bot token: from the installation store with OAuth, else the single token."""
    if settings.slack_mode != "oauth":
        return single_token(settings.slack_bot_token)
    store = installation_store(settings, db)

    def find(team_id: str, enterprise_id: str) -> str | None:
        bot = store.find_bot(enterprise_id=enterprise_id or None, team_id=team_id)
        return None if bot is None else bot.bot_token

    return find


def installed_workspace_ids(settings: Settings, db: Database) -> list[int] | None:
    """The workspaces the app may work for: those with an installation with OAuth; None (all) otherwise."""
    if settings.slack_mode != "oauth" or not settings.slack_client_id:
        return None
    teams = InstallationStore(settings.slack_client_id, db.engine).installed_teams()
    with db.session() as session:
        return workspace_ids(session, teams)
