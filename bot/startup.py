"""What a serving process checks before it takes requests, so a first install that is set up wrong says
why at once, in one line, instead of failing later inside every request.

- `check_slack`: Slack's `auth.test` with the configured `SLACK_BOT_TOKEN` (and `apps.connections.open`
  with `SLACK_APP_TOKEN` for Socket Mode). A token Slack refuses stops the program with a `ConfigError`
  naming the variable and the fix; Slack being unreachable is only logged, since the app can start and
  tell people that Slack isn't answering. OAuth installs keep a token per workspace, checked on use.
- `listen`: binds the HTTP port, turning "address already in use" into one line naming `PORT`.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import ConfigError, Settings
from bot.server import ThreadingWSGIServer, make_http_server
from bot.slack_reachability import UNREACHABLE

logger = logging.getLogger(__name__)

REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
        "team_access_not_granted",
    }
)
"""auth.test errors meaning this token will never work: it has to be replaced, not retried."""
CHECK_TIMEOUT = 5

BOT_TOKEN_FIX = (
    "copy the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page at "
    "https://api.slack.com/apps, reinstalling the app to the workspace first if it was removed, then restart"
)
APP_TOKEN_FIX = (
    "create an app-level token (xapp-...) with the connections:write scope on your app's Basic Information "
    "page at https://api.slack.com/apps, then restart"
)


def check_slack(settings: Settings, *, socket_mode: bool = False) -> None:
    """Raise ConfigError when Slack refuses the configured token(s); log and go on when Slack is away."""
    if settings.slack_mode != "token" or not settings.slack_bot_token:
        return
    identity = _call(settings, settings.slack_bot_token, "auth.test", "SLACK_BOT_TOKEN", BOT_TOKEN_FIX)
    if identity is not None:
        logger.info("Slack accepted SLACK_BOT_TOKEN (workspace %s)", identity.get("team_id"))
    if socket_mode and settings.slack_app_token:
        _call(settings, settings.slack_app_token, "apps.connections.open", "SLACK_APP_TOKEN", APP_TOKEN_FIX)


def _call(settings: Settings, token: str, method: str, variable: str, fix: str) -> dict[str, Any] | None:
    client = WebClient(token=token, base_url=settings.slack_api_url, timeout=CHECK_TIMEOUT, retry_handlers=[])
    try:
        return dict(client.api_call(method).data)  # type: ignore[arg-type]
    except SlackApiError as error:
        code = str(error.response.get("error", "unknown_error"))
        if code in REFUSED:
            raise ConfigError(variable, f"was refused by Slack ({code})", fix) from None
        logger.warning("checking %s at start-up: Slack answered %s; starting anyway", variable, code)
    except UNREACHABLE as error:
        logger.warning(
            "Slack isn't reachable at %s (%s); starting anyway, and until it is, people are told "
            "that Slack isn't answering",
            settings.slack_api_url,
            type(error).__name__,
        )
    return None


def listen(host: str, port: int) -> ThreadingWSGIServer:
    """The HTTP server bound to `host:port` before anything else starts (give it the app with
    `set_app`); a port someone else holds is a ConfigError naming PORT."""
    try:
        return make_http_server(None, host, port)
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, errno.EACCES):
            problem = (
                "is in use by another program" if error.errno == errno.EADDRINUSE else "needs privileges"
            )
            raise ConfigError(
                "PORT",
                f"{port} {problem} (on {host})",
                "stop what is listening there, or choose another port with PORT or --port",
            ) from None
        raise
