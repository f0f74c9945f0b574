"""What the roster and the participation CSV read: people, placements, meetings and check-ins by program.

Which program each relationship, meeting and check-in is counted in, and each person's state there,
come from the report's own definitions (`storage.reports.Ownership`, `ProgramRepository.standings`), so
the roster and `/mentor admin stats` always agree. Goal text, meeting notes and do-not-match lists are
never selected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.calendar import local_day
from bot.domain.roster import CheckIns, Placement, RelationshipRow, RosterEntry
from storage.change_requests import ChangeRequestRepository
from storage.models import Meeting, MeetingAttendee, Member, OutboxNudge, Program, Relationship
from storage.reports import ReportRepository


@dataclass
class _Tally:
    meetings: int = 0
    last_met: date | None = None
    check_ins: CheckIns = CheckIns()

    def met(self, held_on: date) -> None:
        self.meetings += 1
        self.last_met = max(self.last_met or held_on, held_on)


class RosterRepository:
    def __init__(self, session: Session, workspace_id: int, zone: str) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self.zone = zone
        self.reports = ReportRepository(session, workspace_id, zone)
        self._read = False
        self._people: dict[tuple[int, int], _Tally] = defaultdict(_Tally)
        self._groups: dict[int, _Tally] = defaultdict(_Tally)

    def programs(self, program: Program | None) -> list[Program]:
        return [program] if program is not None else self.reports.all_programs

    def _tally(self) -> None:
        """Meetings and "did you meet?" answers per (program, member) and per relationship, read once."""
        if self._read:
            return
        self._read = True
        owners = self.reports.ownership
        attendees: dict[int, list[int]] = defaultdict(list)
        for meeting_id, member_id in self.session.execute(
            select(MeetingAttendee.meeting_id, MeetingAttendee.member_id)
            .join(Meeting, Meeting.id == MeetingAttendee.meeting_id)
            .where(Meeting.workspace_id == self.workspace_id)
        ):
            attendees[meeting_id].append(member_id)
        for meeting_id, relationship_id, logged_by_id, held_on in self.session.execute(
            select(Meeting.id, Meeting.relationship_id, Meeting.logged_by_id, Meeting.held_on).where(
                Meeting.workspace_id == self.workspace_id
            )
        ):
            people = attendees.get(meeting_id, [])
            owner = owners.of_relationship(relationship_id)
            if owner is None:
                owner = owners.of_member(logged_by_id or min(people, default=None))
            if relationship_id is not None:
                self._groups[relationship_id].met(held_on)
            for member_id in people:
                self._people[(owner, member_id)].met(held_on)
        for user_id, payload, response in self.session.execute(
            select(OutboxNudge.user_id, OutboxNudge.payload, OutboxNudge.response).where(
                OutboxNudge.workspace_id == self.workspace_id,
                OutboxNudge.kind == "did_you_meet",
                OutboxNudge.status == "sent",
                OutboxNudge.sent_at.is_not(None),
            )
        ):
            owner = owners.of_nudge(user_id, payload)
            asked = owners.slack_ids.get(user_id)
            if asked is not None:
                person = self._people[(owner, asked)]
                person.check_ins = person.check_ins.add(response)
            about = (payload or {}).get("relationship_id")
            if isinstance(about, int) and about in owners.relationships:
                group = self._groups[about]
                group.check_ins = group.check_ins.add(response)

    def _relationships(self, live_only: bool) -> dict[int, list[Relationship]]:
        query = select(Relationship).where(Relationship.workspace_id == self.workspace_id)
        if live_only:
            query = query.where(Relationship.is_live)
        found: dict[int, list[Relationship]] = defaultdict(list)
        for relationship in self.session.scalars(query.order_by(Relationship.id)):
            owner = self.reports.ownership.of_relationship(relationship.id)
            if owner is not None:
                found[owner].append(relationship)
        return found

    def entries(self, program: Program | None = None, *, counted: bool = True) -> list[RosterEntry]:
        """Everyone who has taken part in the program (every program when None), once per program.

        With `counted` False, meetings and check-ins are not read (and show as none): for a quick count.
        """
        if counted:
            self._tally()
        programs = self.programs(program)
        standings = self.reports.ownership.standings
        member_ids = {member_id for p in programs for member_id in standings.get(p.id, {})}
        members = {
            member.id: member
            for member in self.session.scalars(
                select(Member).where(
                    Member.workspace_id == self.workspace_id, Member.id.in_(sorted(member_ids))
                )
            )
        }
        live = self._relationships(live_only=True)
        asked: dict[tuple[int | None, int], list[str]] = defaultdict(list)
        for request in ChangeRequestRepository(self.session, self.workspace_id).open():
            asked[(request.program_id, request.member_id)].append(request.reason)
        entries: list[RosterEntry] = []
        for current in programs:
            placements: dict[int, list[Placement]] = defaultdict(list)
            for relationship in live.get(current.id, []):
                for link in relationship.members:
                    others = tuple(
                        (other.member.slack_user_id, other.role)
                        for other in relationship.members
                        if other.member_id != link.member_id
                    )
                    placements[link.member_id].append(
                        Placement(relationship.kind, link.role, relationship.label, others)
                    )
            for member_id, state in standings.get(current.id, {}).items():
                member = members.get(member_id)
                if member is None:
                    continue
                tally = self._people.get((current.id, member_id), _Tally())
                entries.append(
                    RosterEntry(
                        user_id=member.slack_user_id,
                        name=member.display_name or member.slack_user_id,
                        roles=tuple(str(role) for role in member.roles or ()),
                        stage=member.stage,
                        program=current.name,
                        status=state,
                        placements=tuple(placements.get(member_id, ())),
                        meetings=tally.meetings,
                        last_met=tally.last_met,
                        check_ins=tally.check_ins,
                        change_reasons=tuple(asked.get((current.id, member_id), ())),
                        asked_for_change=(current.id, member_id) in asked,
                    )
                )
        return entries

    def relationship_rows(self, program: Program | None = None) -> list[RelationshipRow]:
        """Every circle and mentorship of the program (every program when None), ended ones too."""
        self._tally()
        rows: list[RelationshipRow] = []
        grouped = self._relationships(live_only=False)
        for current in self.programs(program):
            for relationship in grouped.get(current.id, []):
                tally = self._groups.get(relationship.id, _Tally())
                rows.append(
                    RelationshipRow(
                        id=relationship.id,
                        program=current.name,
                        kind=relationship.kind,
                        label=relationship.label,
                        people=tuple(
                            (
                                link.member.slack_user_id,
                                link.member.display_name or link.member.slack_user_id,
                                link.role,
                            )
                            for link in relationship.members
                        ),
                        live=relationship.is_live,
                        started_on=local_day(relationship.created_at, self.zone),
                        meetings=tally.meetings,
                        last_met=tally.last_met,
                        check_ins=tally.check_ins,
                    )
                )
        return rows
