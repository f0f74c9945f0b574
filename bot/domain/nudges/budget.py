"""The message budget: at most a program's `weekly_nudge_budget` nudge DMs per member and local week,
everything due for one member on one local day merged into one DM, nothing silently lost.

`arrange` runs once per planning, on the nudges the policy planned that the outbox does not hold yet:

- Member nudges (`BUDGETED`) are grouped by member and local day. Each day becomes one `combined` DM,
  keyed by member and day (planning twice, or two clocks, still give one DM); its parts are stored as
  their own rows marked merged into it, so their buttons and answers work as before.
- A day that already has its DM, still waiting to go, takes the new parts in; one whose DM went out
  (or was skipped) cannot, and they are dropped with a reason.
- A new day gets a DM while the member's week has budget left and the day ranks among the week's best:
  days are ranked by their most useful part (`USEFULNESS`, then the earlier day), against the days
  already booked and the rest of the week as the policy expects it (`preview`). Otherwise its parts
  are dropped with the reason `budget`.

Not budgeted: coordinator DMs, replies to a member's own action (`need_help`), the paused notice (it
says we went quiet), end-of-round feedback (once a round, and what the program learns from), and the
group DM's meeting agenda (not one member's DM). Announcements and introductions are not nudges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.domain.calendar import monday_of

from .model import MemberSnapshot, PlannedNudge
from .timing import local_date

COMBINED = "combined"
USEFULNESS: tuple[tuple[str, ...], ...] = (
    ("did_you_meet", "goal_checkin"),
    ("stalled",),
    ("meeting_reminder",),
    ("mentor_digest",),
)
"""Most useful first: questions that ask for an answer, then help for a stalled group, then a reminder,
then an update. The one ranking of member nudges."""
BUDGETED = frozenset(kind for tier in USEFULNESS for kind in tier)
BUDGET = "budget"
DAY_CLOSED = "after this day's message"
"""Why a part that turned up once its day's DM had gone (or been skipped) is dropped."""
DEFAULT_BUDGET = 2


def usefulness(kind: str) -> int:
    """The kind's tier: 0 is the most useful."""
    return next(index for index, tier in enumerate(USEFULNESS) if kind in tier)


def combined_key(user_id: str, day: date) -> str:
    return f"{COMBINED}:{user_id}:{day.isoformat()}"


def day_of_key(key: str) -> date | None:
    """The local day a combined DM's key names."""
    try:
        return date.fromisoformat(key.rsplit(":", 1)[-1])
    except ValueError:
        return None


@dataclass(frozen=True)
class Booked:
    """A member's day that already has its combined DM in the outbox."""

    day: date
    open: bool
    """Still waiting to go: new parts may join it."""
    counts: bool
    """Sent or on its way: it uses the week's budget (a skipped or dead one does not)."""


@dataclass
class Arrangement:
    messages: list[PlannedNudge] = field(default_factory=list)
    """New combined DMs, one per member and day; their payload names the day."""
    merged: list[tuple[PlannedNudge, str]] = field(default_factory=list)
    """Each part, and the key of the combined DM it goes out in."""
    dropped: list[tuple[PlannedNudge, str]] = field(default_factory=list)
    """Each part left out, and why."""
    untouched: list[PlannedNudge] = field(default_factory=list)
    """Nudges outside the budget, stored as planned."""


def arrange(
    planned: Sequence[PlannedNudge],
    members: Iterable[MemberSnapshot],
    booked: Mapping[str, Sequence[Booked]],
    preview: Sequence[PlannedNudge] = (),
) -> Arrangement:
    """Merge and budget the new nudges; `booked` per member, `preview` the week ahead (not yet held)."""
    people = {member.user_id: member for member in members}
    result = Arrangement()
    parts: dict[str, dict[date, list[PlannedNudge]]] = defaultdict(lambda: defaultdict(list))
    for nudge in planned:
        member = people.get(nudge.user_id)
        if nudge.kind not in BUDGETED or member is None:
            result.untouched.append(nudge)
        else:
            parts[nudge.user_id][local_date(nudge.due_at, member.tz)].append(nudge)
    for user_id, days in parts.items():
        member = people[user_id]
        expected = _expected_days(user_id, member.tz, preview)
        _arrange_member(member, days, {b.day: b for b in booked.get(user_id, ())}, expected, result)
    return result


def _expected_days(user_id: str, tz: str, preview: Sequence[PlannedNudge]) -> dict[date, int]:
    """Day -> best tier of what the policy expects to send the member that day."""
    days: dict[date, int] = {}
    for nudge in preview:
        if nudge.user_id == user_id and nudge.kind in BUDGETED:
            day = local_date(nudge.due_at, tz)
            days[day] = min(days.get(day, len(USEFULNESS)), usefulness(nudge.kind))
    return days


def _arrange_member(
    member: MemberSnapshot,
    days: Mapping[date, list[PlannedNudge]],
    booked: dict[date, Booked],
    expected: dict[date, int],
    result: Arrangement,
) -> None:
    budget = max(1, member.weekly_budget)
    for day in sorted(days):
        nudges = sorted(days[day], key=lambda nudge: (usefulness(nudge.kind), nudge.key))
        key = combined_key(member.user_id, day)
        held = booked.get(day)
        if held is not None:
            if held.open:
                result.merged.extend((nudge, key) for nudge in nudges)
            else:
                result.dropped.extend((nudge, DAY_CLOSED) for nudge in nudges)
            continue
        week = monday_of(day)
        used = sum(1 for other in booked.values() if other.counts and monday_of(other.day) == week)
        tier = min(usefulness(nudge.kind) for nudge in nudges)
        rivals = sorted(
            (best, other)
            for other, best in {**expected, day: min(tier, expected.get(day, tier))}.items()
            if monday_of(other) == week and other not in booked and other >= day
        )
        rank = [other for _best, other in rivals].index(day)
        if rank < budget - used:
            due_at = min(nudge.due_at for nudge in nudges)
            result.messages.append(
                PlannedNudge(COMBINED, key, member.user_id, due_at, {"day": day.isoformat()})
            )
            result.merged.extend((nudge, key) for nudge in nudges)
            booked[day] = Booked(day, open=True, counts=True)
        else:
            result.dropped.extend((nudge, BUDGET) for nudge in nudges)
