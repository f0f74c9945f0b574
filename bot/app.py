"""The Bolt app factory."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.config import ConfigError, Settings
from bot.installations import oauth_settings
from bot.logs import ContextPreservingExecutor, new_request_id, request_id_var
from bot.request_guard import RequestGuard
from bot.services import Services
from handlers import lifecycle
from handlers.areas import register_all

logger = logging.getLogger(__name__)

NOT_INSTALLED = (
    "Mentor Circles needs to be reinstalled in this workspace before it can answer: it was removed or its "
    "access ran out. A workspace admin can reinstall it, and nothing you sent was changed."
)


def create_app(settings: Settings, services: Services) -> App:
    """A Bolt app with every area's listeners. Makes no network call: tokens are checked lazily.

    With one `SLACK_BOT_TOKEN` it serves one workspace; with `SLACK_CLIENT_ID`/`SLACK_CLIENT_SECRET` it
    serves every workspace that installed it through `/slack/install`, each with its own stored token.
    """
    if settings.slack_mode == "sandbox":
        raise ConfigError(
            "SLACK_BOT_TOKEN",
            "is not set",
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or run `mentor-circles shell` to use the local sandbox",
        )
    app = App(
        signing_secret=settings.slack_signing_secret or "",
        client=services.slack_client,
        oauth_settings=oauth_settings(settings, services.db) if settings.slack_mode == "oauth" else None,
        token_verification_enabled=False,
        user_facing_authorize_error_message=NOT_INSTALLED,
        listener_executor=ContextPreservingExecutor(max_workers=8, thread_name_prefix="listener"),
        logger=logging.getLogger("slack_bolt.App"),
    )
    app.use(RequestGuard())
    app.use(_tag_request)
    app.error(_report_error)
    register_all(app, services)
    lifecycle.register(app, services)
    return app


def _tag_request(next) -> Any:
    request_id_var.set(new_request_id())
    return next()


def _report_error(error: Exception) -> None:
    logger.error("unhandled error in a listener (%s)", type(error).__name__, exc_info=error)
