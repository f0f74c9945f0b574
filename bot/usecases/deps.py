"""What every use case may depend on, built once in the composition root and passed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.coordinators import Coordinators
from bot.effects import Effects
from bot.faq_service import FaqService
from bot.matching_service import MatchingService
from bot.people import People
from storage.db import Database


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    effects: Effects
    people: People
    coordinators: Coordinators
    matching: MatchingService
    faq: FaqService
