"""The mentors a mentee may choose from: the engine's best few for them, best first, with its reasons.

Each suggestion is the engine's late-mentee match (`add_late_mentees`) with the ones already suggested
ruled out, so capacity (what mentors have left after their current and pending mentees) and every
do-not-match list hold exactly as they do in a round, and the reasons are the engine's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from .late_joiners import add_late_mentees
from .model import MentorMatch, Pair, Person

SUGGESTIONS = 3


def suggest_mentors(
    mentee: Person,
    mentors: Iterable[Person],
    load: Iterable[Pair],
    *,
    excluded: Iterable[str] = (),
    count: int = SUGGESTIONS,
) -> tuple[MentorMatch, ...]:
    """Up to `count` one-mentor matches for `mentee`, best first; `load` is every (mentee, mentor) pair
    that takes a place (others' mentorships and pending choices), `excluded` mentors are never suggested
    (whom they had, whom they already asked)."""
    pool = list(mentors)
    taken = [(who, mentor) for who, mentor in load if who != mentee.id]
    ruled_out = set(excluded)
    chosen: list[MentorMatch] = []
    while len(chosen) < count:
        found = add_late_mentees(
            [mentee], pool, taken, forbidden_pairs=[(mentee.id, mentor) for mentor in sorted(ruled_out)]
        )
        if not found.matches:
            break
        match = found.matches[0]
        chosen.append(match)
        ruled_out.update(match.mentors)
    return tuple(chosen)
