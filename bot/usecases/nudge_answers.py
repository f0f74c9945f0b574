"""Answers to the buttons in nudge DMs: "did you meet?", goal check-ins and "Resume my nudges".

Each button carries the outbox row it answers (and a goal id for goal check-ins). The row must belong
to the member who clicked, in their workspace; answers are recorded on it (`response`, `responded_at`)
so a second click, a retried request or a stale message changes nothing. Every change queues a refresh
of the App Homes that show it, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.members import CheckInKind, GoalStatus, Problem, apply_check_in, format_date, local_today
from bot.domain.members.slack_text import escape
from bot.domain.members.state import MemberStatus
from bot.domain.nudges.model import PlannedNudge
from bot.domain.text import join_labels
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import MemberUnit
from storage.models import Goal, Member, OutboxNudge
from storage.models import Relationship as RelationshipRow
from storage.outbox import Outbox

UNREADABLE = "Sorry, I couldn't read that button. Your nudges will keep coming as usual."
NOT_YOURS = "That button belongs to someone else's message, so I haven't changed anything."
WELCOMED_BACK = "Welcome back! Your nudges are on again, starting with the next one that's due."
GONE = "That circle or mentorship has ended, so there's nothing to log. Thanks for letting me know."
ANSWER_WORDS = {
    "met": '"We met"',
    "scheduled": '"Scheduled"',
    "not_yet": '"Not yet"',
    "skip": '"Skip this cycle"',
    "on_track": '"On track"',
    "need_help": '"Need help"',
    "done": '"Done"',
    "resume": '"Resume"',
}
MEETING_REPLIES = {
    "scheduled": "Wonderful, thanks! Enjoy the meeting, and log it afterwards with `/mentor met` if you like.",
    "not_yet": (
        "Thanks for being honest: busy weeks happen. A tip: suggest two specific times in one message; "
        'a concrete choice is much easier to say yes to than "let\'s find a time". '
        "*Find a time* below posts a few times in your group DM for everyone to vote on."
    ),
    "skip": "No problem, we'll skip this cycle. I'll check in again when the next one comes around.",
}
GOAL_KINDS = {"on_track": CheckInKind.ON_TRACK, "need_help": CheckInKind.NEED_HELP, "done": CheckInKind.DONE}


@dataclass(frozen=True)
class NudgeButton:
    """A nudge button press: the outbox row (0: not named, find it by the message) and goal it answers,
    and the message it was on."""

    outbox_id: int
    goal_id: int | None
    channel: str
    ts: str


@dataclass(frozen=True)
class NudgeReply:
    """What the clicked message becomes (`replace`), or an ephemeral note."""

    text: str
    replace: bool = False
    answered_goal: int | None = None
    """The goal checked in on: its buttons in the check-in message give way to `text`."""
    find_time: int | None = None
    """The circle or mentorship a "Find a time" button under `text` is for."""


class NudgeAnswers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def meeting(self, unit: MemberUnit, button: NudgeButton | None, answer: str) -> NudgeReply:
        """A "did you meet?" answer: `met`, `scheduled`, `not_yet` or `skip`."""
        row = _own_row(unit, button, "did_you_meet")
        if isinstance(row, NudgeReply):
            return row
        if row.response is not None:
            return _answered_already(row)
        now = self.deps.clock()
        if answer == "met":
            return self._we_met(unit, row, now)
        _record(unit, row, answer, now)
        relationship_id = row.payload.get("relationship_id")
        return NudgeReply(
            f"You answered {ANSWER_WORDS[answer]}. {MEETING_REPLIES[answer]}",
            replace=True,
            find_time=int(relationship_id) if answer == "not_yet" and relationship_id else None,
        )

    def goal(self, unit: MemberUnit, button: NudgeButton | None, answer: str) -> NudgeReply:
        """A goal check-in answer: `on_track`, `need_help` (which tells the member's mentors) or `done`."""
        row = _own_row(unit, button, "goal_checkin")
        if isinstance(row, NudgeReply):
            return row
        listed = {int(goal["id"]) for goal in row.payload.get("goals") or []}
        goal_id = button.goal_id if button else None
        goal = unit.session.get(Goal, goal_id) if goal_id in listed else None
        if goal is None or goal.member_id != unit.member.id:
            return NudgeReply(
                "That goal is no longer there, so nothing changed. `/mentor goals` shows your goals."
            )
        if row.responded_at is not None and unit.goals.answered_since(
            goal, [kind.value for kind in GOAL_KINDS.values()], row.responded_at
        ):
            return NudgeReply(f"You've already checked in on goal #{goal.number} here, so nothing changed.")
        kind = GOAL_KINDS[answer]
        status = apply_check_in(GoalStatus(goal.status), kind, number=goal.number)
        if isinstance(status, Problem):
            return NudgeReply(status.message)
        now = self.deps.clock()
        if status.value != goal.status:
            unit.goals.set_status(goal, status.value, kind.value, now)
        else:
            unit.goals.check_in(goal, kind.value, now)
        mentors = self._ask_mentors_for_help(unit, goal, row, now) if kind is CheckInKind.NEED_HELP else []
        if row.response is None:
            _record(unit, row, answer, now)
        audience = unit.goals.audience(unit.member.id, include_peers=goal.shared)
        self.deps.effects.refresh_homes(
            unit.session, unit.workspace_id, [unit.member.slack_user_id, *audience]
        )
        return NudgeReply(goal_confirmation(kind, goal, mentors), answered_goal=goal.id)

    def resume(self, unit: MemberUnit, button: NudgeButton | None) -> NudgeReply:
        """ "Resume my nudges" on a paused notice."""
        row = _own_row(unit, button, "paused_notice")
        if isinstance(row, NudgeReply):
            return row
        member = unit.member
        if unit.welcomed_back:
            return NudgeReply(WELCOMED_BACK, replace=True)
        if member.status != MemberStatus.PAUSED:
            return NudgeReply(
                "You're already active, so your nudges are on. Nothing to change!", replace=True
            )
        member.status, member.paused_until = MemberStatus.ACTIVE, None
        if row.response is None:
            _record(unit, row, "resume", self.deps.clock())
        self.deps.effects.refresh_homes(unit.session, unit.workspace_id, [member.slack_user_id])
        return NudgeReply(WELCOMED_BACK, replace=True)

    def _we_met(self, unit: MemberUnit, row: OutboxNudge, now: datetime) -> NudgeReply:
        """Log the meeting for everyone in it and settle the others' unanswered "did you meet?" too."""
        group = _group_for(unit, row)
        if group is None:
            _record(unit, row, "met", now)
            return NudgeReply(GONE, replace=True)
        member = unit.member
        held_on = local_today(now, member.tz or self.deps.settings.default_timezone)
        attendees = [link.member_id for link in group.members if link.member.has_joined]
        meeting, created = unit.meetings.log(held_on, group.id, attendees, member.id)
        if created:
            meeting.created_at = now
        _record(unit, row, "met", now)
        settled_text = (
            f"<@{member.slack_user_id}> let me know you met on {format_date(held_on)}, "
            "and I've logged it for everyone. Thanks for keeping it going!"
        )
        # A question that shares a combined DM with other nudges is settled but left in place: their
        # buttons still count (pressing it again says it was answered).
        for other in unit.outbox.sibling_did_you_meet(row):
            _record(unit, other, "met", now)
            if other.channel and other.ts and unit.outbox.alone_in_message(other):
                self.deps.effects.update_message(
                    unit.session, unit.workspace_id, other.channel, other.ts, settled_text
                )
        everyone = [link.member.slack_user_id for link in group.members if link.member.has_joined]
        if everyone:
            self.deps.effects.refresh_homes(unit.session, unit.workspace_id, everyone)
        return NudgeReply(
            f"Wonderful! I've logged your meeting on {format_date(held_on)} for everyone in it, "
            "so nobody else needs to. Thanks for keeping it going!",
            replace=True,
        )

    def _ask_mentors_for_help(
        self, unit: MemberUnit, goal: Goal, row: OutboxNudge, now: datetime
    ) -> list[str]:
        """Plan an immediate `need_help` DM to each of the member's mentors; their Slack ids."""
        mentors = _mentors_of(unit)
        payload = {"mentee": unit.member.slack_user_id, "goal_number": goal.number, "goal_text": goal.text}
        planned = [
            PlannedNudge(
                kind="need_help",
                key=f"need_help:{mentor.slack_user_id}:g{goal.id}:o{row.id}",
                user_id=mentor.slack_user_id,
                due_at=now,
                payload=payload,
            )
            for mentor in mentors
        ]
        Outbox(unit.session).add(unit.workspace_id, planned, now)
        return [mentor.slack_user_id for mentor in mentors]


def goal_confirmation(kind: CheckInKind, goal: Goal, mentors: Sequence[str]) -> str:
    number, text = goal.number, escape(goal.text)
    if kind is CheckInKind.ON_TRACK:
        return f"✓ Goal #{number} (*{text}*) is on track. Great to hear!"
    if kind is CheckInKind.DONE:
        return f"✓ Goal #{number} (*{text}*) is done. Congratulations!"
    if mentors:
        who = join_labels([f"<@{user_id}>" for user_id in mentors])
        return f"✓ I've let {who} know you'd like some help with goal #{number} (*{text}*)."
    return (
        f"✓ Noted that goal #{number} (*{text}*) could use some help. You don't have a mentor yet, "
        "so your coordinators can point you to someone."
    )


def _answered_already(row: OutboxNudge) -> NudgeReply:
    said = ANSWER_WORDS.get(row.response or "", "that")
    return NudgeReply(f"You already answered {said} here, so nothing changed. Thanks!")


def _record(unit: MemberUnit, row: OutboxNudge, response: str, at: datetime) -> None:
    unit.outbox.record_response(row, response, at)


def _own_row(unit: MemberUnit, button: NudgeButton | None, kind: str) -> OutboxNudge | NudgeReply:
    """The outbox row a button answers, when it is really this member's; otherwise why not.

    The button names its row; a message rendered without one (`outbox_id` 0) is found by channel and ts.
    """
    if button is None:
        return NudgeReply(UNREADABLE)
    if button.outbox_id:
        row = unit.session.get(OutboxNudge, button.outbox_id)
    else:
        row = unit.outbox.find_by_message(button.channel, button.ts)
    if row is None or row.workspace_id != unit.workspace_id or row.kind != kind:
        return NudgeReply(UNREADABLE)
    if row.user_id != unit.member.slack_user_id:
        return NudgeReply(NOT_YOURS)
    return row


def _group_for(unit: MemberUnit, row: OutboxNudge) -> RelationshipRow | None:
    relationship_id = row.payload.get("relationship_id")
    if not isinstance(relationship_id, int):
        return None
    group = unit.relationships.get(relationship_id)
    if group is None or not group.is_live:
        return None
    return group if any(link.member_id == unit.member.id for link in group.members) else None


def _mentors_of(unit: MemberUnit) -> list[Member]:
    found: dict[int, Member] = {}
    for group in unit.relationships.active_for(unit.member.id):
        mine = next(link for link in group.members if link.member_id == unit.member.id)
        if mine.role != "mentee":
            continue
        for link in group.members:
            if link.role == "mentor" and link.member.has_joined:
                found[link.member_id] = link.member
    return list(found.values())
