"""Mentees choosing their mentor among the engine's suggestions, and mentors accepting or declining.

A mentee without a mentor in a mentoring program (or who asked for a different one) sees the engine's
top three mentors with its reasons, within capacity (current and pending mentees count) and every
do-not-match list, never offered twice. Asking one queues a DM to the mentor with Accept and Decline.
Accepting starts the mentorship through `ManualMatches.start_mentorship` (introduced once, the old one
ended kindly); declining, or not answering within the program's `choice_response_days` (the clock's
`expire_due`), tells the mentee kindly and offers the next suggestions. A mentee waits on one mentor at
a time, and an offer is answered once: later clicks read "already answered".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.change_requests import Suggestion, Suggestions, respond_by
from bot.domain.matching.suggestions import suggest_mentors
from bot.domain.members import format_date, local_today
from bot.domain.members.state import MemberStatus
from bot.domain.programs import ProgramSettings
from bot.presentation.change_requests import offer_blocks, offer_text, suggestions_blocks
from bot.usecases.change_requests import asked_apart
from bot.usecases.deps import Deps
from bot.usecases.manual_matches import ManualMatches
from bot.usecases.unit_of_work import MemberUnit, UnitOfWork, workspace_unit
from storage.change_requests import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    PENDING,
    ChangeRequestRepository,
    MentorOfferRepository,
)
from storage.models import Member, MentorOffer, Program, Relationship

CHOOSE_USAGE = "Use `/mentor change` to ask for a different mentor or circle, or `/mentor change mentor` to choose a mentor yourself."
NOT_A_MENTEE = (
    "Choosing a mentor is for mentees. If you'd like one, add the mentee role with `/mentor profile`, "
    "then try again."
)
HAS_MENTOR = (
    "You already have a mentor. If it isn't working out, `/mentor change` lets you ask privately for a "
    "different one, and then you can choose your next mentor here."
)
NO_PROGRAM = "You aren't in a mentoring program right now, so there are no mentors to choose from yet."
WAITING = (
    "You've asked <@{mentor}> to be your mentor. They have until {day} to answer, and I'll message you "
    "as soon as they do."
)
INTRO = "Here are the mentors who suit you best in *{program}*, best first. Ask the one you'd like:"
NONE_LEFT = (
    "I don't have a mentor to suggest right now (everyone may be full). Your coordinators will match you "
    "at the next round, or sooner when someone has room."
)
ASKED = (
    "I've asked <@{mentor}>. They have until {day} to answer, and I'll message you as soon as they do. "
    "Meanwhile nothing else changes."
)
GONE = "That suggestion has changed (the mentor may have no room left), so I haven't asked them."
DECLINED_NOTE = (
    "<@{mentor}> can't take on a new mentee right now. That happens, and it says nothing about you."
)
EXPIRED_NOTE = "<@{mentor}> couldn't answer in time, so I've let that request go. No harm done."
NEXT = " Here are the next mentors who suit you best in *{program}*:"
ACCEPTED_NOTE = "Good news: <@{mentor}> said yes! Your introduction is on its way."
THANKS_ACCEPT = "Thank you! I've introduced you to <@{mentee}>."
THANKS_DECLINE = (
    "Thanks for letting me know. I'll tell <@{mentee}> kindly and suggest another mentor; they get no reason."
)
ALREADY_ANSWERED = "This request has already been answered (or its time ran out), so nothing changed."
NOT_YOURS = "This request was meant for someone else, so nothing changed."
NO_ROOM = (
    "You have no room for another mentee right now, so I haven't added <@{mentee}>. I'll tell them kindly "
    "and suggest someone else."
)
NO_LONGER = "<@{mentee}> has a mentor now, so there's nothing to answer. Thank you all the same!"


@dataclass(frozen=True)
class ChoiceReply:
    """What the member is told; with `suggestions`, the mentors to choose from as well."""

    message: str
    suggestions: Suggestions | None = None


class MentorChoice:
    def __init__(self, deps: Deps, manual: ManualMatches) -> None:
        self.deps = deps
        self.manual = manual

    def suggest(self, uow: MemberUnit) -> ChoiceReply:
        """`/mentor change mentor` and the Home's "Choose a mentor": the top suggestions, or why not."""
        member = uow.member
        if "mentee" not in (member.roles or []):
            return ChoiceReply(NOT_A_MENTEE)
        program = self._program(uow, member)
        if isinstance(program, str):
            return ChoiceReply(program)
        waiting = self._pending(uow, program, member)
        if waiting is not None:
            return ChoiceReply(WAITING.format(mentor=waiting.mentor.slack_user_id, day=self._day(waiting)))
        found = self._suggestions(uow, program, member)
        if not found.mentors:
            return ChoiceReply(NONE_LEFT)
        return ChoiceReply(INTRO.format(program=program.name), found)

    def suggest_by_dm(self, uow: MemberUnit) -> None:
        """The Home's "Choose a mentor": the same answer as `/mentor change mentor`, in a DM (a Home has
        nowhere to reply)."""
        reply = self.suggest(uow)
        blocks = suggestions_blocks(reply.message, reply.suggestions) if reply.suggestions else []
        self.deps.effects.send_dm(
            uow.session, uow.workspace_id, uow.member.slack_user_id, reply.message, blocks
        )

    def pick(self, uow: MemberUnit, value: str) -> ChoiceReply:
        """The mentee asked one suggested mentor: queue the mentor's question, if it still fits."""
        program_part, _, mentor_id = value.partition(":")
        member = uow.member
        program = uow.programs.get(int(program_part)) if program_part.isdigit() else None
        if program is None or "mentee" not in (member.roles or []):
            return ChoiceReply(GONE)
        uow.programs.lock(program.id)
        if self._program(uow, member, program) is not program:
            return ChoiceReply(HAS_MENTOR)
        waiting = self._pending(uow, program, member)
        if waiting is not None:
            return ChoiceReply(WAITING.format(mentor=waiting.mentor.slack_user_id, day=self._day(waiting)))
        found = self._suggestions(uow, program, member)
        chosen = next((s for s in found.mentors if s.user_id == mentor_id), None)
        mentor = uow.members.find(mentor_id)
        if chosen is None or mentor is None:
            return ChoiceReply(GONE, found if found.mentors else None)
        now = self.deps.clock()
        offer = MentorOfferRepository(uow.session, uow.workspace_id).add(
            program_id=program.id,
            mentee_id=member.id,
            mentor_id=mentor.id,
            reasons=list(chosen.reasons),
            offered_at=now,
            respond_by=respond_by(now, found.response_days),
        )
        text = offer_text(
            member.slack_user_id, program.name, member.stage, list(member.needs or []), found.response_days
        )
        self.deps.effects.send_dm(
            uow.session,
            uow.workspace_id,
            mentor.slack_user_id,
            text,
            offer_blocks(text, offer.id),
            key=f"choice_offer:{offer.id}",
        )
        return ChoiceReply(ASKED.format(mentor=mentor.slack_user_id, day=self._day(offer)))

    def answer(self, uow: MemberUnit, value: str, accept: bool) -> str:
        """The mentor's Accept or Decline: once per offer, by the mentor it was for."""
        repository = MentorOfferRepository(uow.session, uow.workspace_id)
        offer = repository.get(int(value), lock=True) if value.isdigit() else None
        if offer is None or offer.mentor_id != uow.member.id:
            return NOT_YOURS
        if offer.status != PENDING:
            return ALREADY_ANSWERED
        program = uow.programs.get(offer.program_id)
        assert program is not None
        uow.programs.lock(program.id)
        mentee, mentor = offer.mentee, offer.mentor
        offer.answered_at = self.deps.clock()
        if self._program(uow, mentee, program) is not program:
            offer.status = DECLINED
            return NO_LONGER.format(mentee=mentee.slack_user_id)
        if not accept:
            offer.status = DECLINED
            self._tell_mentee(uow, program, offer, DECLINED_NOTE)
            return THANKS_DECLINE.format(mentee=mentee.slack_user_id)
        if not self._has_room(uow, mentor) or self.manual.kept_apart(uow, mentee, [mentor]):
            offer.status = DECLINED
            self._tell_mentee(uow, program, offer, DECLINED_NOTE)
            return NO_ROOM.format(mentee=mentee.slack_user_id)
        offer.status = ACCEPTED
        replacing = self._mentorships(uow, program, mentee)
        relationship = self.manual.start_mentorship(
            uow, program, mentee, [mentor], [*offer.reasons, "chosen by the mentee"], replacing
        )
        offer.relationship_id = relationship.id
        self.deps.effects.send_dm(
            uow.session,
            uow.workspace_id,
            mentee.slack_user_id,
            ACCEPTED_NOTE.format(mentor=mentor.slack_user_id),
            key=f"choice_accepted:{offer.id}",
        )
        return THANKS_ACCEPT.format(mentee=mentee.slack_user_id)

    def expire_due(self, workspace_id: int, at: datetime) -> int:
        """For the clock: offers not answered in time lapse, and their mentees hear of the next mentors.
        Each in its own transaction, the offer's row locked, so clocks running at once expire it once."""
        with workspace_unit(self.deps.db, workspace_id) as uow:
            due = MentorOfferRepository(uow.session, workspace_id).overdue(at)
        expired = 0
        for offer_id in due:
            with workspace_unit(self.deps.db, workspace_id) as uow:
                offer = MentorOfferRepository(uow.session, workspace_id).get(offer_id, lock=True)
                if offer is None or offer.status != PENDING:
                    continue
                offer.status, offer.answered_at = EXPIRED, at
                program = uow.programs.get(offer.program_id)
                if program is not None:
                    uow.programs.lock(program.id)
                    self._tell_mentee(uow, program, offer, EXPIRED_NOTE)
                expired += 1
        return expired

    def _tell_mentee(self, uow: UnitOfWork, program: Program, offer: MentorOffer, note: str) -> None:
        """The kind note, with the next suggestions when there are any."""
        mentee = offer.mentee
        text = note.format(mentor=offer.mentor.slack_user_id)
        found = self._suggestions(uow, program, mentee)
        if mentee.status != MemberStatus.ACTIVE or not found.mentors:
            message, blocks = f"{text} {NONE_LEFT}", []
        else:
            message = text + NEXT.format(program=program.name)
            blocks = suggestions_blocks(message, found)
        self.deps.effects.send_dm(
            uow.session,
            uow.workspace_id,
            mentee.slack_user_id,
            message,
            blocks,
            key=f"choice_next:{offer.id}",
        )

    def _program(self, uow: UnitOfWork, member: Member, only: Program | None = None) -> Program | str:
        """The mentoring program the member may choose a mentor in: one without a live mentor for them,
        or where they asked for a different one (the program's own kind first, the default one last)."""
        enrolled = [
            program
            for program in ([only] if only is not None else uow.programs.all())
            if not program.is_archived and member.id in uow.programs.member_ids(program)
        ]
        fitting = [
            p
            for p in enrolled
            if p.is_default or ProgramSettings.from_json(p.settings).kind in ("mentors", "teams")
        ]
        fitting.sort(key=lambda program: program.is_default)
        if not fitting:
            return NO_PROGRAM
        asked = ChangeRequestRepository(uow.session, uow.workspace_id).open_for(member.id, "mentorship")
        for program in fitting:
            if not self._mentorships(uow, program, member) or any(
                request.program_id == program.id for request in asked
            ):
                return program
        return HAS_MENTOR

    def _mentorships(self, uow: UnitOfWork, program: Program, member: Member) -> list[Relationship]:
        """The member's live mentorships as a mentee in the program."""
        return [
            relationship
            for relationship in uow.rounds.active_relationships(
                "mentorship", program.id, include_unassigned=program.is_default
            )
            if any(link.member_id == member.id and link.role == "mentee" for link in relationship.members)
        ]

    def _pending(self, uow: UnitOfWork, program: Program, member: Member) -> MentorOffer | None:
        offers = MentorOfferRepository(uow.session, uow.workspace_id).of_mentee(program.id, member.id)
        return next((offer for offer in offers if offer.status == PENDING), None)

    def _suggestions(self, uow: UnitOfWork, program: Program, member: Member) -> Suggestions:
        settings = ProgramSettings.from_json(program.settings)
        pool = self.deps.matching.load_pool(uow.session, uow.workspace_id, program.id)
        person = pool.people.get(member.slack_user_id)
        offers = MentorOfferRepository(uow.session, uow.workspace_id)
        if person is None:
            return Suggestions(program.id, program.name, (), settings.choice_response_days)
        current = {
            link.member.slack_user_id
            for relationship in self._mentorships(uow, program, member)
            for link in relationship.members
            if link.role == "mentor"
        }
        asked = {offer.mentor.slack_user_id for offer in offers.of_mentee(program.id, member.id)}
        load = [
            (mentee.member.slack_user_id, mentor.member.slack_user_id)
            for relationship in uow.rounds.active_relationships("mentorship")
            for mentee in relationship.members
            if mentee.role == "mentee"
            for mentor in relationship.members
            if mentor.role == "mentor"
        ] + [(offer.mentee.slack_user_id, offer.mentor.slack_user_id) for offer in offers.pending()]
        found = suggest_mentors(
            person,
            [mentor for mentor in pool.with_role("mentor") if mentor.id != person.id],
            load,
            excluded=current | asked | asked_apart(uow, member.id, "mentorship"),
        )
        return Suggestions(
            program.id,
            program.name,
            tuple(
                Suggestion(
                    match.mentors[0],
                    pool.members[match.mentors[0]].display_name or match.mentors[0],
                    match.reasons,
                )
                for match in found
            ),
            settings.choice_response_days,
        )

    def _has_room(self, uow: UnitOfWork, mentor: Member) -> bool:
        mentoring = [
            relationship
            for relationship in uow.rounds.active_relationships("mentorship")
            if any(link.member_id == mentor.id and link.role == "mentor" for link in relationship.members)
        ]
        return len(mentoring) < (mentor.capacity or 1)

    def _day(self, offer: MentorOffer) -> str:
        return format_date(
            local_today(offer.respond_by, offer.mentee.tz or self.deps.settings.default_timezone)
        )
