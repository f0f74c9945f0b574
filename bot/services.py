"""The dependencies handed to every listener, built once in the composition root (`bot.composition`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.config import Settings
from bot.coordinators import Coordinators
from bot.effects import Effects
from bot.faq_service import FaqService
from bot.matching_service import MatchingService
from bot.people import People
from handlers.routing import CommandRouter
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    slack_client: WebClient
    coordinators: Coordinators
    faq: FaqService
    people: People
    matching: MatchingService
    effects: Effects
    router: CommandRouter = field(default_factory=CommandRouter)
    admin: CommandRouter = field(default_factory=CommandRouter)
    """`/mentor admin` subcommands, reached only after the coordinator check."""
