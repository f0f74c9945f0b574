"""The career stage a Slack profile title states, to pre-fill the join form ("PGY-3", "cardiology fellow").

Only a clear statement counts: a title naming no stage, two different PGY years, or someone who runs a
program rather than trains in it ("fellowship director") pre-fills nothing. A fellow is a fellow whatever
their PGY year ("PGY-5 cardiology fellow").
"""

from __future__ import annotations

import re

from bot.domain.vocabulary import STAGES

_PGY = re.compile(r"\bpgy[\s\-_.]*([1-9])\b", re.IGNORECASE)
_FELLOW = re.compile(r"\bfellow(ship)?\b", re.IGNORECASE)
_NOT_A_TRAINEE = re.compile(r"\b(former|ex|past|director|coordinator)\b", re.IGNORECASE)


def stage_from_title(title: str | None) -> str | None:
    """The stage id a profile title names (`PGY-1`..`PGY-7` or `fellow`), else None."""
    if not title or _NOT_A_TRAINEE.search(title):
        return None
    if _FELLOW.search(title):
        return "fellow"
    years = {f"PGY-{match.group(1)}" for match in _PGY.finditer(title)}
    if len(years) != 1:
        return None
    stage = years.pop()
    return stage if stage in STAGES else None
