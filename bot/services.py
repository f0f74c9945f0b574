"""The dependencies handed to every listener, built once in the composition root (`bot.composition`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.config import Settings
from handlers.routing import CommandRouter
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    slack_client: WebClient
    router: CommandRouter = field(default_factory=CommandRouter)
