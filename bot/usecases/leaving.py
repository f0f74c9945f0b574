"""`/mentor leave [PROGRAM]`: leaving one program while staying in the others.

Someone in one program leaves Mentor Circles as before (their own status becomes "left", after a
confirmation). Someone in several is asked which program, or names it. Leaving one program ends their
enrollment there and takes them out of that program's live circles and mentorships only; the people
left behind get one short note each through the effects queue, and a circle that falls below its
program's minimum reaches the coordinators through their below-minimum notice on the next tick.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.members.slack_text import typed
from bot.domain.members.state import MemberStatus
from bot.domain.relationships import can_still_run
from bot.domain.vocabulary import join_labels
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import MemberUnit
from storage.models import Member, Program, Relationship

LEFT = "You've left Mentor Circles: no more matches or reminders. Come back any time with `/mentor join`."
NOTHING_TO_LEAVE = "You're not in the program right now, so there's nothing to leave."
ASK_WHICH = "Which program would you like to leave? You're in {programs}."
UNKNOWN_PROGRAM = "I don't know a program called “{name}”. {yours}, so nothing has changed."
NOT_IN_PROGRAM = "You're not in {program}, so there's nothing to leave there. {yours}."
YOURS = "You're in {programs}"
NONE_OF_YOURS = "You're not in any program right now"
LEFT_ONE = "You've left {program}: no more matches or reminders from it. You're still in {others}."
CARRIES_ON = "Hi! <@{member}> has stepped back from {program}. Your {what} carries on as before."
CLOSED = (
    "Hi! <@{member}> has stepped back from {program}, so your {what} there has come to a close. "
    "Thank you for the time you gave it. Your coordinators can help with what comes next."
)
RELATIONSHIP_KINDS = ("circle", "mentorship")


@dataclass(frozen=True)
class LeaveOffer:
    """What `/mentor leave` answers: a plain `message`, the confirmation to leave everything
    (`can_leave`), or a choice among the member's programs (`choices`, as (program id, name))."""

    can_leave: bool = False
    message: str = ""
    choices: tuple[tuple[int, str], ...] = ()


def leave_mentor_circles(member: Member) -> None:
    """Leave every program at once: the member's own status says they have left."""
    member.status, member.paused_until = MemberStatus.LEFT, None


def names(programs: list[Program]) -> str:
    return join_labels([program.name for program in programs])


def yours(programs: list[Program]) -> str:
    return YOURS.format(programs=names(programs)) if programs else NONE_OF_YOURS


class Leaving:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def offer(self, unit: MemberUnit, named: str) -> LeaveOffer:
        """Answer `/mentor leave [PROGRAM]`: ask, confirm, or leave the program named."""
        if not unit.member.has_joined:
            return LeaveOffer(message=NOTHING_TO_LEAVE)
        mine = unit.programs.programs_of(unit.member)
        name = named.strip().strip("\"'“”")
        if not name:
            if len(mine) > 1:
                choices = tuple((program.id, program.name) for program in mine)
                return LeaveOffer(message=ASK_WHICH.format(programs=names(mine)), choices=choices)
            return LeaveOffer(can_leave=True)
        program = unit.programs.named(name)
        if program is None:
            return LeaveOffer(message=UNKNOWN_PROGRAM.format(name=typed(name, 60), yours=yours(mine)))
        if program not in mine:
            return LeaveOffer(message=NOT_IN_PROGRAM.format(program=program.name, yours=yours(mine)))
        if len(mine) == 1:
            return LeaveOffer(can_leave=True)
        return LeaveOffer(message=self._leave(unit, program, mine))

    def leave_program(self, unit: MemberUnit, program_value: str) -> str:
        """A program button from the "which program?" question; a stale or odd one changes nothing."""
        if not unit.member.has_joined:
            return NOTHING_TO_LEAVE
        mine = unit.programs.programs_of(unit.member)
        program = unit.programs.get(int(program_value)) if program_value.isdigit() else None
        if program is None or program not in mine:
            label = program.name if program is not None else "that program"
            return NOT_IN_PROGRAM.format(program=label, yours=yours(mine))
        if len(mine) == 1:
            leave_mentor_circles(unit.member)
            self.deps.effects.refresh_homes(unit.session, unit.workspace_id, [unit.member.slack_user_id])
            return LEFT
        return self._leave(unit, program, mine)

    def _leave(self, unit: MemberUnit, program: Program, mine: list[Program]) -> str:
        member = unit.member
        unit.programs.lock(program.id)
        if not unit.programs.leave(program, member, self.deps.clock()):
            others = [other for other in mine if other != program]
            return NOT_IN_PROGRAM.format(program=program.name, yours=yours(others))
        told: list[str] = []
        for relationship in self._live_in(unit, program):
            told += self._step_out(unit, program, relationship)
        self.deps.effects.refresh_homes(unit.session, unit.workspace_id, [member.slack_user_id, *told])
        others = [other for other in mine if other != program]
        return LEFT_ONE.format(program=program.name, others=names(others))

    def _live_in(self, unit: MemberUnit, program: Program) -> list[Relationship]:
        """The member's live circles and mentorships in `program` (the default one also owns those from
        before there were programs)."""
        member_id = unit.member.id
        return [
            relationship
            for kind in RELATIONSHIP_KINDS
            for relationship in unit.rounds.active_relationships(
                kind, program.id, include_unassigned=program.is_default
            )
            if any(link.member_id == member_id for link in relationship.members)
        ]

    def _step_out(self, unit: MemberUnit, program: Program, relationship: Relationship) -> list[str]:
        """Take the member out of one relationship, ending it if it cannot run without them; whom it told."""
        member = unit.member
        remaining = [link for link in relationship.members if link.member_id != member.id]
        relationship.members = remaining
        runs_on = can_still_run(relationship.kind, [link.role for link in remaining])
        if not runs_on:
            relationship.ended_at = self.deps.clock()
        what = "circle" if relationship.kind == "circle" else "mentorship"
        note = (CARRIES_ON if runs_on else CLOSED).format(
            member=member.slack_user_id, program=program.name, what=what
        )
        told = [link.member.slack_user_id for link in remaining if link.member.has_joined]
        for user_id in told:
            self.deps.effects.send_dm(
                unit.session,
                unit.workspace_id,
                user_id,
                note,
                key=f"stepped_back:{relationship.id}:{member.id}:{user_id}",
            )
        unit.session.flush()
        return told
