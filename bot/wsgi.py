"""`gunicorn bot.wsgi:application`: the app (and its effect workers) start on the first request, never at
import time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from bot.composition import BackgroundEffects, build_services, build_web_application
from bot.config import load_settings
from bot.logs import configure_logging


class LazyApplication:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._app: Callable[..., Iterable[bytes]] | None = None
        self.effects: BackgroundEffects | None = None

    def _build(self) -> Callable[..., Iterable[bytes]]:
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        services = build_services(settings)
        _, web = build_web_application(settings, services)
        self.effects = BackgroundEffects.start(services)
        return web

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self._build()
        return self._app(environ, start_response)


application = LazyApplication()
