"""The dependencies handed to every listener, built once in the composition root (`bot.composition`)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient

from bot.config import Settings
from bot.coordinators import Coordinators
from bot.effects import Effects
from bot.faq_service import FaqService
from bot.matching_service import MatchingService
from bot.people import People
from bot.usecases.announcements import Announcements
from bot.usecases.change_requests import ChangeRequests
from bot.usecases.coordinator_admin import CoordinatorAdmin
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
    goals: Goals
    meetings: Meetings
    nudge_answers: NudgeAnswers
    round_feedback: RoundFeedbackAnswers
    scheduling: Scheduling
    profiles: Profiles
    privacy: Privacy
    rounds: Rounds
    manual_matches: ManualMatches
    change_requests: ChangeRequests
    mentor_choice: MentorChoice
    notices: Notices
    reports: Reports
    roster: Roster
    retention: Retention
    coordinator_admin: CoordinatorAdmin
    announcements: Announcements
    faq_answers: FaqAnswers
    faq_learning: FaqLearning
    followups: Executor
    """Where listeners finish the work of a command after acking it, off Bolt's listener threads."""
