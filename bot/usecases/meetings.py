"""Meetings: log a meeting from `/mentor met`, a "which one was it?" button or the modal; list recent ones.

A meeting belongs to one of the member's circles or mentorships when that is clear from who they
mention (or when they have only one); otherwise they are asked. A meeting with people outside both is
logged as it is. However many attendees log it, it is stored and counted once. Every meeting logged
queues a refresh of the App Homes that show it, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from slack_sdk import WebClient

from bot.domain.members import (
    MET_USAGE,
    Ambiguous,
    Inferred,
    Problem,
    Relationship,
    choose_relationship,
    local_today,
    parse_meeting_date,
    parse_met,
)
from bot.domain.members.meetings import MAX_ATTENDEES, NOTES_MAX
from bot.domain.text import join_labels
from bot.people import UnknownUser
from bot.usecases.deps import Deps
from bot.usecases.goals import plain
from bot.usecases.unit_of_work import MemberUnit
from storage.meetings import MeetingSummary
from storage.models import Member
from storage.models import Relationship as RelationshipRow

GONE = "That circle or mentorship isn't active any more, so I haven't logged anything. `/mentor met` works any time."
EXPIRED = "I couldn't read that choice any more. Please log the meeting again with `/mentor met`."


@dataclass(frozen=True)
class MetWith:
    """Who a logged meeting was with, as its confirmation names them."""

    kind: str | None
    """"circle", "mentorship", or None for a meeting with people outside both."""
    my_role: str | None
    others: tuple[tuple[str, str], ...]
    """(Slack id, role in the circle or mentorship) of the other attendees."""
    label: str = ""


@dataclass(frozen=True)
class LoggedMeeting:
    met_with: MetWith
    held_on: date
    created: bool
    """False when an attendee (this member or another) had already logged it."""
    note_added: bool
    by_me: bool = True
    """Whether this member logged it first."""
    logged_by: str | None = None
    """The Slack id of whoever logged it first, when that was someone else."""


@dataclass(frozen=True)
class MeetingChoice:
    relationship_id: int
    label: str


@dataclass(frozen=True)
class WhichMeeting:
    """More than one circle or mentorship fits: the member picks one, and the meeting rides on the choice."""

    question: str
    choices: tuple[MeetingChoice, ...]
    held_on: date
    mentioned: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class MeetingOutcome:
    """What to tell the member: a plain `message`, or one of the other fields."""

    message: str = ""
    logged: LoggedMeeting | None = None
    question: WhichMeeting | None = None
    recent: tuple[MeetingSummary, ...] | None = None
    audience: tuple[str, ...] = field(default_factory=tuple)
    """Other members whose App Home shows the meeting logged (refreshed with this member's)."""

    @property
    def changed(self) -> bool:
        return self.logged is not None


@dataclass(frozen=True)
class MeetingForm:
    """What the "Log a meeting" modal offers: (relationship id, label) of each group, and today."""

    groups: tuple[tuple[int, str], ...]
    today: date


def group_label(row: RelationshipRow, member_id: int) -> str:
    """A plain-text name for a circle or mentorship: its label, or the other people's names."""
    names = [link.member.display_name or "someone" for link in row.members if link.member_id != member_id]
    return row.label or join_labels(names) or "just you"


def as_domain(row: RelationshipRow, member_id: int) -> Relationship:
    return Relationship(
        id=str(row.id),
        kind="circle" if row.kind == "circle" else "mentorship",
        member_ids=frozenset(link.member.slack_user_id for link in row.members),
        label=group_label(row, member_id),
    )


def choice_label(row: RelationshipRow, member_id: int) -> str:
    return f"{group_label(row, member_id)} ({'circle' if row.kind == 'circle' else 'mentorship'})"


def member_ids_of(row: RelationshipRow) -> set[str]:
    return {link.member.slack_user_id for link in row.members}


class Meetings:
    """Methods that take a `directory` use it only to look up mentioned people in Slack (`users.info`)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def today(self, unit: MemberUnit) -> date:
        return local_today(self.deps.clock(), unit.member.tz)

    def from_command(self, unit: MemberUnit, text: str, directory: WebClient) -> MeetingOutcome:
        """`/mentor met ...` as typed (after `met`)."""
        draft = parse_met(text, self.today(unit))
        if isinstance(draft, Problem):
            return MeetingOutcome(draft.message)
        me = unit.member
        mentioned = [user_id for user_id in draft.attendee_ids if user_id != me.slack_user_id]
        people = self._people(unit, mentioned, directory)
        if isinstance(people, Problem):
            return MeetingOutcome(people.message)
        groups = self._groups(unit)
        choice = choose_relationship(mentioned, [as_domain(row, me.id) for row in groups])
        if isinstance(choice, Inferred):
            row = _find(groups, int(choice.relationship.id))
            return self._record(unit, row, people, draft.met_on, draft.notes)
        if isinstance(choice, Ambiguous):
            return MeetingOutcome(
                choice.question,
                question=self._question(unit, groups, choice, draft.met_on, tuple(mentioned), draft.notes),
            )
        if not mentioned:
            return MeetingOutcome(MET_USAGE)
        return self._record(unit, None, people, draft.met_on, draft.notes)

    def from_button(
        self,
        unit: MemberUnit,
        relationship_id: int,
        held_on: date,
        mentioned: Sequence[str],
        notes: str,
        directory: WebClient,
    ) -> MeetingOutcome:
        """The member picked which circle or mentorship a meeting they typed was for."""
        row = _find(self._groups(unit), relationship_id)
        if row is None:
            return MeetingOutcome(GONE)
        if not set(mentioned) <= member_ids_of(row):
            return MeetingOutcome(EXPIRED)
        checked = parse_meeting_date(held_on.isoformat(), self.today(unit))
        if isinstance(checked, Problem):
            return MeetingOutcome(checked.message)
        me = unit.member.slack_user_id
        people = self._people(unit, [user_id for user_id in mentioned if user_id != me], directory)
        if isinstance(people, Problem):
            return MeetingOutcome(people.message)
        return self._record(unit, row, people, held_on, notes)

    def open_form(self, unit: MemberUnit) -> MeetingForm | None:
        """The modal's choices; None when the member has not joined (their stale Home is refreshed)."""
        if not unit.member.has_joined:
            self.deps.effects.refresh_homes(unit.session, unit.workspace_id, [unit.member.slack_user_id])
            return None
        me = unit.member.id
        groups = tuple((row.id, choice_label(row, me)) for row in self._groups(unit))
        return MeetingForm(groups, self.today(unit))

    def from_form(
        self,
        unit: MemberUnit,
        relationship_id: str | None,
        user_ids: Sequence[str],
        day: str | None,
        notes: str,
        directory: WebClient,
    ) -> MeetingOutcome | dict[str, str]:
        """The meeting logged from the modal, or inline errors by block id (nothing stored)."""
        errors: dict[str, str] = {}
        held_on = parse_meeting_date(day, self.today(unit)) if day else None
        if held_on is None:
            errors["day"] = "Please pick the day you met."
        elif isinstance(held_on, Problem):
            errors["day"] = plain(held_on.message)
        notes = notes.strip()
        if len(notes) > NOTES_MAX:
            errors["notes"] = f"Please keep notes to {NOTES_MAX:,} characters (yours have {len(notes):,})."
        me = unit.member
        mentioned = [user_id for user_id in dict.fromkeys(user_ids) if user_id != me.slack_user_id]
        groups = self._groups(unit)
        who_block = "relationship" if groups else "people"
        row: RelationshipRow | None = None
        if len(mentioned) > MAX_ATTENDEES:
            errors["people"] = f"I can log up to {MAX_ATTENDEES} people per meeting."
        elif relationship_id:
            row = _find(groups, int(relationship_id)) if relationship_id.isdigit() else None
            if row is None:
                errors["relationship"] = (
                    "That circle or mentorship isn't active any more. Please pick another."
                )
            elif not set(mentioned) <= member_ids_of(row):
                errors["people"] = (
                    "Some of these people aren't in that circle or mentorship. Pick only people from it, "
                    "or clear the circle or mentorship to log a meeting with just these people."
                )
        elif not mentioned:
            errors[who_block] = "Please choose who you met."
        else:
            choice = choose_relationship(mentioned, [as_domain(r, me.id) for r in groups])
            if isinstance(choice, Ambiguous):
                errors["relationship"] = (
                    "These people are in more than one of your groups: pick which one this was."
                )
            elif isinstance(choice, Inferred):
                row = _find(groups, int(choice.relationship.id))
        if errors or held_on is None or isinstance(held_on, Problem):
            return errors
        people = self._people(unit, mentioned, directory)
        if isinstance(people, Problem):
            return {"people": plain(people.message)}
        return self._record(unit, row, people, held_on, notes)

    def recent(self, unit: MemberUnit, limit: int) -> MeetingOutcome:
        summaries = unit.meetings.recent_summaries(unit.member.id, limit)
        text = "Your recent meetings" if summaries else "No meetings logged yet."
        return MeetingOutcome(text, recent=tuple(summaries))

    def _groups(self, unit: MemberUnit) -> list[RelationshipRow]:
        return unit.relationships.active_for(unit.member.id)

    def _people(
        self, unit: MemberUnit, user_ids: Sequence[str], directory: WebClient
    ) -> list[Member] | Problem:
        """The members for the Slack users mentioned, or which of them Slack does not know here."""
        found = []
        for user_id in user_ids:
            try:
                found.append(self.deps.people.member(unit.session, unit.workspace, directory, user_id))
            except UnknownUser:
                return Problem(
                    f"I couldn't find `{user_id}` among the people in this workspace, so I haven't logged anything. "
                    "Mention people with Slack's @ autocomplete."
                )
        return found

    def _question(
        self,
        unit: MemberUnit,
        groups: Sequence[RelationshipRow],
        choice: Ambiguous,
        held_on: date,
        mentioned: tuple[str, ...],
        notes: str,
    ) -> WhichMeeting:
        choices = []
        for candidate in choice.candidates:
            row = _find(groups, int(candidate.id))
            label = choice_label(row, unit.member.id) if row else candidate.label
            choices.append(MeetingChoice(int(candidate.id), label))
        return WhichMeeting(choice.question, tuple(choices), held_on, mentioned, notes)

    def _record(
        self,
        unit: MemberUnit,
        row: RelationshipRow | None,
        people: Sequence[Member],
        held_on: date,
        notes: str,
    ) -> MeetingOutcome:
        """Store the meeting once (or find it, when an attendee already logged it) and this member's note."""
        me = unit.member
        meetings = unit.meetings
        roles = {link.member_id: link.role for link in row.members} if row else {}
        attendees = [me, *people] if people or row is None else [link.member for link in row.members]
        attendee_ids = list(dict.fromkeys(member.id for member in attendees))
        meeting, created = meetings.log(held_on, row.id if row else None, attendee_ids, me.id)
        note_added = meetings.add_note(meeting, me.id, notes)
        others = tuple((m.slack_user_id, roles.get(m.id, "")) for m in attendees if m.id != me.id)
        met_with = MetWith(row.kind if row else None, roles.get(me.id), others, row.label if row else "")
        logger_id = meeting.logged_by_id
        by_me = created or logger_id == me.id
        by = unit.session.get(Member, logger_id) if logger_id is not None and not by_me else None
        logged = LoggedMeeting(
            met_with, held_on, created, note_added, by_me, by.slack_user_id if by else None
        )
        affected = [*attendees, *(link.member for link in row.members)] if row else attendees
        audience = tuple(dict.fromkeys(m.slack_user_id for m in affected if m.id != me.id and m.has_joined))
        self.deps.effects.refresh_homes(unit.session, unit.workspace_id, [me.slack_user_id, *audience])
        return MeetingOutcome(logged=logged, audience=audience)


def _find(groups: Sequence[RelationshipRow], relationship_id: int) -> RelationshipRow | None:
    return next((row for row in groups if row.id == relationship_id), None)
