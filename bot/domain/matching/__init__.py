"""The matching engine: peer circles, mentor matches and mentorship teams (pure Python).

Entry points: ``plan_rounds`` / ``plan_round`` for circles, ``match_mentors`` for 1:1 and teams,
``add_late_joiners`` / ``add_late_mentees`` for people who join after a round.
"""

from .circles import plan_round, plan_rounds
from .late_joiners import LateJoinResult, add_late_joiners, add_late_mentees
from .mentors import match_mentors
from .model import (
    Circle,
    CircleSize,
    CircleWeights,
    History,
    HistoryRound,
    MatchResult,
    MentorMatch,
    MentorWeights,
    Person,
    RoundPlan,
    RoundStats,
    Unmatched,
    Unplaced,
    pair_key,
)

__all__ = [
    "Circle",
    "CircleSize",
    "CircleWeights",
    "History",
    "HistoryRound",
    "LateJoinResult",
    "MatchResult",
    "MentorMatch",
    "MentorWeights",
    "Person",
    "RoundPlan",
    "RoundStats",
    "Unmatched",
    "Unplaced",
    "add_late_joiners",
    "add_late_mentees",
    "match_mentors",
    "pair_key",
    "plan_round",
    "plan_rounds",
]
