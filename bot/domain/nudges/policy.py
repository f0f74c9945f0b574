"""The nudge policy: which nudges are due around an instant, for whom, and when each should arrive.

`plan_nudges` is a pure function of a workspace snapshot and an instant. Each nudge has a planned
local day (its period) and a key built from that period, never from the instant of planning, so the
clock can plan every few minutes and the outbox keeps one row per key. Only nudges whose send time
falls within `HORIZON` are planned (rows are not created weeks ahead, and a change of plans still
takes effect), and nothing is planned once its send time is more than `STALE_AFTER` in the past (a
restart after a long outage must not flood people with old reminders).

A nudge planned late (its send time already passed) keeps that send time while it is still the
same local day and a fine hour to send; otherwise it waits for the member's next send time.

Conditions rather than dates trigger two kinds. A stalled relationship is raised once per stretch
without a meeting (its key names the last meeting, or the start) and once per stretch of untouched
goals (its key names the day they were last touched). A non-responder's paused notice is keyed by
the day it is meant to arrive.

A meeting agenda goes to each introduced group's DM once per due meeting (its key names the
relationship and the expected day), on the day and at the hour of its first member's meeting reminder.
What each member then receives is decided by the message budget (`bot.domain.nudges.budget`).

End-of-round feedback goes to each participant of a live circle or mentorship once per round of its
program (its key names the program and the round's first day), on the first working day of the round's
last week (`bot.domain.calendar.feedback_opens`), and not once the round is over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from bot.domain.agendas import AgendaGoal, agenda_goals, agenda_needs, round_stage
from bot.domain.calendar import (
    Cycle,
    digest_week,
    feedback_opens,
    iso_week,
    monday_of,
    round_window,
    workspace_zone,
)
from bot.domain.feedback import feedback_key
from bot.domain.members.state import MemberStatus, may_be_nudged

from .model import (
    GoalSnapshot,
    MemberSnapshot,
    PlannedNudge,
    ProgramCalendar,
    RelationshipSnapshot,
    Schedule,
    WorkspaceSnapshot,
)
from .timing import is_sendable, local_date, next_send_time, resolve_zone

HORIZON = timedelta(hours=36)
PREVIEW = timedelta(days=8)
"""How far the message budget looks ahead: the rest of any local week."""
STALE_AFTER = timedelta(days=3)

REMINDER_LEAD_DAYS = 3
NEW_RELATIONSHIP_GRACE_DAYS = 2
DID_YOU_MEET_DELAY_DAYS = 1
STALLED_CADENCES = 2
STALLED_DELAY_DAYS = 2
"""A stall for want of meetings is raised this long after the second missed expected date,
so it does not arrive the same morning as that cycle's "did you meet?"."""
NOT_YET_LIMIT = 2
GOALS_UNTOUCHED_DAYS = 90
UNANSWERED_LIMIT = 3
SILENT_DAYS = 21
OPEN_AT_LEAST = timedelta(hours=72)

_LOOKAHEAD_DAYS = 2
_LOOKBACK_DAYS = 7


def unanswered_long_enough(sent: Sequence[datetime], now: datetime) -> list[datetime]:
    """The unanswered check-ins (their send times) that have been open at least `OPEN_AT_LEAST`."""
    return sorted(at for at in sent if now - at >= OPEN_AT_LEAST)


def is_non_responder(sent: Sequence[datetime], now: datetime) -> bool:
    """The one rule for pausing someone who doesn't answer: `UNANSWERED_LIMIT` check-ins in a row left
    unanswered, each open at least `OPEN_AT_LEAST`, the first and the last at least `SILENT_DAYS` apart.

    Busy weeks on nights or call happen; three weeks of silence is the point to go quiet on them.
    """
    settled = unanswered_long_enough(sent, now)
    return len(settled) >= UNANSWERED_LIMIT and settled[-1] - settled[0] >= timedelta(days=SILENT_DAYS)


def coordinator_digest_key(user_id: str, week: Cycle) -> str:
    """The outbox key of a coordinator's digest of `week`: one per coordinator and week."""
    return f"coordinator_digest:{user_id}:{iso_week(week.end)}"


def plan_nudges(
    snapshot: WorkspaceSnapshot, now: datetime, horizon: timedelta = HORIZON
) -> list[PlannedNudge]:
    """Every nudge whose send time is within `horizon` of `now` and not stale, sorted by (due_at, key).

    A longer `horizon` (`PREVIEW`) shows what the coming week is expected to bring: the message budget
    ranks a day against the rest of its week by it. Only `HORIZON` plans rows.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    planner = _Planner(snapshot, now.astimezone(UTC), horizon)
    planner.plan()
    return sorted(planner.planned.values(), key=lambda nudge: (nudge.due_at, nudge.key))


def plan_week_ahead(snapshot: WorkspaceSnapshot, now: datetime) -> list[PlannedNudge]:
    """`plan_nudges` looking `PREVIEW` ahead: what the message budget ranks a day against."""
    return plan_nudges(snapshot, now, PREVIEW)


@dataclass(frozen=True)
class _Recipient:
    user_id: str
    tz: str
    schedule: Schedule
    resumes_on: date | None = None
    """The end of a pause: nudges for days before it are dropped, not sent late."""


@dataclass(frozen=True)
class _Stall:
    reason: str
    episode: date
    """The day the stalled stretch counts from: it names the nudge, so one stretch gets one nudge."""
    starts_on: date


class _Planner:
    def __init__(self, snapshot: WorkspaceSnapshot, now: datetime, horizon: timedelta = HORIZON) -> None:
        self.snapshot = snapshot
        self.now = now
        self.horizon = horizon
        self.lookahead = _LOOKAHEAD_DAYS + max(0, (horizon - HORIZON).days + 1)
        """Days ahead the periods and cycles are looked at: enough for every send time within `horizon`."""
        self.members = {member.user_id: member for member in snapshot.members}
        self.open_goals: dict[str, list[GoalSnapshot]] = {}
        for goal in snapshot.goals:
            if goal.status == "open":
                self.open_goals.setdefault(goal.user_id, []).append(goal)
        for goals in self.open_goals.values():
            goals.sort(key=lambda goal: (goal.number, goal.id))
        self.mentees_by_mentor: dict[str, dict[str, datetime]] = {}
        """Mentor -> mentee -> when they were first matched (the mentor's updates start there)."""
        for relationship in snapshot.relationships:
            started = relationship.started_at or datetime.combine(relationship.started_on, time(0), UTC)
            mentees = [user_id for user_id, role in relationship.members if role == "mentee"]
            for user_id, role in relationship.members:
                if role == "mentor":
                    matched = self.mentees_by_mentor.setdefault(user_id, {})
                    for mentee in mentees:
                        matched[mentee] = min(started, matched.get(mentee, started))
        self.programs: dict[int, ProgramCalendar] = {program.id: program for program in snapshot.programs}
        self.planned: dict[str, PlannedNudge] = {}

    def plan(self) -> None:
        for member in self.snapshot.members:
            if self._is_non_responder(member):
                self._plan_paused_notice(member)
            elif self._may_nudge(member):
                self._plan_goal_checkins(member)
                self._plan_mentor_digest(member)
        for relationship in self.snapshot.relationships:
            if relationship.cadence_days > 0:
                self._plan_relationship(relationship)
            self._plan_round_feedback(relationship)
        self._plan_coordinator_digests()

    # Members ---------------------------------------------------------------------------------

    def _today(self, recipient: MemberSnapshot | _Recipient) -> date:
        return local_date(self.now, recipient.tz)

    def _is_active(self, member: MemberSnapshot) -> bool:
        return may_be_nudged(member.status, member.paused_until, self._today(member))

    def _is_non_responder(self, member: MemberSnapshot) -> bool:
        return self._is_active(member) and is_non_responder(member.unanswered_checkins, self.now)

    def _may_nudge(self, member: MemberSnapshot) -> bool:
        return self._is_active(member) and not is_non_responder(member.unanswered_checkins, self.now)

    def _plan_paused_notice(self, member: MemberSnapshot) -> None:
        settled = unanswered_long_enough(member.unanswered_checkins, self.now)
        recipient = _recipient(member)
        arrives_on = local_date(self._ideal(recipient, self._today(member)), member.tz)
        self._add(
            "paused_notice",
            f"paused_notice:{member.user_id}:{arrives_on.isoformat()}",
            recipient,
            self._today(member),
            {
                "unanswered": len(settled),
                "silent_days": (self.now - settled[0]).days,
            },
        )

    def _plan_goal_checkins(self, member: MemberSnapshot) -> None:
        goals = self.open_goals.get(member.user_id)
        if "mentee" not in member.roles or not goals or member.frequency_days <= 0:
            return
        recipient = _recipient(member)
        for period_start in _periods(
            member.joined_on, member.frequency_days, self._today(member), self.lookahead
        ):
            payload = {"goals": [{"id": goal.id, "number": goal.number, "text": goal.text} for goal in goals]}
            key = f"goal_checkin:{member.user_id}:{period_start.isoformat()}"
            next_period = period_start + timedelta(days=member.frequency_days)
            self._add("goal_checkin", key, recipient, period_start, payload, expires_on=next_period)

    def _plan_mentor_digest(self, member: MemberSnapshot) -> None:
        mentees = self._mentees_of(member.user_id)
        if not mentees:
            return
        monday = self._this_monday(member.tz)
        zone = resolve_zone(member.tz)
        window_end = datetime.combine(monday, time(0), zone).astimezone(UTC)
        window_start = datetime.combine(monday - timedelta(days=7), time(0), zone).astimezone(UTC)
        entries = []
        for mentee in mentees:
            since = max(window_start, self.mentees_by_mentor[member.user_id][mentee])
            updates = sorted(
                (
                    event
                    for event in self.snapshot.goal_events
                    if event.user_id == mentee and since <= event.at < window_end
                ),
                key=lambda event: (event.at, event.number),
                reverse=True,
            )
            meetings = sorted(
                {
                    event.held_on
                    for event in self.snapshot.meeting_events
                    if mentee in event.user_ids and since <= event.logged_at < window_end
                },
                reverse=True,
            )
            if updates or meetings:
                entries.append(
                    {
                        "user_id": mentee,
                        "goal_updates": [
                            {
                                "number": event.number,
                                "text": event.text,
                                "kind": event.kind,
                                "on": event.at.astimezone(zone).date().isoformat(),
                            }
                            for event in updates
                        ],
                        "meetings": [held_on.isoformat() for held_on in meetings],
                    }
                )
        if entries:
            payload = {"since": (monday - timedelta(days=7)).isoformat(), "mentees": entries}
            key = f"mentor_digest:{member.user_id}:{iso_week(monday)}"
            self._add("mentor_digest", key, _recipient(member), monday, payload)

    def _mentees_of(self, mentor_id: str) -> list[str]:
        return sorted(
            user_id
            for user_id in self.mentees_by_mentor.get(mentor_id, ())
            if user_id in self.members and self.members[user_id].status != MemberStatus.LEFT
        )

    # Relationships ---------------------------------------------------------------------------

    def _plan_relationship(self, relationship: RelationshipSnapshot) -> None:
        for user_id, _role in relationship.members:
            member = self.members.get(user_id)
            if member is None or not self._may_nudge(member):
                continue
            recipient = _recipient(member)
            others = [
                other for other, _ in relationship.members if other != user_id and self._has_not_left(other)
            ]
            self._plan_cycles(relationship, recipient, others)
            stall = self._stall(relationship, self._today(member))
            if stall is not None:
                payload = {
                    "relationship_id": relationship.id,
                    "relationship_kind": relationship.kind,
                    "others": others,
                    "reason": stall.reason,
                    "last_met_on": _iso(relationship.last_met_on),
                }
                key = f"stalled:r{relationship.id}:{user_id}:{stall.episode.isoformat()}"
                planned_on = max(stall.starts_on, self._today(member))
                self._add("stalled", key, recipient, planned_on, payload)
        self._plan_agenda(relationship)
        if self.snapshot.flag_stalled_to_coordinators:
            self._plan_stalled_coordinator(relationship)

    def _plan_agenda(self, relationship: RelationshipSnapshot) -> None:
        """One agenda per due meeting, in the group DM, on the day of the members' meeting reminder, and
        one the day before a meeting planned with "find a time" (which takes the place of those due by then).

        It goes by the first member who may be nudged (the mentee of a mentorship first): their working
        hours and local day, as their reminder does.
        """
        if relationship.channel is None:
            return
        ordered = sorted(relationship.members, key=lambda item: item[1] != "mentee")
        member = next(
            (
                self.members[user_id]
                for user_id, _role in ordered
                if user_id in self.members and self._may_nudge(self.members[user_id])
            ),
            None,
        )
        if member is None:
            return
        people = tuple(
            (user_id, role) for user_id, role in relationship.members if self._has_not_left(user_id)
        )
        goals = agenda_goals(
            relationship.kind,
            people,
            [
                AgendaGoal(goal.user_id, goal.number, goal.text, goal.shared, goal.domain)
                for user_id, _role in people
                for goal in self.open_goals.get(user_id, ())
            ],
        )
        mentee_needs = [
            need
            for user_id, role in people
            if role == "mentee" and user_id in self.members
            for need in self.members[user_id].needs
        ]
        program = self.programs.get(relationship.program_id) if relationship.program_id is not None else None
        today = self._today(member)
        meetings = [
            (expected, remind_on, expected.isoformat())
            for expected, remind_on in _cycles(relationship, today, self.lookahead)
            if remind_on < expected
        ]
        planned_on = self._planned_on(relationship, _recipient(member))
        if planned_on is not None and planned_on >= today:
            meetings = [meeting for meeting in meetings if meeting[0] > planned_on]
            meetings.append((planned_on, max(today, planned_on - timedelta(days=1)), f"planned:{planned_on}"))
        for expected, remind_on, name in meetings:
            window = (
                round_window(program.round_months, program.year_start, expected)
                if program is not None
                else None
            )
            stage = round_stage(relationship.last_met_on, expected, relationship.cadence_days, window)
            payload = {
                "channel": relationship.channel,
                "relationship_id": relationship.id,
                "relationship_kind": relationship.kind,
                "label": relationship.label,
                "members": [user_id for user_id, _role in people],
                "mentors": [user_id for user_id, role in people if role == "mentor"],
                "expected_on": expected.isoformat(),
                "stage": stage.value,
                "goals": [{"user_id": g.user_id, "number": g.number, "text": g.text} for g in goals],
                "needs": agenda_needs(relationship.kind, mentee_needs, goals),
            }
            recipient = _Recipient(relationship.channel, member.tz, member.schedule, member.paused_until)
            key = f"meeting_agenda:r{relationship.id}:{name}"
            self._add("meeting_agenda", key, recipient, remind_on, payload, expires_on=expected)

    def _plan_cycles(
        self, relationship: RelationshipSnapshot, recipient: _Recipient, others: list[str]
    ) -> None:
        cadence = relationship.cadence_days
        base = {
            "relationship_id": relationship.id,
            "relationship_kind": relationship.kind,
            "label": relationship.label,
            "others": others,
        }
        planned_on = self._planned_on(relationship, recipient)
        for expected, remind_on in _cycles(relationship, self._today(recipient), self.lookahead):
            if remind_on < expected:
                payload = {
                    **base,
                    "expected_on": expected.isoformat(),
                    "last_met_on": _iso(relationship.last_met_on),
                }
                key = f"meeting_reminder:r{relationship.id}:{recipient.user_id}:{expected.isoformat()}"
                self._add("meeting_reminder", key, recipient, remind_on, payload, expires_on=expected)
            ask_on = expected + timedelta(days=DID_YOU_MEET_DELAY_DAYS)
            if planned_on is not None and ask_on <= planned_on:
                continue
            key = f"did_you_meet:r{relationship.id}:{recipient.user_id}:{expected.isoformat()}"
            payload = {**base, "expected_on": expected.isoformat()}
            next_expected = expected + timedelta(days=cadence)
            self._add("did_you_meet", key, recipient, ask_on, payload, expires_on=next_expected)
        if planned_on is not None:
            ask_on = planned_on + timedelta(days=DID_YOU_MEET_DELAY_DAYS)
            key = f"did_you_meet:r{relationship.id}:{recipient.user_id}:{planned_on.isoformat()}"
            payload = {**base, "expected_on": planned_on.isoformat()}
            self._add(
                "did_you_meet", key, recipient, ask_on, payload, expires_on=ask_on + timedelta(days=cadence)
            )

    @staticmethod
    def _planned_on(relationship: RelationshipSnapshot, recipient: _Recipient) -> date | None:
        """The recipient's local day of a planned meeting not logged yet: no "did you meet?" is asked
        until the day after it, and that day one is asked about it."""
        if relationship.planned_at is None:
            return None
        planned_on = local_date(relationship.planned_at, recipient.tz)
        met = relationship.last_met_on
        return planned_on if met is None or met < planned_on else None

    def _stall(self, relationship: RelationshipSnapshot, today: date) -> _Stall | None:
        """Why the relationship is stalled as of `today` (or about to be, within the planning horizon)."""
        anchor = relationship.last_met_on or relationship.started_on
        no_meeting_on = anchor + timedelta(
            days=STALLED_CADENCES * relationship.cadence_days + STALLED_DELAY_DAYS
        )
        if relationship.not_yet_count >= NOT_YET_LIMIT:
            reason, starts_on = "not_yet", today
            if no_meeting_on <= today:
                reason = "no_meeting"
            return _Stall(reason, anchor, starts_on)
        if no_meeting_on <= today + timedelta(days=_LOOKAHEAD_DAYS):
            return _Stall("no_meeting", anchor, no_meeting_on)
        for user_id, role in relationship.members:
            touched = self._goals_last_touched(user_id) if role == "mentee" else None
            if touched is None:
                continue
            untouched_on = touched + timedelta(days=GOALS_UNTOUCHED_DAYS)
            if untouched_on <= today + timedelta(days=_LOOKAHEAD_DAYS):
                return _Stall("goals_untouched", touched, untouched_on)
        return None

    def _goals_last_touched(self, user_id: str) -> date | None:
        goals = self.open_goals.get(user_id)
        return max(goal.last_touched_on for goal in goals) if goals else None

    def _plan_stalled_coordinator(self, relationship: RelationshipSnapshot) -> None:
        for recipient in self._coordinators():
            stall = self._stall(relationship, self._today(recipient))
            if stall is None:
                continue
            payload = {
                "relationship_id": relationship.id,
                "relationship_kind": relationship.kind,
                "members": [user_id for user_id, _ in relationship.members],
                "reason": stall.reason,
                "last_met_on": _iso(relationship.last_met_on),
            }
            key = f"stalled_coordinator:r{relationship.id}:{recipient.user_id}:{stall.episode.isoformat()}"
            planned_on = max(stall.starts_on, self._today(recipient))
            self._add("stalled_coordinator", key, recipient, planned_on, payload)

    def _plan_round_feedback(self, relationship: RelationshipSnapshot) -> None:
        """The end-of-round questions for each of its people taking part, once per person and round.

        A relationship counts for a round when it started before the round's last week: one matched
        in that week (the next round's, published early) has had no time to be judged.
        """
        program = self.programs.get(relationship.program_id) if relationship.program_id is not None else None
        if program is None:
            return
        for user_id, _role in relationship.members:
            member = self.members.get(user_id)
            if member is None or user_id not in program.participants or not self._may_nudge(member):
                continue
            window = round_window(program.round_months, program.year_start, self._today(member))
            opens = feedback_opens(window)
            if relationship.started_on >= opens:
                continue
            payload = {
                "program_id": program.id,
                "program": program.name,
                "round": window.name,
                "round_starts": window.starts.isoformat(),
                "last_day": window.last_day.isoformat(),
            }
            key = feedback_key(program.id, window.starts, user_id)
            self._add("round_feedback", key, _recipient(member), opens, payload, expires_on=window.ends)

    def _has_not_left(self, user_id: str) -> bool:
        member = self.members.get(user_id)
        return member is None or member.status != MemberStatus.LEFT

    # Coordinators ----------------------------------------------------------------------------

    def _coordinators(self) -> list[_Recipient]:
        """Coordinators in their own zone when they are members, else in the zone most members share."""
        zones = [member.tz for member in self.snapshot.members]
        recipients = []
        for user_id in sorted(set(self.snapshot.coordinators)):
            member = self.members.get(user_id)
            tz = coordinator_zone(member.tz if member is not None else None, zones)
            recipients.append(_Recipient(user_id, tz, self.snapshot.coordinator_schedule))
        return recipients

    def _plan_coordinator_digests(self) -> None:
        """Last week's numbers for each coordinator, the Monday after it in their zone.

        `snapshot.counts` are for the last whole week in the workspace's calendar zone; a coordinator
        whose own last week is another one (their Monday comes earlier or later) gets theirs once the
        two agree, so every digest counts the week its heading names, once it is over everywhere.
        """
        counts = self.snapshot.counts
        if counts is None:
            return
        for recipient in self._coordinators():
            week = digest_week(self._today(recipient))
            if counts.week_of is not None and counts.week_of != week.start:
                continue
            stalled = self._stalled_count(self._today(recipient))
            payload = {
                "week_of": week.start.isoformat(),
                "participants": counts.participants,
                "active": counts.active,
                "paused": counts.paused,
                "left": counts.left,
                "meetings_logged": counts.meetings_logged,
                "did_you_meet_asked": counts.did_you_meet_asked,
                "did_you_meet_yes": counts.did_you_meet_yes,
                "goals_set": counts.goals_set,
                "goals_done": counts.goals_done,
                "stalled": stalled,
                "dead_letters": counts.dead_letters,
            }
            self._add(
                "coordinator_digest",
                coordinator_digest_key(recipient.user_id, week),
                recipient,
                week.end,
                payload,
            )

    def _stalled_count(self, today: date) -> int:
        count = 0
        for relationship in self.snapshot.relationships:
            stall = self._stall(relationship, today) if relationship.cadence_days > 0 else None
            count += stall is not None and stall.starts_on <= today
        return count

    def _this_monday(self, tz: str) -> date:
        """This local week's Monday: a weekly digest covers the seven days before it, so it is planned
        only once that week is over (its content is final by then)."""
        return monday_of(local_date(self.now, tz))

    # Scheduling ------------------------------------------------------------------------------

    def _ideal(self, recipient: _Recipient, planned_on: date) -> datetime:
        return _send_time_on(planned_on, recipient.tz, recipient.schedule)

    def _due(self, recipient: _Recipient, planned_on: date) -> datetime | None:
        ideal = self._ideal(recipient, planned_on)
        if ideal > self.now + self.horizon or ideal < self.now - STALE_AFTER:
            return None
        if ideal >= self.now:
            return ideal
        same_day = local_date(ideal, recipient.tz) == self._today(recipient)
        if same_day and is_sendable(self.now, recipient.tz, recipient.schedule):
            return ideal
        return next_send_time(self.now, recipient.tz, recipient.schedule)

    def _add(
        self,
        kind: str,
        key: str,
        recipient: _Recipient,
        planned_on: date,
        payload: dict[str, Any],
        expires_on: date | None = None,
    ) -> None:
        """Plan one nudge; `expires_on` is the local day from which it would be pointless (sent late)."""
        if key in self.planned or (recipient.resumes_on is not None and planned_on < recipient.resumes_on):
            return
        due_at = self._due(recipient, planned_on)
        if due_at is None or (expires_on is not None and local_date(due_at, recipient.tz) >= expires_on):
            return
        self.planned[key] = PlannedNudge(kind, key, recipient.user_id, due_at, payload)


@lru_cache(maxsize=4096)
def _send_time_on(planned_on: date, tz: str, schedule: Schedule) -> datetime:
    """The send time on (or after) a planned local day, independent of when planning runs.

    Cached: members mostly share a few zones and schedules, and planning asks for the same days.
    """
    floor = datetime.combine(planned_on - timedelta(days=1), time(0), UTC)
    return next_send_time(floor, tz, schedule, on_or_after=planned_on)


def _cycles(
    relationship: RelationshipSnapshot, today: date, lookahead: int = _LOOKAHEAD_DAYS
) -> list[tuple[date, date]]:
    """(expected meeting day, reminder day) of each cycle near `today`: one reminder rule for the
    members' reminders and the group's agenda."""
    anchor = relationship.last_met_on or relationship.started_on
    cadence = relationship.cadence_days
    elapsed = (today - anchor).days
    first = max(1, (elapsed - _LOOKBACK_DAYS - DID_YOU_MEET_DELAY_DAYS) // cadence)
    last = max(1, (elapsed + lookahead + REMINDER_LEAD_DAYS) // cadence + 1)
    cycles = []
    for cycle in range(first, last + 1):
        expected = anchor + timedelta(days=cadence * cycle)
        previous = anchor + timedelta(days=cadence * (cycle - 1))
        remind_on = max(expected - timedelta(days=REMINDER_LEAD_DAYS), previous + timedelta(days=1))
        if relationship.last_met_on is None:
            remind_on = max(remind_on, relationship.started_on + timedelta(days=NEW_RELATIONSHIP_GRACE_DAYS))
        cycles.append((expected, remind_on))
    return cycles


def _recipient(member: MemberSnapshot) -> _Recipient:
    return _Recipient(member.user_id, member.tz, member.schedule, member.paused_until)


def _periods(anchor: date, every_days: int, today: date, lookahead: int = _LOOKAHEAD_DAYS) -> list[date]:
    """Period starts (anchor + k * every_days, k >= 1) near `today`."""
    elapsed = (today - anchor).days
    first = max(1, (elapsed - _LOOKBACK_DAYS) // every_days)
    last = max(1, (elapsed + lookahead) // every_days + 1)
    return [anchor + timedelta(days=every_days * k) for k in range(first, last + 1)]


def coordinator_zone(own_zone: str | None, member_zones: Iterable[str | None]) -> str:
    """Where a coordinator's working hours are: their own zone when they are a member with one, else the
    zone most members share (every DM to coordinators goes by this)."""
    return own_zone or workspace_zone(member_zones)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
