"""The nudge DMs: wording and Block Kit for each kind the policy plans (see `bot.domain.nudges.model.PAYLOADS`).

`render_nudge(kind, payload)` is pure. Buttons carry only ids: the outbox row id (the delivery worker adds
it to the payload as `outbox_id`) and, for goal check-ins, the goal id; never personal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, HeaderBlock

from bot.domain.calendar import week_cycle
from bot.domain.members import format_date
from bot.domain.nudges.budget import COMBINED
from bot.domain.text import inflect, join_labels, plural, shorten
from bot.presentation.agendas import meeting_agenda
from bot.presentation.combined import combined
from bot.presentation.common import context, escape, section
from bot.presentation.feedback import round_feedback
from bot.presentation.notices import coordinator_notices

GOALS_SHOWN = 15
GOAL_TEXT_SHOWN = 300
LOG_HINT = "Log a meeting any time with `/mentor met`, and see your goals with `/mentor goals`."

MEETING_ANSWERS = {
    "nudge_met": ("We met", "met"),
    "nudge_scheduled": ("Scheduled", "scheduled"),
    "nudge_not_yet": ("Not yet", "not_yet"),
    "nudge_skip": ("Skip this cycle", "skip"),
}
"""The "did you meet?" buttons: action id -> (label, response stored on the outbox row)."""

GOAL_ANSWERS = {
    "on_track": "On track",
    "need_help": "Need help",
    "done": "Done",
}
"""The goal check-in buttons (action id `nudge_goal_{answer}_{goal id}`): answer -> label."""

RESUME_ACTION = "nudge_resume"
DIGITS = re.compile(r"[0-9]{1,19}")

STALLED_TIPS = (
    "*Have one honest conversation about it.* Set aside ten minutes just to talk about how things are "
    "going for each of you and what you each need right now.",
    "*Agree a rhythm you can keep.* Monthly or even quarterly is fine; a realistic date on the calendar "
    "beats an ambitious one that keeps slipping.",
    "*Bring an agenda.* One update, one question you want help with, one next step: short meetings go "
    "further when someone arrives prepared.",
    "*It's fine to widen the circle.* Nobody has to cover everything: adding another mentor for part of "
    "your goals is normal, and if this pairing no longer fits, stepping back kindly is okay too.",
)

STALLED_OPENERS = {
    "no_meeting": "it's been a while since you last met with {who}{since}.",
    "not_yet": 'the last few "did you meet?" check-ins about meeting with {who} came back "not yet".',
    "goals_untouched": "your goals haven't moved in a few months, and {who} can help get them going again.",
}
"""Each with `{who}` as `meet_with` words it: it follows "with" or starts a clause."""

COORDINATOR_REASONS = {
    "no_meeting": "no meeting logged for more than twice its usual rhythm",
    "not_yet": 'several "not yet" answers in a row',
    "goals_untouched": "the mentee's goals haven't been updated in about three months",
}

GOAL_UPDATE_WORDS = {
    "created": "added",
    "on-track": "is on track with",
    "on_track": "is on track with",
    "need-help": "would like help with",
    "need_help": "would like help with",
    "done": "finished",
    "dropped": "dropped",
    "reopened": "reopened",
}


@dataclass(frozen=True)
class ButtonValue:
    """What a nudge button carries: the outbox row it answers and, for goal check-ins, the goal."""

    outbox_id: int
    goal_id: int | None = None

    def encode(self) -> str:
        return f"{self.outbox_id}" if self.goal_id is None else f"{self.outbox_id}:{self.goal_id}"

    @classmethod
    def decode(cls, value: str) -> ButtonValue | None:
        head, _, tail = value.partition(":")
        if not DIGITS.fullmatch(head) or (tail and not DIGITS.fullmatch(tail)):
            return None
        return cls(int(head), int(tail) if tail else None)


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def mentions(user_ids: Sequence[str]) -> str:
    return join_labels([mention(user_id) for user_id in user_ids])


def day(value: str | None) -> str | None:
    """An ISO date from a payload, written out ('Thursday, March 4, 2027'); None when absent."""
    return format_date(date.fromisoformat(value)) if value else None


def group_phrase(payload: dict[str, Any]) -> str:
    """'your circle *Night owls* (<@A>, <@B>)', 'your mentor <@M>', or 'your mentorship with <@A>'."""
    others = list(payload.get("others") or payload.get("members") or [])
    people = mentions(others)
    if payload.get("relationship_kind") == "circle":
        label = payload.get("label") or ""
        name = f"your circle *{escape(label)}*" if label else "your circle"
        return f"{name} ({people})" if people else name
    role = payload.get("role")
    if role == "mentee":
        return f"your {inflect(len(others), 'mentor')} {people}"
    if role == "mentor":
        return f"your {inflect(len(others), 'mentee')} {people}"
    return f"your mentorship with {people}" if people else "your mentorship"


def meet_with(payload: dict[str, Any]) -> str:
    """Who to meet, after "meet with": the group phrase, or just the people of a mentorship seen from
    neither side (never "meet with your mentorship with <@B>")."""
    others = list(payload.get("others") or payload.get("members") or [])
    if payload.get("relationship_kind") != "circle" and payload.get("role") not in ("mentee", "mentor"):
        return mentions(others) if others else "your mentorship"
    return group_phrase(payload)


def plain_meet_with(payload: dict[str, Any]) -> str:
    """`meet_with` without mrkdwn emphasis, for notification text."""
    return meet_with(payload).replace("*", "")


def button_value(payload: dict[str, Any], goal_id: int | None = None) -> str:
    return ButtonValue(int(payload.get("outbox_id") or 0), goal_id).encode()


def numbered(items: Sequence[str]) -> str:
    return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))


def agenda(payload: dict[str, Any]) -> tuple[str, ...]:
    if payload.get("relationship_kind") == "circle":
        return (
            "A quick round: one win and one thing that's been hard since you last met.",
            "Each person's current goal: where it stands and the very next step.",
            "Pick the next date before you leave, and who sends the invite.",
        )
    if payload.get("role") == "mentor":
        return (
            "Ask how their goals are going, and what got in the way.",
            "Share one opportunity, contact or lesson that fits where they are.",
            "Agree one or two next steps and the next date.",
        )
    if payload.get("role") == "mentee":
        return (
            "Your progress since last time, including what didn't go to plan.",
            "One specific question or decision you'd like their view on.",
            "Agree one or two next steps and the next date.",
        )
    return (
        "Progress on the mentee's goals since last time, including what didn't go to plan.",
        "One specific question or decision to talk through together.",
        "Agree one or two next steps and the next date.",
    )


def meeting_reminder(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    who = meet_with(payload)
    expected = day(payload.get("expected_on")) or "soon"
    last = day(payload.get("last_met_on"))
    history = (
        f"You last met on {last}."
        if last
        else "This will be your first meeting, so it's a great time to get to know each other."
    )
    text = f"Time to plan your next meeting with {plain_meet_with(payload)}: it's due around {expected}."
    blocks: list[Block] = [
        section(
            f"Hi! It's nearly time to meet with {who}: your next meeting is due around *{expected}*. {history}"
        ),
        section(
            f"*Suggested slot:* 30 minutes on or just before {expected}, over lunch or after sign-out. "
            "Whoever grabs a time first, send the invite."
        ),
        section(f"*A simple agenda*\n{numbered(agenda(payload))}"),
        context(LOG_HINT),
    ]
    return text, blocks


def did_you_meet(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    who = meet_with(payload)
    expected = day(payload.get("expected_on"))
    when = f" (you were due to meet around {expected})" if expected else ""
    text = f"Did you meet with {plain_meet_with(payload)}?"
    value = button_value(payload)
    buttons = [
        ButtonElement(
            text=label, action_id=action_id, value=value, style="primary" if answer == "met" else None
        )
        for action_id, (label, answer) in MEETING_ANSWERS.items()
    ]
    blocks: list[Block] = [
        section(f"Quick question: did you meet with {who}{when}?"),
        ActionsBlock(block_id="did_you_meet", elements=buttons),
        context('"We met" logs the meeting for everyone in it, so nobody else needs to.'),
    ]
    return text, blocks


def goal_checkin(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    goals = list(payload.get("goals") or [])
    text = "How are your goals going? A quick check-in."
    blocks: list[Block] = [
        section(
            "Hi! Time for a quick check-in on your goals. One tap per goal is plenty: "
            "if you need help, I'll let your mentor know."
        )
    ]
    for goal in goals[:GOALS_SHOWN]:
        goal_id = int(goal["id"])
        blocks.append(section(f"*#{goal['number']}* {escape(shorten(str(goal['text']), GOAL_TEXT_SHOWN))}"))
        blocks.append(
            ActionsBlock(
                block_id=f"goal_{goal_id}",
                elements=[
                    ButtonElement(
                        text=label,
                        action_id=f"nudge_goal_{answer}_{goal_id}",
                        value=button_value(payload, goal_id),
                        style="primary" if answer == "done" else None,
                    )
                    for answer, label in GOAL_ANSWERS.items()
                ],
            )
        )
    if len(goals) > GOALS_SHOWN:
        blocks.append(context(f"…and {len(goals) - GOALS_SHOWN} more: `/mentor goals` lists them all."))
    blocks.append(context("Only you and your mentors see your goals."))
    return text, blocks


def mentee_summary(mentee: dict[str, Any]) -> str:
    lines = [f"*{mention(mentee['user_id'])}*"]
    for update in mentee.get("goal_updates") or []:
        words = GOAL_UPDATE_WORDS.get(str(update.get("kind")), "updated")
        on = day(update.get("on"))
        when = f" ({on})" if on else ""
        lines.append(f"• {words} goal #{update['number']}: {escape(shorten(str(update['text']), 150))}{when}")
    meetings = [day(held) for held in mentee.get("meetings") or []]
    if meetings:
        lines.append(f"• met on {join_labels([m for m in meetings if m])}")
    return "\n".join(lines)


def mentor_digest(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    mentees = list(payload.get("mentees") or [])
    since = day(payload.get("since"))
    text = f"Your mentee update: news from {plural(len(mentees), 'mentee')}."
    intro = (
        f"Here's what your mentees have been up to since {since}."
        if since
        else "Here's what your mentees have been up to."
    )
    blocks: list[Block] = [HeaderBlock(text="Your mentee update"), section(intro)]
    blocks.extend(section(mentee_summary(mentee)) for mentee in mentees[:20])
    blocks.append(context('A short note back, like "saw your update, nice work", goes a long way.'))
    return text, blocks


def stalled(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    who = meet_with(payload)
    last = day(payload.get("last_met_on"))
    opener = STALLED_OPENERS.get(str(payload.get("reason")), STALLED_OPENERS["no_meeting"])
    since = f" (your last logged meeting was on {last})" if last else " (no meeting has been logged yet)"
    text = f"A few ideas to get things moving again with {plain_meet_with(payload)}."
    blocks: list[Block] = [
        section(
            f"Hi! I noticed {opener.format(who=who, since=since)} That happens to almost everyone, and it's easy to fix."
        ),
        section("*A few things that help*\n" + "\n".join(f"• {tip}" for tip in STALLED_TIPS)),
        context(LOG_HINT),
    ]
    return text, blocks


def stalled_coordinator(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    members = list(payload.get("members") or [])
    kind = "circle" if payload.get("relationship_kind") == "circle" else "mentorship"
    reason = COORDINATOR_REASONS.get(str(payload.get("reason")), COORDINATOR_REASONS["no_meeting"])
    last = day(payload.get("last_met_on"))
    met = f"Last meeting logged: {last}." if last else "No meeting logged yet."
    text = f"A {kind} may need a hand: {reason}."
    blocks: list[Block] = [
        section(
            f"A {kind} may need a hand: {mentions(members)} ({plural(len(members), 'person', 'people')}). Reason: {reason}. {met}"
        ),
        context(
            "They've had some tips from me already. A friendly check-in from you can help; "
            "their goals and notes stay private to them."
        ),
    ]
    return text, blocks


PAUSED_RESUME_HINT = (
    "Whenever you're ready, one tap brings them back. Answering any of my check-ins, or using "
    "`/mentor goals`, `/mentor met` or any other command about you, brings them back too."
)


def paused_notice(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    unanswered = int(payload.get("unanswered") or 0)
    weeks = int(payload.get("silent_days") or 0) // 7
    if unanswered == 1:
        recent = "your last check-in"
    else:
        recent = f"the last {plural(unanswered, 'check-in')}" if unanswered else "the last few check-ins"
    over = f" over the past {plural(weeks, 'week')}" if weeks > 1 else ""
    text = "I've paused your nudges for now. Resume whenever you like."
    blocks: list[Block] = [
        section(
            f"Hi! I haven't heard back on {recent}{over}, so I've paused your nudges to give you some "
            "quiet. No problem at all: residency gets busy, and nothing else changes: your goals, "
            "circle and mentors stay just as they are."
        ),
        section(PAUSED_RESUME_HINT),
        ActionsBlock(
            block_id="paused_notice",
            elements=[
                ButtonElement(
                    text="Resume my nudges",
                    action_id=RESUME_ACTION,
                    value=button_value(payload),
                    style="primary",
                )
            ],
        ),
        context("You can also type `/mentor resume` at any time."),
    ]
    return text, blocks


COORDINATOR_COUNTS = (
    ("participants", "Participants"),
    ("active", "Active"),
    ("paused", "Paused"),
    ("left", "Left"),
    ("meetings_logged", "Meetings logged"),
    ("did_you_meet_asked", '"Did you meet?" asked'),
    ("did_you_meet_yes", 'Answered "We met"'),
    ("goals_set", "Goals set"),
    ("goals_done", "Goals finished"),
    ("stalled", "Stalled circles and mentorships"),
    ("dead_letters", "Nudges that couldn't be delivered"),
)


def digest_heading(payload: dict[str, Any]) -> str:
    """'Monday, March 1, 2027 to Sunday, March 7, 2027': the days the digest counted."""
    if not payload.get("week_of"):
        return "Last week"
    week = week_cycle(date.fromisoformat(str(payload["week_of"])))
    return f"{format_date(week.start)} to {format_date(week.last_day)}"


def coordinator_digest(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    heading = digest_heading(payload)
    lines = [f"• {label}: *{int(payload.get(field) or 0):,}*" for field, label in COORDINATOR_COUNTS]
    meetings = int(payload.get("meetings_logged") or 0)
    text = f"Your weekly Mentor Circles summary: {plural(meetings, 'meeting')} logged."
    blocks: list[Block] = [
        HeaderBlock(text="Weekly participation summary"),
        section(f"*{heading}*\n" + "\n".join(lines)),
        context(
            "Counts only: members' goals stay between them and their mentors, and their notes with them."
        ),
    ]
    return text, blocks


def need_help(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    mentee = mention(str(payload.get("mentee") or ""))
    number = payload.get("goal_number")
    goal_text = escape(shorten(str(payload.get("goal_text") or ""), GOAL_TEXT_SHOWN))
    goal = f"goal #{number}: *{goal_text}*" if goal_text else f"goal #{number}"
    text = "Your mentee would like some help with a goal."
    blocks: list[Block] = [
        section(
            f"Your mentee {mentee} said they'd like some help with {goal}. "
            "A short message or a quick call this week would mean a lot."
        ),
        context(LOG_HINT),
    ]
    return text, blocks


RENDERERS: dict[str, Callable[[dict[str, Any]], tuple[str, list[Block]]]] = {
    "meeting_reminder": meeting_reminder,
    "did_you_meet": did_you_meet,
    "goal_checkin": goal_checkin,
    "mentor_digest": mentor_digest,
    "stalled": stalled,
    "stalled_coordinator": stalled_coordinator,
    "paused_notice": paused_notice,
    "coordinator_digest": coordinator_digest,
    "need_help": need_help,
    "coordinator_notices": coordinator_notices,
    "round_feedback": round_feedback,
    "meeting_agenda": meeting_agenda,
    COMBINED: lambda payload: combined(payload, render_nudge),
}


def render_nudge(kind: str, payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """The notification text and blocks of a nudge DM; raises KeyError for an unknown kind."""
    return RENDERERS[kind](payload)
