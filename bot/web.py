"""The WSGI application: Slack's events endpoint, OAuth routes (through Bolt) and a health check."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]


class WebApplication:
    def __init__(self, app: App, health_check: Callable[[], None]) -> None:
        self.slack = SlackRequestHandler(app, path="/slack/events")
        self.health_check = health_check

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self.healthz(start_response)
        return self.slack(environ, start_response)

    def healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            self.health_check()
        except Exception as error:
            logger.warning("health check failed: database unreachable (%s)", type(error).__name__)
            return _json(
                start_response,
                "503 Service Unavailable",
                {"status": "unavailable", "database": "unreachable"},
            )
        return _json(start_response, "200 OK", {"status": "ok", "database": "ok"})


def _json(start_response: StartResponse, status: str, payload: dict[str, str]) -> Iterable[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
