"""The composition root: the one place where settings become connected objects."""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from slack_bolt import App

from bot.app import create_app
from bot.config import Settings
from bot.coordinators import Coordinators
from bot.effects import Effects
from bot.effects.handlers import effect_handlers
from bot.effects.worker import EffectOptions, EffectWorker
from bot.faq_service import FaqService
from bot.installations import token_source
from bot.logs import ContextPreservingExecutor
from bot.matching_service import MatchingService
from bot.people import People
from bot.services import Services
from bot.slack_client import build_web_client
from bot.usecases.announcements import Announcements
from bot.usecases.change_requests import ChangeRequests
from bot.usecases.coordinator_admin import CoordinatorAdmin
from bot.usecases.deps import Deps
from bot.usecases.faq import FaqAnswers, FaqLearning
from bot.usecases.goals import Goals
from bot.usecases.manual_matches import ManualMatches
from bot.usecases.meetings import Meetings
from bot.usecases.mentor_choice import MentorChoice
from bot.usecases.notices import Notices
from bot.usecases.nudge_answers import NudgeAnswers
from bot.usecases.privacy import Privacy
from bot.usecases.profile import Profiles
from bot.usecases.reports import Reports
from bot.usecases.retention import Retention
from bot.usecases.roster import Roster
from bot.usecases.round_feedback import RoundFeedbackAnswers
from bot.usecases.rounds import Rounds
from bot.usecases.scheduling import Scheduling
from bot.web import WebApplication
from storage import migrate
from storage.db import Database

FOLLOWUP_THREADS = 2
"""Threads finishing acked commands: a few, so they queue politely on the database rather than crowd it."""
ACK_SWITCH_INTERVAL = 0.001
"""Seconds a busy thread keeps the GIL before a waiting one gets it. Python's default (5 ms) lets follow-up
work and effect workers hold a listener thread back for several turns before it can ack."""


class SchemaNotReady(Exception):
    pass


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_services(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now, db: Database | None = None
) -> Services:
    database = db or Database(settings.database_url)
    slack_client = build_web_client(settings)
    deps = Deps(
        settings=settings,
        db=database,
        clock=clock,
        effects=Effects(home_spacing=EffectOptions().home_spacing),
        people=People(clock),
        coordinators=Coordinators(settings.coordinator_user_ids, db=database, client=slack_client),
        matching=MatchingService(clock, settings.default_timezone),
        faq=FaqService(),
    )
    notices = Notices(deps)
    manual_matches = ManualMatches(deps)
    return Services(
        settings=settings,
        db=database,
        clock=clock,
        slack_client=slack_client,
        coordinators=deps.coordinators,
        faq=deps.faq,
        people=deps.people,
        matching=deps.matching,
        effects=deps.effects,
        goals=Goals(deps),
        meetings=Meetings(deps),
        nudge_answers=NudgeAnswers(deps),
        round_feedback=RoundFeedbackAnswers(deps),
        scheduling=Scheduling(deps),
        profiles=Profiles(deps),
        privacy=Privacy(deps),
        rounds=Rounds(deps, notices),
        manual_matches=manual_matches,
        change_requests=ChangeRequests(deps, notices),
        mentor_choice=MentorChoice(deps, manual_matches),
        notices=notices,
        reports=Reports(deps),
        roster=Roster(deps),
        retention=Retention(deps),
        coordinator_admin=CoordinatorAdmin(deps),
        announcements=Announcements(deps),
        faq_answers=FaqAnswers(deps),
        faq_learning=FaqLearning(deps),
        followups=ContextPreservingExecutor(max_workers=FOLLOWUP_THREADS, thread_name_prefix="followup"),
    )


def effect_worker(services: Services, options: EffectOptions | None = None) -> EffectWorker:
    """The worker that does queued Slack effects; `services.effects` wakes it when work is queued."""
    settings = services.settings
    worker = EffectWorker(
        services.db,
        api_url=settings.slack_api_url,
        tokens=token_source(settings, services.db),
        handlers=effect_handlers(services),
        options=options or EffectOptions(home_spacing=services.effects.home_spacing),
    )
    services.effects.wake = worker.wake
    return worker


class BackgroundEffects:
    """Effect workers on daemon threads of a serving process (web, Socket Mode, shell)."""

    def __init__(self, worker: EffectWorker, threads: int = 2) -> None:
        self.worker = worker
        self.stopping = threading.Event()
        self.threads = worker.start(self.stopping, threads)

    @classmethod
    def start(
        cls, services: Services, threads: int = 2, options: EffectOptions | None = None
    ) -> BackgroundEffects:
        return cls(effect_worker(services, options), threads)

    def stop(self) -> None:
        self.stopping.set()
        self.worker.wake()
        for thread in self.threads:
            thread.join(timeout=5)


def require_current_schema(db: Database) -> None:
    if not migrate.is_up_to_date(db):
        raise SchemaNotReady("the database schema is not up to date: run `mentor-circles db upgrade` first")


def build_web_application(settings: Settings, services: Services) -> tuple[App, WebApplication]:
    """The Bolt app and its WSGI front, for every serving process (HTTP, gunicorn, Socket Mode)."""
    sys.setswitchinterval(ACK_SWITCH_INTERVAL)
    app = create_app(settings, services)
    # What exists now (libraries, the FAQ index, mappings) lives as long as the process: moved out of
    # the collector's reach, a full collection no longer walks it and pauses a listener for tens of ms.
    gc.collect()
    gc.freeze()
    return app, WebApplication(app, health_check=services.db.ping)
