"""Slack listeners, one module per area, each with `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services
from handlers import help, home, mentor

AREAS = (mentor, help, home)


def register_all(app: App, services: Services) -> None:
    for area in AREAS:
        area.register(app, services)
