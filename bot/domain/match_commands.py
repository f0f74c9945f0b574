"""The grammar of coordinators' match commands: `[circles|mentors|teams] [PROGRAM]` after
`/mentor admin match preview|publish`, and why a preview may place nobody.

Pure: which program a name means is for the use case to look up, so a reading here is only a candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.programs import kind_named


@dataclass(frozen=True)
class MatchTarget:
    """One reading of what a coordinator typed: a kind (None: the program's own) and a program name
    ("": the workspace's default program)."""

    kind: str | None
    program: str


def match_targets(text: str) -> list[MatchTarget]:
    """The readings of `[KIND] [PROGRAM]`, most likely first.

    The whole text as a program's name comes first, so a program called "Mentors at North" is never
    read as the kind `mentors` of a program "at North"; then a leading kind word with the rest as the
    name. Program names may contain spaces.
    """
    words = text.split()
    if not words:
        return [MatchTarget(None, "")]
    readings = [MatchTarget(None, " ".join(words))]
    kind = kind_named(words[0])
    if kind is not None:
        readings.append(MatchTarget(kind, " ".join(words[1:])))
    return readings


class NobodyPlaced(StrEnum):
    """Why a preview has no circle or match at all, told from counts alone.

    Counts never say why any one person was left out, so none of these can give a confidential
    do-not-match list away: with enough people and nobody placed, the answer is `NO_FIT` for everyone.
    """

    NO_PEERS = "no_peers"
    TOO_FEW_PEERS = "too_few_peers"
    NO_MENTEES = "no_mentees"
    NO_MENTORS = "no_mentors"
    NO_FIT = "no_fit"


def why_nobody_placed(kind: str, peers: int, mentees: int, mentors: int) -> NobodyPlaced:
    """The reason to give for an empty preview of `kind`, from the active people of each role (a circle
    needs two people at least)."""
    if kind == "circles":
        if peers == 0:
            return NobodyPlaced.NO_PEERS
        return NobodyPlaced.TOO_FEW_PEERS if peers < 2 else NobodyPlaced.NO_FIT
    if mentees == 0:
        return NobodyPlaced.NO_MENTEES
    return NobodyPlaced.NO_MENTORS if mentors == 0 else NobodyPlaced.NO_FIT
