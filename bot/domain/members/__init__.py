"""The members feature's pure rules: sign-up profiles, goals, meetings and personal settings.

Every parser takes the text a member typed (as Slack sends it) and returns either a value or a
`Problem` whose message is ready to show; none of them raises on any input string.
"""

from .dates import DateResult, format_date, local_today, parse_due_date, parse_meeting_date
from .goals import (
    CheckInKind,
    GoalDraft,
    GoalStatus,
    apply_check_in,
    check_goal_number,
    check_in_message,
    goal_added_message,
    parse_goal_add,
    parse_goal_number,
)
from .meetings import (
    MET_USAGE,
    Ambiguous,
    Inferred,
    MetDraft,
    NoMatch,
    Relationship,
    choose_relationship,
    parse_met,
)
from .problem import Problem
from .profile import PROFILE_FIELDS, ProfileDraft, normalize_profile, profile_summary_lines, validate_profile
from .settings import PauseUntil, frequency_confirmation, parse_frequency, parse_pause, pause_confirmation
from .state import EnrollmentStatus, MemberStatus, has_joined, is_paused, may_be_nudged, standing

__all__ = [
    "EnrollmentStatus",
    "MemberStatus",
    "has_joined",
    "is_paused",
    "may_be_nudged",
    "standing",
    "MET_USAGE",
    "PROFILE_FIELDS",
    "Ambiguous",
    "CheckInKind",
    "DateResult",
    "GoalDraft",
    "GoalStatus",
    "Inferred",
    "MetDraft",
    "NoMatch",
    "PauseUntil",
    "Problem",
    "ProfileDraft",
    "Relationship",
    "apply_check_in",
    "check_goal_number",
    "check_in_message",
    "choose_relationship",
    "format_date",
    "frequency_confirmation",
    "goal_added_message",
    "local_today",
    "normalize_profile",
    "parse_due_date",
    "parse_frequency",
    "parse_goal_add",
    "parse_goal_number",
    "parse_meeting_date",
    "parse_met",
    "parse_pause",
    "pause_confirmation",
    "profile_summary_lines",
    "validate_profile",
]
