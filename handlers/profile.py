"""Placeholder."""

from slack_bolt import App

from bot.services import Services


def register(app: App, services: Services) -> None:
    return None
