"""The buttons in nudge DMs: "did you meet?", goal check-ins and "Resume my nudges".

Each button carries the outbox row it answers (and a goal id for goal check-ins). The row must belong
to the member who clicked, in their workspace; answers are recorded on it (`response`, `responded_at`)
so a second click, a retried request or a stale message changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.members import CheckInKind, GoalStatus, Problem, apply_check_in, format_date, local_today
from bot.domain.members.state import MemberStatus
from bot.domain.nudges.model import PlannedNudge
from bot.presentation import nudges as blocks
from bot.presentation.common import context, escape, section
from bot.services import Services
from handlers.home import refresh_homes
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session
from storage.goals import GoalRepository
from storage.meetings import MeetingRepository
from storage.models import Goal, GoalCheckin, Member, OutboxNudge
from storage.models import Relationship as RelationshipRow
from storage.outbox import Outbox, OutboxRepository
from storage.relationships import RelationshipRepository

logger = logging.getLogger(__name__)

MEETING_ACTION = re.compile(r"^nudge_(met|scheduled|not_yet|skip)$")
GOAL_ACTION = re.compile(r"^nudge_goal_(on_track|need_help|done)_([0-9]+)$")

UNREADABLE = "Sorry, I couldn't read that button. Your nudges will keep coming as usual."
NOT_YOURS = "That button belongs to someone else's message, so I haven't changed anything."
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
        'a concrete choice is much easier to say yes to than "let\'s find a time".'
    ),
    "skip": "No problem, we'll skip this cycle. I'll check in again when the next one comes around.",
}
GOAL_KINDS = {"on_track": CheckInKind.ON_TRACK, "need_help": CheckInKind.NEED_HELP, "done": CheckInKind.DONE}


@dataclass(frozen=True)
class Reply:
    """What the clicked message becomes (or an ephemeral note when `replace` is False)."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    replace: bool = False
    refresh: tuple[str, ...] = field(default_factory=tuple)
    """Whose App Home shows something this answer changed."""
    settled: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """(channel, ts) of other members' "did you meet?" messages this answer settled, and what they now say."""
    settled_text: str = ""


def answered_already(row: OutboxNudge) -> Reply:
    said = ANSWER_WORDS.get(row.response or "", "that")
    return Reply(f"You already answered {said} here, so nothing changed. Thanks!")


def record(scope: MemberScope, row: OutboxNudge, response: str, at: datetime) -> None:
    OutboxRepository(scope.session, scope.workspace.id).record_response(row, response, at)


@dataclass(frozen=True)
class Click:
    """A nudge button press: the button's value and the message it was on (channel, ts)."""

    value: blocks.ButtonValue | None
    channel: str
    ts: str

    @classmethod
    def parse(cls, action: dict[str, Any], body: dict[str, Any]) -> Click:
        container = body.get("container") or {}
        return cls(
            blocks.ButtonValue.decode(str(action.get("value") or "")),
            str(container.get("channel_id") or (body.get("channel") or {}).get("id") or ""),
            str(container.get("message_ts") or ""),
        )


def own_row(scope: MemberScope, click: Click, kind: str) -> OutboxNudge | Reply:
    """The outbox row a button answers, when it is really this member's; otherwise why not.

    The button names its row; a message rendered without one (`outbox_id` 0) is found by channel and ts.
    """
    if click.value is None:
        return Reply(UNREADABLE)
    if click.value.outbox_id:
        row = scope.session.get(OutboxNudge, click.value.outbox_id)
    else:
        row = OutboxRepository(scope.session, scope.workspace.id).find_by_message(click.channel, click.ts)
    if row is None or row.workspace_id != scope.workspace.id or row.kind != kind:
        return Reply(UNREADABLE)
    if row.user_id != scope.member.slack_user_id:
        return Reply(NOT_YOURS)
    return row


def group_for(scope: MemberScope, row: OutboxNudge) -> RelationshipRow | None:
    relationship_id = row.payload.get("relationship_id")
    if not isinstance(relationship_id, int):
        return None
    group = RelationshipRepository(scope.session, scope.workspace.id).get(relationship_id)
    if group is None or group.ended_at is not None:
        return None
    return group if any(link.member_id == scope.member.id for link in group.members) else None


def sibling_answers(session: Session, row: OutboxNudge) -> list[OutboxNudge]:
    """The other members' unanswered "did you meet?" rows for the same relationship and cycle."""
    prefix = f"did_you_meet:r{row.payload.get('relationship_id')}:"
    query = select(OutboxNudge).where(
        OutboxNudge.workspace_id == row.workspace_id,
        OutboxNudge.kind == "did_you_meet",
        OutboxNudge.key.startswith(prefix, autoescape=True),
        OutboxNudge.response.is_(None),
        OutboxNudge.id != row.id,
    )
    expected = row.payload.get("expected_on")
    return [other for other in session.scalars(query) if other.payload.get("expected_on") == expected]


def we_met(services: Services, scope: MemberScope, row: OutboxNudge, now: datetime) -> Reply:
    group = group_for(scope, row)
    if group is None:
        record(scope, row, "met", now)
        return Reply(GONE, replace=True)
    held_on = local_today(now, scope.member.tz or services.settings.default_timezone)
    attendees = [link.member_id for link in group.members if link.member.has_joined]
    meeting, created = MeetingRepository(scope.session, scope.workspace.id).log(
        held_on, group.id, attendees, scope.member.id
    )
    if created:
        meeting.created_at = now
    record(scope, row, "met", now)
    settled = []
    for other in sibling_answers(scope.session, row):
        record(scope, other, "met", now)
        if other.channel and other.ts:
            settled.append((other.channel, other.ts))
    everyone = tuple(link.member.slack_user_id for link in group.members if has_joined(link.member))
    return Reply(
        f"Wonderful! I've logged your meeting on {format_date(held_on)} for everyone in it, "
        "so nobody else needs to. Thanks for keeping it going!",
        replace=True,
        refresh=everyone,
        settled=tuple(settled),
        settled_text=(
            f"<@{scope.member.slack_user_id}> let me know you met on {format_date(held_on)}, "
            "and I've logged it for everyone. Thanks for keeping it going!"
        ),
    )


def answer_meeting(services: Services, scope: MemberScope, click: Click, answer: str) -> Reply:
    row = own_row(scope, click, "did_you_meet")
    if isinstance(row, Reply):
        return row
    if row.response is not None:
        return answered_already(row)
    now = services.clock()
    if answer == "met":
        return we_met(services, scope, row, now)
    record(scope, row, answer, now)
    return Reply(f"You answered {ANSWER_WORDS[answer]}. {MEETING_REPLIES[answer]}", replace=True)


def mentors_of(scope: MemberScope) -> list[Member]:
    found: dict[int, Member] = {}
    for group in RelationshipRepository(scope.session, scope.workspace.id).active_for(scope.member.id):
        mine = next(link for link in group.members if link.member_id == scope.member.id)
        if mine.role != "mentee":
            continue
        for link in group.members:
            if link.role == "mentor" and has_joined(link.member):
                found[link.member_id] = link.member
    return list(found.values())


def answered_goal(session: Session, goal: Goal, row: OutboxNudge) -> bool:
    """Whether this goal already got an answer from this check-in (answers on it start at `responded_at`)."""
    if row.responded_at is None:
        return False
    since = row.responded_at
    kinds = [kind.value for kind in GOAL_KINDS.values()]
    query = select(GoalCheckin.id).where(
        GoalCheckin.goal_id == goal.id, GoalCheckin.kind.in_(kinds), GoalCheckin.created_at >= since
    )
    return session.scalar(query.limit(1)) is not None


def ask_mentors_for_help(scope: MemberScope, goal: Goal, row: OutboxNudge, now: datetime) -> list[str]:
    """Plan an immediate `need_help` DM to each of the member's mentors; their Slack ids."""
    mentors = mentors_of(scope)
    payload = {"mentee": scope.member.slack_user_id, "goal_number": goal.number, "goal_text": goal.text}
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
    Outbox(scope.session).add(scope.workspace.id, planned, now)
    return [mentor.slack_user_id for mentor in mentors]


def goal_confirmation(kind: CheckInKind, goal: Goal, mentors: Sequence[str]) -> str:
    number, text = goal.number, escape(goal.text)
    if kind is CheckInKind.ON_TRACK:
        return f"✓ Goal #{number} (*{text}*) is on track. Great to hear!"
    if kind is CheckInKind.DONE:
        return f"✓ Goal #{number} (*{text}*) is done. Congratulations!"
    if mentors:
        who = blocks.mentions(mentors)
        return f"✓ I've let {who} know you'd like some help with goal #{number} (*{text}*)."
    return (
        f"✓ Noted that goal #{number} (*{text}*) could use some help. You don't have a mentor yet, "
        "so your coordinators can point you to someone."
    )


def without_goal_buttons(message: dict[str, Any], goal_id: int, note: str) -> list[dict[str, Any]]:
    """The check-in message's blocks with this goal's buttons replaced by what was answered."""
    replacement = context(note).to_dict()
    return [
        replacement if block.get("block_id") == f"goal_{goal_id}" else block
        for block in message.get("blocks") or []
    ]


def answer_goal(
    services: Services, scope: MemberScope, click: Click, answer: str, message: dict[str, Any]
) -> Reply:
    row = own_row(scope, click, "goal_checkin")
    if isinstance(row, Reply):
        return row
    listed = {int(goal["id"]) for goal in row.payload.get("goals") or []}
    goal_id = click.value.goal_id if click.value else None
    goal = scope.session.get(Goal, goal_id) if goal_id in listed else None
    if goal is None or goal.member_id != scope.member.id:
        return Reply("That goal is no longer there, so nothing changed. `/mentor goals` shows your goals.")
    if answered_goal(scope.session, goal, row):
        return Reply(f"You've already checked in on goal #{goal.number} here, so nothing changed.")
    kind = GOAL_KINDS[answer]
    status = apply_check_in(GoalStatus(goal.status), kind, number=goal.number)
    if isinstance(status, Problem):
        return Reply(status.message)
    now = services.clock()
    repository = GoalRepository(scope.session, scope.workspace.id)
    if status.value != goal.status:
        repository.set_status(goal, status.value, kind.value, now)
    else:
        repository.check_in(goal, kind.value, now)
    mentors = ask_mentors_for_help(scope, goal, row, now) if kind is CheckInKind.NEED_HELP else []
    if row.response is None:
        record(scope, row, answer, now)
    note = goal_confirmation(kind, goal, mentors)
    audience = repository.audience(scope.member.id, include_peers=goal.shared)
    refresh = (scope.member.slack_user_id, *audience)
    if message.get("blocks"):
        return Reply(note, without_goal_buttons(message, goal.id, note), replace=True, refresh=refresh)
    return Reply(note, refresh=refresh)


def resume(services: Services, scope: MemberScope, click: Click) -> Reply:
    row = own_row(scope, click, "paused_notice")
    if isinstance(row, Reply):
        return row
    refresh = (scope.member.slack_user_id,)
    if scope.member.status != MemberStatus.PAUSED:
        return Reply("You're already active, so your nudges are on. Nothing to change!", replace=True)
    scope.member.status, scope.member.paused_until = MemberStatus.ACTIVE, None
    if row.response is None:
        record(scope, row, "resume", services.clock())
    return Reply(
        "Welcome back! Your nudges are on again, starting with the next one that's due.",
        replace=True,
        refresh=refresh,
    )


def register(app: App, services: Services) -> None:
    def answer(context: BoltContext, client: WebClient, respond: Respond, decide: Any) -> None:
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            reply = decide(scope) if has_joined(scope.member) else Reply(NOT_JOINED)
        if reply.replace:
            respond(
                text=reply.text, blocks=reply.blocks or [section(reply.text).to_dict()], replace_original=True
            )
        else:
            respond(text=reply.text, response_type="ephemeral", replace_original=False)
        for channel, ts in reply.settled:
            try:
                client.chat_update(
                    channel=channel,
                    ts=ts,
                    text=reply.settled_text,
                    blocks=[section(reply.settled_text).to_dict()],
                )
            except SlackApiError as error:
                logger.warning("could not update a settled nudge (%s)", error.response.get("error"))
        if reply.refresh:
            refresh_homes(services, context.team_id, context.enterprise_id, reply.refresh)

    @app.action(MEETING_ACTION)
    def meeting_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        match = MEETING_ACTION.match(str(action.get("action_id")))
        assert match is not None
        click = Click.parse(action, body)
        answer(context, client, respond, lambda scope: answer_meeting(services, scope, click, match[1]))

    @app.action(GOAL_ACTION)
    def goal_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        match = GOAL_ACTION.match(str(action.get("action_id")))
        assert match is not None
        click, message = Click.parse(action, body), body.get("message") or {}
        answer(context, client, respond, lambda scope: answer_goal(services, scope, click, match[1], message))

    @app.action(blocks.RESUME_ACTION)
    def resume_clicked(
        ack: Ack,
        action: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        click = Click.parse(action, body)
        answer(context, client, respond, lambda scope: resume(services, scope, click))
