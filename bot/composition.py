"""The composition root: the one place where settings become connected objects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import App

from bot.app import create_app
from bot.config import Settings
from bot.coordinators import Coordinators
from bot.faq_service import FaqService
from bot.matching_service import MatchingService
from bot.people import People
from bot.services import Services
from bot.slack_client import build_web_client
from bot.web import WebApplication
from storage import migrate
from storage.db import Database


class SchemaNotReady(Exception):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_services(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now, db: Database | None = None
) -> Services:
    database = db or Database(settings.database_url)
    slack_client = build_web_client(settings)
    return Services(
        settings=settings,
        db=database,
        clock=clock,
        slack_client=slack_client,
        coordinators=Coordinators(settings.coordinator_user_ids, db=database, client=slack_client),
        faq=FaqService(),
        people=People(clock),
        matching=MatchingService(clock, settings.default_timezone),
    )


def require_current_schema(db: Database) -> None:
    if not migrate.is_up_to_date(db):
        raise SchemaNotReady("the database schema is not up to date: run `mentor-circles db upgrade` first")


def build_web_application(settings: Settings, services: Services) -> tuple[App, WebApplication]:
    app = create_app(settings, services)
    return app, WebApplication(app, health_check=services.db.ping)
