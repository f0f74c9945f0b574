"""The Bolt app factory."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

import handlers
from bot.config import ConfigError, Settings
from bot.logs import ContextPreservingExecutor, new_request_id, request_id_var
from bot.services import Services

logger = logging.getLogger(__name__)


def create_app(settings: Settings, services: Services) -> App:
    """A Bolt app with every area's listeners. Makes no network call: the token is checked lazily."""
    if settings.slack_mode != "token":
        raise ConfigError(
            "SLACK_BOT_TOKEN",
            "is not set",
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or run `mentor-circles shell` to use the local sandbox",
        )
    app = App(
        signing_secret=settings.slack_signing_secret or "",
        client=services.slack_client,
        token_verification_enabled=False,
        listener_executor=ContextPreservingExecutor(max_workers=8, thread_name_prefix="listener"),
        logger=logging.getLogger("slack_bolt.App"),
    )
    app.use(_tag_request)
    app.error(_report_error)
    handlers.register_all(app, services)
    return app


def _tag_request(next) -> Any:  # type: ignore[no-untyped-def]
    request_id_var.set(new_request_id())
    return next()


def _report_error(error: Exception) -> None:
    logger.error("unhandled error in a listener (%s)", type(error).__name__, exc_info=error)
