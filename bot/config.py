"""Settings from the environment and an optional `.env` file.

Every setting is validated up front so that a bad deployment stops with one line naming the variable,
instead of failing later inside a request.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///mentor-circles.db"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

SlackMode = Literal["token", "oauth", "sandbox"]


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and the fix."""

    def __init__(self, variable: str, problem: str, fix: str) -> None:
        super().__init__(f"{variable} {problem}: {fix}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "text"
    default_timezone: str = "America/New_York"
    coordinator_user_ids: tuple[str, ...] = field(default_factory=tuple)
    token_encryption_keys: tuple[str, ...] = field(default_factory=tuple, repr=False)
    """Fernet keys for tokens at rest, newest first (older ones still decrypt during a rotation)."""
    data_retention_days: int = 365
    """After this many days, passed-on FAQ questions, the contents of sent nudges and audit details go."""

    @property
    def slack_mode(self) -> SlackMode:
        """How the app authenticates to Slack: one bot token, OAuth installs, or the local sandbox."""
        if self.slack_client_id and self.slack_client_secret:
            return "oauth"
        if self.slack_bot_token:
            return "token"
        return "sandbox"

    def require_socket_mode(self) -> str:
        if not self.slack_app_token:
            raise ConfigError(
                "SLACK_APP_TOKEN",
                "is not set",
                "Socket Mode needs an app-level token (xapp-...) with the connections:write scope",
            )
        return self.slack_app_token


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env") -> Settings:
    """Read settings: real environment variables win over the `.env` file."""
    values: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return parse_settings(values)


def parse_settings(values: Mapping[str, str]) -> Settings:
    def get(name: str) -> str | None:
        raw = values.get(name)
        return raw.strip() if raw and raw.strip() else None

    bot_token = _token(get("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN", ("xoxb-",))
    app_token = _token(get("SLACK_APP_TOKEN"), "SLACK_APP_TOKEN", ("xapp-",))
    signing_secret = get("SLACK_SIGNING_SECRET")
    client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
    if bool(client_id) != bool(client_secret):
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        raise ConfigError(missing, "is not set", "OAuth needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    if (bot_token or client_id) and not signing_secret and not app_token:
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "is not set",
            "copy it from your app's Basic Information page (needed to verify requests from Slack)",
        )
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        slack_api_url=_api_url(get("SLACK_API_URL") or DEFAULT_SLACK_API_URL),
        database_url=_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        port=_port(get("PORT") or "3000"),
        log_level=_choice("LOG_LEVEL", (get("LOG_LEVEL") or "INFO").upper(), LOG_LEVELS),
        log_format=_choice("LOG_FORMAT", (get("LOG_FORMAT") or "text").lower(), ("json", "text")),
        default_timezone=_timezone(get("DEFAULT_TIMEZONE") or "America/New_York"),
        coordinator_user_ids=_user_ids(get("COORDINATOR_USER_IDS") or ""),
        token_encryption_keys=_fernet_keys(get("TOKEN_ENCRYPTION_KEY") or ""),
        data_retention_days=_retention_days(get("DATA_RETENTION_DAYS") or "365"),
    )


def _retention_days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 3650:
        raise ConfigError("DATA_RETENTION_DAYS", f"is not a number of days ({value!r})", "use e.g. 365")
    return int(value)


def _token(value: str | None, name: str, prefixes: tuple[str, ...]) -> str | None:
    if value is not None and not value.startswith(prefixes):
        raise ConfigError(name, "looks malformed", f"it should start with {' or '.join(prefixes)}")
    return value


def _api_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError("SLACK_API_URL", f"is not a URL ({value!r})", "use e.g. https://slack.com/api/")
    return value if value.endswith("/") else value + "/"


def _database_url(value: str) -> str:
    if value.startswith("postgres://"):
        value = "postgresql://" + value.removeprefix("postgres://")
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
    if not re.match(r"^(sqlite|postgresql\+psycopg)://", value):
        raise ConfigError(
            "DATABASE_URL",
            "is not a supported database URL",
            "use sqlite:///path/to/file.db or postgresql://user@host/dbname",
        )
    return value


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise ConfigError("PORT", f"is not a port number ({value!r})", "use a number from 1 to 65535")
    return int(value)


_Choice = TypeVar("_Choice", bound=str)


def _choice(name: str, value: str, allowed: tuple[_Choice, ...]) -> _Choice:
    for option in allowed:
        if value == option:
            return option
    raise ConfigError(name, f"is {value!r}", f"use one of {', '.join(allowed)}")


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            "DEFAULT_TIMEZONE",
            f"is not a known time zone ({value!r})",
            "use an IANA name like America/Chicago",
        ) from None
    return value


def _user_ids(value: str) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in value.replace(" ", ",").split(",") if part.strip())
    for user_id in ids:
        if not USER_ID.match(user_id):
            raise ConfigError(
                "COORDINATOR_USER_IDS",
                f"contains {user_id!r}, which is not a Slack user id",
                "list member ids like U012ABCDEF, separated by commas",
            )
    return ids


def _fernet_keys(value: str) -> tuple[str, ...]:
    from cryptography.fernet import Fernet

    keys = tuple(part.strip() for part in value.split(",") if part.strip())
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                "TOKEN_ENCRYPTION_KEY",
                "is not a valid Fernet key",
                'make one with `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"` (comma-separate keys to rotate, newest first)',
            ) from None
    return keys
