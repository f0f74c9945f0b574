"""Plain-English reasons for circles and mentor matches, computed from the actual data.

Reasons are shown to coordinators in the preview and reused in introductions, so they never mention
do-not-match lists or anything else confidential.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from bot.domain.text import join_labels
from bot.domain.vocabulary import (
    DOMAINS,
    STAGES,
    domain_label,
    specialty_label,
    stage_label,
    stage_rank,
    track_label,
)

from .model import Pair, Person, pair_key
from .pair_costs import tz_hours


def _everyone(count: int) -> str:
    return "both" if count == 2 else "all"


def round_name(number: int, labels: Sequence[str]) -> str:
    """The name of history round `number` (1 = oldest): its calendar name when it has one."""
    return (labels[number - 1] if 0 < number <= len(labels) else "") or f"round {number}"


def _history_reason(people: Sequence[Person], meetings: dict[Pair, list[int]], labels: Sequence[str]) -> str:
    met = [meetings[key] for a, b in combinations(people, 2) if (key := pair_key(a.id, b.id)) in meetings]
    if not met:
        return "new to each other"
    latest = round_name(max(max(rounds) for rounds in met), labels)
    if len(met) == 1:
        return f"2 of you met in {latest}"
    return f"{len(met)} pairs of you have met before, most recently in {latest}"


def _stage_reason(people: Sequence[Person]) -> str | None:
    stages = [p.stage for p in people if p.stage is not None and stage_rank(p.stage) is not None]
    if len(stages) < 2:
        return None
    if len(stages) == len(people) and len(set(stages)) == 1:
        return f"{_everyone(len(people))} at the same stage ({stage_label(stages[0])})"
    ordered = sorted(set(stages), key=lambda s: (stage_rank(s), STAGES.index(s)))
    if len(ordered) == 1:
        return None
    return f"a mix of stages from {stage_label(ordered[0])} to {stage_label(ordered[-1])}"


def _specialty_reason(people: Sequence[Person]) -> str | None:
    specialties = [p.specialty for p in people if p.specialty]
    if len(specialties) < 2:
        return None
    distinct = sorted(set(specialties))
    if len(specialties) == len(people) and len(distinct) == 1:
        return f"{_everyone(len(people))} in {specialty_label(distinct[0])}"
    if len(distinct) > 1:
        return f"a mix of specialties ({join_labels([specialty_label(s) for s in distinct])})"
    return None


def _site_reason(people: Sequence[Person]) -> str | None:
    sites = {p.site for p in people}
    if len(sites) == 1 and None not in sites:
        return f"same site ({next(iter(sites))})"
    return None


def _tz_reason(people: Sequence[Person]) -> str | None:
    hours = [tz_hours(p.tz) for p in people]
    if any(h is None for h in hours):
        return None
    known = [h for h in hours if h is not None]
    spread = max(known) - min(known)
    if spread == 0:
        return "same time zone"
    whole = int(-(-spread // 1))
    if whole <= 3:
        return f"within {whole} hour{'s' if whole > 1 else ''} of each other"
    return None


def _track_reason(people: Sequence[Person]) -> str | None:
    tracks = {p.track for p in people}
    track = next(iter(tracks))
    if len(tracks) == 1 and track is not None:
        return f"{_everyone(len(people))} on the {track_label(track)} track"
    return None


def _interest_reason(people: Sequence[Person]) -> str | None:
    counts = Counter(d for p in people for d in sorted(p.needs))
    if not counts:
        return None
    shared_by_all = sorted(d for d, c in counts.items() if c == len(people))
    if shared_by_all:
        labels = [domain_label(d) for d in shared_by_all]
        return f"{_everyone(len(people))} interested in {join_labels(labels)}"
    domain, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    if count >= 2:
        return f"{count} of you interested in {domain_label(domain)}"
    return None


def circle_reasons(
    people: Sequence[Person], meetings: dict[Pair, list[int]], labels: Sequence[str] = ()
) -> tuple[str, ...]:
    """Why these people are together: history first, then what they share or how they mix.

    `labels` names the history's rounds (see `History.labels`), so a preview says "round 2 of 2026–27"
    as the program page does, not the round's position in the matcher's window of recent rounds.
    """
    if len(people) < 2:
        return ()
    found = [
        _history_reason(people, meetings, labels),
        _interest_reason(people),
        _stage_reason(people),
        _specialty_reason(people),
        _site_reason(people),
        _tz_reason(people),
        _track_reason(people),
    ]
    return tuple(r for r in found if r)


def match_reasons(mentee: Person, mentors: Sequence[Person], *, kept: bool = False) -> tuple[str, ...]:
    """Why these mentors suit this mentee: domains covered, then shared specialty, track, stage."""
    reasons: list[str] = []
    if kept:
        reasons.append("continuing an existing mentorship")
    offered = set().union(*(m.offers for m in mentors)) if mentors else set()
    covered = sorted(mentee.needs & offered, key=_domain_order)
    missing = sorted(mentee.needs - offered, key=_domain_order)
    if covered:
        reasons.append("covers " + join_labels([domain_label(d) for d in covered]))
    if missing:
        reasons.append("does not yet cover " + join_labels([domain_label(d) for d in missing]))
    if mentee.specialty and any(m.specialty == mentee.specialty for m in mentors):
        reasons.append(f"same specialty ({specialty_label(mentee.specialty)})")
    if mentee.track and any(m.track == mentee.track for m in mentors):
        reasons.append(f"shares the {track_label(mentee.track)} track")
    mentee_rank = stage_rank(mentee.stage)
    ahead = [m for m in mentors if mentee_rank is not None and (stage_rank(m.stage) or -1) > mentee_rank]
    if ahead and mentee.stage:
        stages = join_labels(sorted({stage_label(m.stage) for m in ahead if m.stage}))
        reasons.append(f"further along ({stages}) than the mentee ({stage_label(mentee.stage)})")
    return tuple(reasons)


def _domain_order(domain: str) -> tuple[int, str]:
    return (DOMAINS.index(domain) if domain in DOMAINS else len(DOMAINS), domain)
