"""Find a time: a member proposes a few slots for one of their circles or mentorships, everyone in it
votes in the group DM, and once everyone who answered can make one slot it becomes the planned meeting.

The vote message is posted and edited by the effect workers (`bot.effects.handlers`), rendered when
sent from what is stored then, so a burst of votes always ends with the message showing all of them.
A vote is one row per person and slot: a retried click changes nothing and queues nothing. Deciding
happens under a lock on the plan, so two last votes at once decide it once: the calendar invite is
queued with a key, and the planned time waits the "did you meet?" check-in until after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.calendar import zone
from bot.domain.members.slack_text import escape
from bot.domain.nudges.model import Schedule
from bot.domain.scheduling import (
    MAX_SLOTS,
    Invite,
    Person,
    SlotTally,
    call_days_of,
    chosen_slot,
    needed_answers,
    slot_from_local,
    suggest_slots,
    tally,
)
from bot.domain.text import inflect, join_labels
from bot.usecases.deps import Deps
from bot.usecases.meetings import choice_label, group_label
from bot.usecases.unit_of_work import MemberUnit, UnitOfWork
from storage.models import MeetingPlan, Member, RelationshipMember
from storage.models import Relationship as RelationshipRow
from storage.scheduling import MeetingPlanRepository, slots_of, votes_of

NO_GROUPS = (
    "You're not in a circle or mentorship yet, so there's nobody to find a time with. "
    "Once you're matched, `/mentor schedule` helps you pick a time together."
)
GONE = "That circle or mentorship isn't active any more, so there's no time to find."
NOT_IN_IT = "That vote is for a circle or mentorship you're not in, so I haven't changed anything."
UNREADABLE = "Sorry, I couldn't read that button any more. `/mentor schedule` starts a new vote."
PICK_GROUP = "Please choose which circle or mentorship this is for."
NO_SLOT = "Please propose at least one time: a day and a time."
HALF_SLOT = "Please pick both a day and a time, or leave both empty."
PAST_SLOT = "That time has already passed. Please pick one still to come."
TOO_FAR = "Please pick a time within the next 90 days."
FAR_DAYS = 90
SETTLED = "This one's settled already, so nothing changed. The time and the invite are in this conversation."
SAME_ANSWER = "Got it: that was already your answer, so nothing changed."
VOTED = "Thanks, noted! I'll post the time here once everyone who answered can make one."
CHOSEN_NOW = "Thanks! That settles it: everyone who answered can make it. The invite is on its way."


@dataclass(frozen=True)
class ScheduleForm:
    """What the proposal modal opens with: the member's groups, which one is chosen, and suggestions as
    local (day, time) in the member's own zone."""

    groups: tuple[tuple[int, str], ...]
    chosen: int | None
    suggested: tuple[tuple[date, time], ...]
    tz: str


@dataclass(frozen=True)
class Proposed:
    """The modal's result: `errors` by block id keep it open; otherwise `message` replaces it."""

    message: str = ""
    errors: dict[str, str] | None = None


@dataclass(frozen=True)
class VoteBoard:
    """A plan as its vote message shows it."""

    plan_id: int
    proposer: str | None
    user_ids: tuple[str, ...]
    slots: tuple[SlotTally, ...]
    answered: int
    needed: int
    chosen: int | None
    channel: str | None
    ts: str | None

    @property
    def chosen_at(self) -> datetime | None:
        return self.slots[self.chosen].at if self.chosen is not None else None


def in_order(row: RelationshipRow) -> list[RelationshipMember]:
    """Its people in the order they joined it, so every message and invite names them alike."""
    return sorted(row.members, key=lambda link: link.id)


def people_of(row: RelationshipRow, default_tz: str) -> list[Person]:
    return [
        Person(
            link.member.slack_user_id,
            link.member.tz or default_tz,
            link.member.send_hour if link.member.send_hour is not None else Schedule().send_hour,
            call_days_of(link.member.call_days),
        )
        for link in row.members
    ]


def vote_board(uow: UnitOfWork, plan_id: int) -> VoteBoard | None:
    """The plan's vote as it stands; None once it (or its circle or mentorship) is gone."""
    plan = MeetingPlanRepository(uow.session, uow.workspace_id).get(plan_id)
    row = uow.relationships.get(plan.relationship_id) if plan is not None else None
    if plan is None or row is None or not row.is_live:
        return None
    votes = votes_of(plan)
    proposer = uow.session.get(Member, plan.proposed_by) if plan.proposed_by else None
    size = len(row.members)
    return VoteBoard(
        plan_id=plan.id,
        proposer=proposer.slack_user_id if proposer else None,
        user_ids=tuple(link.member.slack_user_id for link in in_order(row)),
        slots=tuple(tally(slots_of(plan), votes)),
        answered=len({vote.voter for vote in votes}),
        needed=needed_answers(size),
        chosen=plan.chosen_slot,
        channel=plan.channel,
        ts=plan.ts,
    )


def invite_of(uow: UnitOfWork, plan_id: int, now: datetime) -> Invite | None:
    """The calendar invite for a decided plan (its UID never changes, so a calendar updates, not adds)."""
    plan = MeetingPlanRepository(uow.session, uow.workspace_id).get(plan_id)
    row = uow.relationships.get(plan.relationship_id) if plan is not None else None
    if plan is None or row is None or plan.chosen_at is None:
        return None
    names = [link.member.display_name or "someone" for link in in_order(row)]
    kind = "Mentor Circle" if row.kind == "circle" else "Mentorship"
    return Invite(
        uid=f"meeting-plan-{plan.id}-{uow.workspace.team_id}@mentor-circles",
        stamp=now,
        start=plan.chosen_at,
        summary=f"{kind}: {row.label}" if row.label else f"{kind} meeting",
        description=f"With {join_labels(names)}. Planned with Mentor Circles.",
    )


class Scheduling:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def _tz(self, member: Member) -> str:
        return member.tz or self.deps.settings.default_timezone

    def form(self, unit: MemberUnit, relationship_id: int | None) -> ScheduleForm | str:
        """The modal's choices, with slots suggested for the chosen (or only) circle or mentorship."""
        groups = [row for row in unit.relationships.active_for(unit.member.id) if row.is_live]
        if not groups:
            return NO_GROUPS
        chosen = next((row for row in groups if row.id == relationship_id), None)
        if relationship_id is not None and chosen is None:
            return GONE
        if chosen is None and len(groups) == 1:
            chosen = groups[0]
        tz = self._tz(unit.member)
        suggested: tuple[tuple[date, time], ...] = ()
        if chosen is not None:
            slots = suggest_slots(people_of(chosen, self.deps.settings.default_timezone), self.deps.clock())
            local = [slot.astimezone(zone(tz)) for slot in slots]
            suggested = tuple((moment.date(), moment.time().replace(tzinfo=None)) for moment in local)
        labels = tuple((row.id, choice_label(row, unit.member.id)) for row in groups)
        return ScheduleForm(labels, chosen.id if chosen else None, suggested, tz)

    def propose(
        self, unit: MemberUnit, relationship_id: str | None, picked: Sequence[tuple[str | None, str | None]]
    ) -> Proposed:
        """Store the proposed slots and queue the vote message for the group DM; or inline errors."""
        errors: dict[str, str] = {}
        groups = {row.id: row for row in unit.relationships.active_for(unit.member.id) if row.is_live}
        row = groups.get(int(relationship_id)) if relationship_id and relationship_id.isdigit() else None
        if row is None and not relationship_id and len(groups) == 1:
            row = next(iter(groups.values()))
        elif row is None and not relationship_id:
            errors["relationship"] = PICK_GROUP
        elif row is None:
            errors["slot0_day"] = GONE
        now = self.deps.clock()
        tz = self._tz(unit.member)
        slots: list[datetime] = []
        for index, (day, at) in enumerate(picked[:MAX_SLOTS]):
            if not day and not at:
                continue
            block = f"slot{index}_time" if day else f"slot{index}_day"
            parsed = _parse(day, at)
            if parsed is None:
                errors[block] = HALF_SLOT
                continue
            slot = slot_from_local(*parsed, tz)
            if slot <= now:
                errors[f"slot{index}_day"] = PAST_SLOT
            elif slot > now + timedelta(days=FAR_DAYS):
                errors[f"slot{index}_day"] = TOO_FAR
            elif slot not in slots:
                slots.append(slot)
        if not slots and not any(key.startswith("slot") for key in errors):
            errors["slot0_day"] = NO_SLOT
        if errors or row is None:
            return Proposed(errors=errors)
        plans = MeetingPlanRepository(unit.session, unit.workspace_id)
        plan = plans.create(row.id, unit.member.id, sorted(slots), now)
        self.deps.effects.post_vote(unit.session, unit.workspace_id, plan.id)
        return Proposed(
            f"I've posted your {inflect(len(slots), 'time')} in the group DM with "
            f"{escape(group_label(row, unit.member.id))}. Everyone sees them in their own time zone and can "
            "vote there; I'll post the time and a calendar invite once everyone who answered can make one."
        )

    def vote(self, unit: MemberUnit, plan_id: int, slot: int, can: bool) -> str:
        """One person's answer for one slot; the plan is decided once everyone who answered agrees."""
        plans = MeetingPlanRepository(unit.session, unit.workspace_id)
        plan = plans.lock(plan_id)
        if plan is None or not 0 <= slot < len(plan.slots):
            return UNREADABLE
        row = unit.relationships.get(plan.relationship_id)
        if row is None or not row.is_live:
            return GONE
        if unit.member.id not in {link.member_id for link in row.members}:
            return NOT_IN_IT
        if plan.chosen_slot is not None:
            return SETTLED
        now = self.deps.clock()
        if not plans.vote(plan, unit.member.id, slot, can, now):
            return SAME_ANSWER
        unit.session.refresh(plan, ["votes"])
        chosen = chosen_slot(slots_of(plan), votes_of(plan), len(row.members), now)
        self.deps.effects.refresh_vote(unit.session, unit.workspace_id, plan.id)
        if chosen is None:
            return VOTED
        plans.decide(plan, chosen)
        self._send_invite(unit, plan)
        return CHOSEN_NOW

    def _send_invite(self, unit: MemberUnit, plan: MeetingPlan) -> None:
        self.deps.effects.send_file(
            unit.session,
            unit.workspace_id,
            "",
            "invite",
            key=f"invite:{plan.id}",
            plan_id=plan.id,
            channel=plan.channel,
        )


def _parse(day: str | None, at: str | None) -> tuple[date, time] | None:
    if not day or not at:
        return None
    try:
        return date.fromisoformat(day), time.fromisoformat(at)
    except ValueError:
        return None
