"""`/mentor met` and `/mentor meetings`, the "which one was it?" buttons and the "Log a meeting" modal.

A meeting belongs to one of the member's circles or mentorships when that is clear from who they
mention (or when they have only one); otherwise they are asked. A meeting with people outside both is
logged as it is. However many attendees log it, it is stored and counted once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.domain.commands import CommandSpec
from bot.domain.members import (
    MET_USAGE,
    Ambiguous,
    Inferred,
    Problem,
    Relationship,
    choose_relationship,
    parse_meeting_date,
    parse_met,
)
from bot.domain.members.meetings import MAX_ATTENDEES, NOTES_MAX
from bot.domain.vocabulary import join_labels
from bot.people import UnknownUser
from bot.presentation import meetings as blocks
from bot.services import Services
from handlers.goals import GROUP, Outcome, inline, today_for
from handlers.home import refresh_homes
from handlers.routing import CommandRequest
from handlers.scope import NOT_JOINED, MemberScope, has_joined, member_session
from storage.meetings import MeetingRepository
from storage.models import Member
from storage.models import Relationship as RelationshipRow
from storage.relationships import RelationshipRepository

MET = CommandSpec(
    name="met",
    summary="log a meeting with your circle, mentor or mentee",
    usage=("/mentor met [@someone ...] [on DATE] [notes]",),
    aliases=("meet",),
    group=GROUP,
)
MEETINGS = CommandSpec(
    name="meetings",
    summary="your recent meetings and your notes",
    usage=("/mentor meetings",),
    group=GROUP,
)

GONE = "That circle or mentorship isn't active any more, so I haven't logged anything. `/mentor met` works any time."
EXPIRED = "I couldn't read that choice any more. Please log the meeting again with `/mentor met`."


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


class MeetingLog:
    """Logging meetings for the member of one request."""

    def __init__(self, services: Services, client: WebClient, scope: MemberScope) -> None:
        self.services = services
        self.client = client
        self.scope = scope
        self.me = scope.member
        self.meetings = MeetingRepository(scope.session, scope.workspace.id)
        self.groups = RelationshipRepository(scope.session, scope.workspace.id).active_for(self.me.id)

    def people(self, user_ids: Sequence[str]) -> list[Member] | Problem:
        """The members for the Slack users mentioned, or which of them Slack does not know here."""
        found = []
        for user_id in user_ids:
            try:
                found.append(
                    self.services.people.member(
                        self.scope.session, self.scope.workspace, self.client, user_id
                    )
                )
            except UnknownUser:
                return Problem(
                    f"I couldn't find `{user_id}` among the people in this workspace, so I haven't logged anything. "
                    "Mention people with Slack's @ autocomplete."
                )
        return found

    def group(self, relationship_id: int) -> RelationshipRow | None:
        return next((row for row in self.groups if row.id == relationship_id), None)

    def from_command(self, text: str) -> Outcome:
        draft = parse_met(text, today_for(self.services, self.scope))
        if isinstance(draft, Problem):
            return Outcome(draft.message)
        mentioned = [user_id for user_id in draft.attendee_ids if user_id != self.me.slack_user_id]
        people = self.people(mentioned)
        if isinstance(people, Problem):
            return Outcome(people.message)
        choice = choose_relationship(mentioned, [as_domain(row, self.me.id) for row in self.groups])
        if isinstance(choice, Inferred):
            return self.record(self.group(int(choice.relationship.id)), people, draft.met_on, draft.notes)
        if isinstance(choice, Ambiguous):
            return self.ask(choice, draft.met_on, tuple(mentioned), draft.notes)
        if not mentioned:
            return Outcome(MET_USAGE)
        return self.record(None, people, draft.met_on, draft.notes)

    def ask(self, choice: Ambiguous, held_on: date, mentioned: tuple[str, ...], notes: str) -> Outcome:
        buttons = []
        for candidate in choice.candidates:
            pending = blocks.PendingMeeting(int(candidate.id), held_on, mentioned, notes)
            value = pending.encode()
            if len(value) > blocks.BUTTON_VALUE_LIMIT:
                room = blocks.BUTTON_VALUE_LIMIT - len(
                    blocks.PendingMeeting(int(candidate.id), held_on, mentioned, "").encode()
                )
                return Outcome(blocks.notes_too_long_message(choice.question, max(room, 0)))
            row = self.group(int(candidate.id))
            buttons.append((choice_label(row, self.me.id) if row else candidate.label, value))
        return Outcome(choice.question, blocks.choose_blocks(choice.question, buttons))

    def from_button(self, pending: blocks.PendingMeeting) -> Outcome:
        row = self.group(pending.relationship_id)
        if row is None:
            return Outcome(GONE)
        if not set(pending.mentioned) <= {link.member.slack_user_id for link in row.members}:
            return Outcome(EXPIRED)
        checked = parse_meeting_date(pending.held_on.isoformat(), today_for(self.services, self.scope))
        if isinstance(checked, Problem):
            return Outcome(checked.message)
        people = self.people([u for u in pending.mentioned if u != self.me.slack_user_id])
        if isinstance(people, Problem):
            return Outcome(people.message)
        return self.record(row, people, pending.held_on, pending.notes)

    def from_modal(
        self, relationship_id: str | None, user_ids: Sequence[str], day: str | None, notes: str
    ) -> Outcome | dict[str, str]:
        """The meeting logged, or inline errors by block id (nothing stored)."""
        errors: dict[str, str] = {}
        held_on = parse_meeting_date(day, today_for(self.services, self.scope)) if day else None
        if held_on is None:
            errors["day"] = "Please pick the day you met."
        elif isinstance(held_on, Problem):
            errors["day"] = inline(held_on.message)
        notes = notes.strip()
        if len(notes) > NOTES_MAX:
            errors["notes"] = f"Please keep notes to {NOTES_MAX:,} characters (yours have {len(notes):,})."
        mentioned = [user_id for user_id in dict.fromkeys(user_ids) if user_id != self.me.slack_user_id]
        who_block = "relationship" if self.groups else "people"
        row: RelationshipRow | None = None
        if len(mentioned) > MAX_ATTENDEES:
            errors["people"] = f"I can log up to {MAX_ATTENDEES} people per meeting."
        elif relationship_id:
            row = self.group(int(relationship_id)) if relationship_id.isdigit() else None
            if row is None:
                errors["relationship"] = (
                    "That circle or mentorship isn't active any more. Please pick another."
                )
            elif not set(mentioned) <= {link.member.slack_user_id for link in row.members}:
                errors["people"] = (
                    "Some of these people aren't in that circle or mentorship. Pick only people from it, "
                    "or clear the circle or mentorship to log a meeting with just these people."
                )
        elif not mentioned:
            errors[who_block] = "Please choose who you met."
        else:
            choice = choose_relationship(mentioned, [as_domain(r, self.me.id) for r in self.groups])
            if isinstance(choice, Ambiguous):
                errors["relationship"] = (
                    "These people are in more than one of your groups: pick which one this was."
                )
            elif isinstance(choice, Inferred):
                row = self.group(int(choice.relationship.id))
        if errors or held_on is None or isinstance(held_on, Problem):
            return errors
        people = self.people(mentioned)
        if isinstance(people, Problem):
            return {"people": inline(people.message)}
        return self.record(row, people, held_on, notes)

    def record(
        self, row: RelationshipRow | None, people: Sequence[Member], held_on: date, notes: str
    ) -> Outcome:
        """Store the meeting once (or find it, when an attendee already logged it) and this member's note."""
        roles = {link.member_id: link.role for link in row.members} if row else {}
        attendees = [self.me, *people] if people or row is None else [link.member for link in row.members]
        attendee_ids = list(dict.fromkeys(member.id for member in attendees))
        meeting, created = self.meetings.log(held_on, row.id if row else None, attendee_ids, self.me.id)
        note_added = self.meetings.add_note(meeting, self.me.id, notes)
        others = [(m.slack_user_id, roles.get(m.id, "")) for m in attendees if m.id != self.me.id]
        who = blocks.who_phrase(
            row.kind if row else None, roles.get(self.me.id), others, row.label if row else ""
        )
        if created:
            message = blocks.logged_message(who, held_on, with_notes=note_added)
        else:
            logger_id = meeting.logged_by_id
            by_me = logger_id == self.me.id
            by = self.scope.session.get(Member, logger_id) if logger_id is not None and not by_me else None
            message = blocks.already_logged_message(
                who, held_on, by.slack_user_id if by else None, by_me=by_me, note_added=note_added
            )
        affected = [*attendees, *(link.member for link in row.members)] if row else attendees
        audience = tuple(
            dict.fromkeys(m.slack_user_id for m in affected if m.id != self.me.id and has_joined(m))
        )
        return Outcome(message, changed=True, audience=audience)

    def modal_groups(self) -> list[tuple[int, str]]:
        return [(row.id, choice_label(row, self.me.id)) for row in self.groups]

    def recent(self) -> Outcome:
        summaries = self.meetings.recent_summaries(self.me.id, blocks.MEETINGS_SHOWN)
        text = "Your recent meetings" if summaries else "No meetings logged yet."
        return Outcome(text, blocks.meetings_list_blocks(summaries))


def register(app: App, services: Services) -> None:
    def finish(
        client: WebClient, context_ids: tuple[str | None, str | None], user_id: str, outcome: Outcome
    ) -> None:
        if outcome.changed:
            refresh_homes(services, context_ids[0], context_ids[1], [user_id, *outcome.audience])

    def met(request: CommandRequest) -> None:
        request.ack()
        with member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        ) as scope:
            joined = has_joined(scope.member)
            outcome = (
                MeetingLog(services, request.client, scope).from_command(request.args)
                if joined
                else Outcome(NOT_JOINED)
            )
        request.reply(outcome.message, outcome.blocks)
        finish(request.client, (request.team_id, request.enterprise_id), request.user_id, outcome)

    def meetings(request: CommandRequest) -> None:
        request.ack()
        with member_session(
            services, request.client, request.team_id, request.enterprise_id, request.user_id
        ) as scope:
            outcome = (
                MeetingLog(services, request.client, scope).recent()
                if has_joined(scope.member)
                else Outcome(NOT_JOINED)
            )
        request.reply(outcome.message, outcome.blocks)

    @app.action(re.compile(r"^meeting_pick_\d+$"))
    def picked(
        ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
    ) -> None:
        ack()
        pending = blocks.PendingMeeting.decode(str(action.get("value") or ""))
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            if not has_joined(scope.member):
                outcome = Outcome(NOT_JOINED)
            elif pending is None:
                outcome = Outcome(EXPIRED)
            else:
                outcome = MeetingLog(services, client, scope).from_button(pending)
        respond(text=outcome.message, response_type="ephemeral", replace_original=True)
        finish(client, (context.team_id, context.enterprise_id), user_id, outcome)

    @app.action("meeting_log_open")
    def open_log_modal(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            view = None
            if has_joined(scope.member):
                log = MeetingLog(services, client, scope)
                view = blocks.meeting_log_modal(log.modal_groups(), today_for(services, scope))
        if view is not None:
            client.views_open(trigger_id=body["trigger_id"], view=view.to_dict())
        else:
            refresh_homes(services, context.team_id, context.enterprise_id, [user_id])

    @app.view("meeting_log")
    def log_submitted(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        values = view["state"]["values"]
        relationship = (
            values.get("relationship", {}).get("relationship", {}).get("selected_option") or {}
        ).get("value")
        user_ids = values["people"]["people"].get("selected_users") or []
        day = values["day"]["day"].get("selected_date")
        notes = values["notes"]["notes"].get("value") or ""
        user_id = context.user_id or ""
        with member_session(services, client, context.team_id, context.enterprise_id, user_id) as scope:
            if not has_joined(scope.member):
                ack(response_action="errors", errors={"day": inline(NOT_JOINED)})
                return
            result = MeetingLog(services, client, scope).from_modal(relationship, user_ids, day, notes)
            if isinstance(result, dict):
                ack(response_action="errors", errors=result)
                return
        ack(response_action="update", view=blocks.meeting_logged_modal(result.message).to_dict())
        finish(client, (context.team_id, context.enterprise_id), user_id, result)

    services.router.add(MET, met)
    services.router.add(MEETINGS, meetings)
