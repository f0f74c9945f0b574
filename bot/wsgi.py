"""`gunicorn bot.wsgi:application`: the app (and its effect workers) start when a worker boots (see
`bot.gunicorn_config`) or else on the first request, never at import time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from bot.composition import BackgroundEffects, build_services, build_web_application, require_current_schema
from bot.config import load_settings
from bot.logs import configure_logging
from bot.startup import check_slack


class LazyApplication:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._app: Callable[..., Iterable[bytes]] | None = None
        self.effects: BackgroundEffects | None = None

    def _build(self) -> Callable[..., Iterable[bytes]]:
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        services = build_services(settings)
        require_current_schema(services.db)
        check_slack(settings)
        _, web = build_web_application(settings, services)
        self.effects = BackgroundEffects.start(services)
        return web

    def start(self) -> Callable[..., Iterable[bytes]]:
        """Build the app now: settings, schema and Slack token are checked (ConfigError, SchemaNotReady)."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self._build()
        return self._app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.start()(environ, start_response)


application = LazyApplication()
