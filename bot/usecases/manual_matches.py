"""Coordinators fixing matches by hand: pair a mentee with a mentor, move a peer into another circle, end
a circle or mentorship.

Every change respects mentors' capacity, circles' largest size and every do-not-match list (either
way round); a list is never named: refusals because of one read the same as any other "can't". A change
queues introductions only for the group it changed (through the introductions machinery, once), tells
those whose group ended or lost someone with a short kind note, and keeps the program's open previews
from being published, since they were made before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from bot.domain.matching import Person, add_late_joiners, add_late_mentees
from bot.domain.members.state import MemberStatus
from bot.domain.programs import ProgramSettings
from bot.domain.vocabulary import join_labels
from bot.matching_service import Pool
from bot.usecases.change_requests import asked_apart, honour
from bot.usecases.deps import Deps
from bot.usecases.introductions import queue_introductions
from bot.usecases.unit_of_work import UnitOfWork
from storage.models import Member, MemberAvoid, Program, Relationship, RelationshipMember

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
PAIR_USAGE = "Use `/mentor admin pair @mentee @mentor`, for example `/mentor admin pair @ana @dr.mo`."
MOVE_USAGE = (
    "Use `/mentor admin move @member to @someone`: the member joins the circle that @someone is in "
    "(and leaves their own)."
)
END_USAGE = "Use `/mentor admin end @someone @someone-else`: it ends the circle or mentorship they share."
NOT_TAKING_PART = "<@{user}> isn't taking part in Mentor Circles right now, so I haven't changed anything."
NOT_A = "<@{user}> hasn't signed up as a {role}, so I haven't changed anything."
NO_SHARED_PROGRAM = "<@{mentee}> and <@{mentor}> aren't in a mentoring program together."
CANT_PAIR = (
    "I can't make this match right now (a mentor may have no room left, for example). "
    "Please choose another mentor for <@{mentee}>."
)
CANT_MOVE = (
    "I can't move <@{member}> into that circle right now (it may be full, for example). "
    "Please choose another circle."
)
"""The one refusal for a full mentor or circle and for a confidential do-not-match list (either way
round), as the preview shows everyone left out the same way: a coordinator can't tell a list from a
full mentor or circle."""
HAS_MENTOR = (
    "<@{mentee}> already has a mentor in {program}. End that mentorship first with "
    "`/mentor admin end @mentee @mentor`, then pair them again."
)
ALREADY_PAIRED = "<@{mentee}> and <@{mentor}> are already a mentorship."
PAIRED = "Paired <@{mentee}> with <@{mentor}> in {program}: their introduction is on its way."
NO_CIRCLE = "<@{user}> isn't in a circle right now, so there is no circle to move into."
ALREADY_THERE = "<@{member}> is already in that circle."
MOVED = "Moved <@{member}> into the circle with {others}: the circle's introduction is on its way."
NOTHING_SHARED = "<@{a}> and <@{b}> aren't in a circle or mentorship together right now."
ENDED = "Ended the {what} of {people}. Each of them gets a short note from me."
ENDED_NOTE = (
    "Hi! Your {what} with {others} has come to a close. Thank you for the time you gave each other. "
    "Your coordinators can help with what comes next, and `/mentor` is here whenever you need it."
)
LEFT_CIRCLE_NOTE = (
    "Hi! <@{member}> has moved to another circle. Yours carries on as before: keep meeting, "
    "and log meetings with `/mentor met`."
)
MANUAL_REASON = "matched by your coordinator"
REMATCH_USAGE = "Use `/mentor admin rematch @member`: a new mentor, or another circle, for them alone."
NO_NEW_PLACE = (
    "I couldn't find a new match for <@{user}> right now, so I haven't changed anything. "
    "You can pair them by hand, or try again once more people have joined."
)
REMATCHED_MENTEE = "Rematched <@{user}> with {mentors}: their introduction is on its way."
REMATCHED_PEER = "Moved <@{user}> into the circle with {others}: the circle's introduction is on its way."


@dataclass(frozen=True)
class FixReply:
    """What the coordinator is told; `changed` is False when nothing was changed."""

    message: str
    changed: bool = False


def mention_list(user_ids: list[str]) -> str:
    return join_labels([f"<@{user_id}>" for user_id in user_ids])


def mentioned(text: str) -> list[str]:
    """The Slack user ids mentioned in what was typed, in order."""
    return MENTION.findall(text)


class ManualMatches:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def pair(self, uow: UnitOfWork, args: str) -> FixReply:
        """`/mentor admin pair @mentee @mentor`: a new mentorship in the program they share."""
        users = mentioned(args)
        if len(users) != 2:
            return FixReply(PAIR_USAGE)
        mentee_id, mentor_id = users
        mentee, mentor = self._member(uow, mentee_id), self._member(uow, mentor_id)
        for user_id, member, role in ((mentee_id, mentee, "mentee"), (mentor_id, mentor, "mentor")):
            if member is None:
                return FixReply(NOT_TAKING_PART.format(user=user_id))
            if role not in (member.roles or []):
                return FixReply(NOT_A.format(user=user_id, role=role))
        assert mentee is not None and mentor is not None
        program = self._shared_program(uow, [mentee, mentor], ("mentors", "teams"))
        if program is None:
            return FixReply(NO_SHARED_PROGRAM.format(mentee=mentee_id, mentor=mentor_id))
        uow.programs.lock(program.id)
        live = uow.rounds.active_relationships(
            "mentorship", program.id, include_unassigned=program.is_default
        )
        if any(_has(r, mentee_id, "mentee") and _has(r, mentor_id, "mentor") for r in live):
            return FixReply(ALREADY_PAIRED.format(mentee=mentee_id, mentor=mentor_id))
        if any(_has(r, mentee_id, "mentee") for r in live):
            return FixReply(HAS_MENTOR.format(mentee=mentee_id, program=program.name))
        if self.kept_apart(uow, mentee, [mentor]):
            return FixReply(CANT_PAIR.format(mentee=mentee_id))
        capacity = mentor.capacity or 1
        mentoring = [r for r in uow.rounds.active_relationships("mentorship") if _has(r, mentor_id, "mentor")]
        if len(mentoring) >= capacity:
            return FixReply(CANT_PAIR.format(mentee=mentee_id))
        self.start_mentorship(uow, program, mentee, [mentor], [MANUAL_REASON])
        return FixReply(PAIRED.format(mentee=mentee_id, mentor=mentor_id, program=program.name), True)

    def start_mentorship(
        self,
        uow: UnitOfWork,
        program: Program,
        mentee: Member,
        mentors: list[Member],
        reasons: list[str],
        replacing: list[Relationship] | None = None,
    ) -> Relationship:
        """A new mentorship in `program`, introduced once; the ones it replaces end with a kind note to
        the others in them. The caller has locked the program and checked capacity and lists."""
        told = self._close(uow, replacing or [], leaving=mentee.slack_user_id)
        settings = ProgramSettings.from_json(program.settings)
        cadence = settings.cadence_days or self.deps.matching.cadence([mentee], "mentorship")
        relationship = uow.rounds.add_relationship(
            None,
            "mentorship",
            [(mentee.id, "mentee"), *((mentor.id, "mentor") for mentor in mentors)],
            reasons,
            cadence,
            created_at=self.deps.clock(),
        )
        relationship.program_id = program.id
        honour(uow, mentee.id, "mentorship", self.deps.clock())
        people = [mentee.slack_user_id, *(mentor.slack_user_id for mentor in mentors), *told]
        self._changed(uow, program, [relationship], people)
        return relationship

    def move(self, uow: UnitOfWork, args: str) -> FixReply:
        """`/mentor admin move @member to @someone`: into the circle @someone is in, out of their own."""
        users = mentioned(args)
        if len(users) != 2:
            return FixReply(MOVE_USAGE)
        member_id, anchor_id = users
        member = self._member(uow, member_id)
        if member is None:
            return FixReply(NOT_TAKING_PART.format(user=member_id))
        if "peer" not in (member.roles or []):
            return FixReply(NOT_A.format(user=member_id, role="peer"))
        target = next(iter(self._live_with(uow, "circle", [anchor_id])), None)
        if target is None:
            return FixReply(NO_CIRCLE.format(user=anchor_id))
        if _has(target, member_id):
            return FixReply(ALREADY_THERE.format(member=member_id))
        program = self.deps.matching.program(uow.session, uow.workspace_id, target.program_id)
        if member.id not in uow.programs.member_ids(program):
            return FixReply(CANT_MOVE.format(member=member_id))
        uow.programs.lock(program.id)
        settings = ProgramSettings.from_json(program.settings)
        if len(target.members) >= settings.max_size:
            return FixReply(CANT_MOVE.format(member=member_id))
        circle_mates = [link.member for link in target.members]
        if self.kept_apart(uow, member, circle_mates):
            return FixReply(CANT_MOVE.format(member=member_id))
        self._into_circle(uow, program, member, target)
        others = mention_list([mate.slack_user_id for mate in circle_mates])
        return FixReply(MOVED.format(member=member_id, others=others), True)

    def rematch(self, uow: UnitOfWork, args: str) -> FixReply:
        """`/mentor admin rematch @member`: a new mentor, or another circle, for one person only.

        Nothing changes unless a new place is found: the engine places them as it places late joiners
        (everyone else stays where they are), never with whom they had, and within capacity and lists.
        """
        users = mentioned(args)
        if len(users) != 1:
            return FixReply(REMATCH_USAGE)
        (user_id,) = users
        member = self._member(uow, user_id)
        if member is None:
            return FixReply(NOT_TAKING_PART.format(user=user_id))
        current = uow.relationships.active_for(member.id)
        mentorships = [r for r in current if _has(r, user_id, "mentee")]
        circles = [r for r in current if r.kind == "circle"]
        roles = member.roles or []
        if mentorships or ("mentee" in roles and not circles):
            return self._new_mentor(uow, member, mentorships)
        if circles or "peer" in roles:
            return self._new_circle(uow, member, circles)
        return FixReply(NOT_A.format(user=user_id, role="mentee or peer"))

    def _rematch_pool(
        self, uow: UnitOfWork, member: Member, old: list[Relationship], kinds: tuple[str, ...]
    ) -> tuple[Program, Pool, Person] | FixReply:
        """The program a rematch happens in (the old match's, else one of `kinds` they share), locked,
        with its pool and the member in it."""
        user_id = member.slack_user_id
        program = (
            self.deps.matching.program(uow.session, uow.workspace_id, old[0].program_id)
            if old
            else self._shared_program(uow, [member], kinds)
        )
        if program is None:
            return FixReply(NO_NEW_PLACE.format(user=user_id))
        uow.programs.lock(program.id)
        pool = self.deps.matching.load_pool(uow.session, uow.workspace_id, program.id)
        person = pool.people.get(user_id)
        if person is None:
            return FixReply(NOT_TAKING_PART.format(user=user_id))
        return program, pool, person

    def _new_mentor(self, uow: UnitOfWork, member: Member, old: list[Relationship]) -> FixReply:
        user_id = member.slack_user_id
        found_pool = self._rematch_pool(uow, member, old, ("mentors", "teams"))
        if isinstance(found_pool, FixReply):
            return found_pool
        program, pool, person = found_pool
        had = {uid for r in old for uid in _with_role(r, "mentor")} | asked_apart(
            uow, member.id, "mentorship"
        )
        load = [
            (mentee, mentor)
            for r in uow.rounds.active_relationships("mentorship")
            for mentee in _with_role(r, "mentee")
            for mentor in _with_role(r, "mentor")
            if mentee != user_id
        ]
        settings = ProgramSettings.from_json(program.settings)
        found = add_late_mentees(
            [person],
            pool.with_role("mentor"),
            load,
            teams=settings.kind == "teams",
            forbidden_pairs=[(user_id, mentor) for mentor in had],
        )
        if not found.matches:
            return FixReply(NO_NEW_PLACE.format(user=user_id))
        match = found.matches[0]
        mentors = [pool.members[uid] for uid in match.mentors]
        self.start_mentorship(uow, program, member, mentors, list(match.reasons), old)
        return FixReply(
            REMATCHED_MENTEE.format(user=user_id, mentors=mention_list(list(match.mentors))), True
        )

    def _new_circle(self, uow: UnitOfWork, member: Member, old: list[Relationship]) -> FixReply:
        user_id = member.slack_user_id
        found_pool = self._rematch_pool(uow, member, old, ("circles",))
        if isinstance(found_pool, FixReply):
            return found_pool
        program, pool, person = found_pool
        settings = ProgramSettings.from_json(program.settings)
        others = [
            circle
            for circle in uow.rounds.active_relationships("circle", program.id, program.is_default)
            if not _has(circle, user_id)
        ]
        had = {uid for r in old for uid in _with_role(r, "peer") if uid != user_id} | asked_apart(
            uow, member.id, "circle"
        )
        found = add_late_joiners(
            [_with_role(circle, "peer") for circle in others],
            [person],
            pool.people.values(),
            size=settings.circle_size_bounds,
            history=pool.history,
            forbidden_pairs=[(user_id, mate) for mate in had],
        )
        placed = [index for joiner, index in found.added if joiner == user_id and index < len(others)]
        if not placed:
            return FixReply(NO_NEW_PLACE.format(user=user_id))
        target = others[placed[0]]
        mates = [link.member.slack_user_id for link in target.members]
        self._into_circle(uow, program, member, target)
        honour(uow, member.id, "circle", self.deps.clock())
        return FixReply(REMATCHED_PEER.format(user=user_id, others=mention_list(mates)), True)

    def _into_circle(self, uow: UnitOfWork, program: Program, member: Member, target: Relationship) -> None:
        """Move `member` out of their circles (the others there are told) into `target`, introduced anew."""
        member_id = member.slack_user_id
        left_behind: list[str] = []
        for old in self._live_with(uow, "circle", [member_id]):
            old.members = [link for link in old.members if link.member.slack_user_id != member_id]
            stayed = [link.member.slack_user_id for link in old.members]
            left_behind += stayed
            for user_id in stayed:
                self.deps.effects.send_dm(
                    uow.session,
                    uow.workspace_id,
                    user_id,
                    LEFT_CIRCLE_NOTE.format(member=member_id),
                    key=f"moved_out:{old.id}:{member_id}:{user_id}",
                )
        target.members.append(RelationshipMember(member_id=member.id, role="peer"))
        target.intro_ts, target.intro_channel, target.intro_claimed_at = None, None, None
        uow.session.flush()
        self._changed(uow, program, [target], [member_id, *left_behind])

    def _close(self, uow: UnitOfWork, relationships: list[Relationship], leaving: str = "") -> list[str]:
        """End each relationship; everyone in it but `leaving` gets the kind note. Who was told."""
        told: list[str] = []
        for relationship in relationships:
            relationship.ended_at = self.deps.clock()
            links = sorted(relationship.members, key=lambda link: link.id)
            people = [link.member.slack_user_id for link in links]
            what = "circle" if relationship.kind == "circle" else "mentorship"
            for user_id in people:
                if user_id == leaving:
                    continue
                others = mention_list([uid for uid in people if uid != user_id])
                self.deps.effects.send_dm(
                    uow.session,
                    uow.workspace_id,
                    user_id,
                    ENDED_NOTE.format(what=what, others=others),
                    key=f"ended:{relationship.id}:{user_id}",
                )
                told.append(user_id)
        return told

    def end(self, uow: UnitOfWork, args: str) -> FixReply:
        """`/mentor admin end @a @b`: the circle or mentorship both are in ends; everyone in it is told."""
        users = mentioned(args)
        if len(users) != 2:
            return FixReply(END_USAGE)
        shared = self._live_with(uow, None, users)
        if not shared:
            return FixReply(NOTHING_SHARED.format(a=users[0], b=users[1]))
        relationship = shared[0]
        program = self.deps.matching.program(uow.session, uow.workspace_id, relationship.program_id)
        uow.programs.lock(program.id)
        people = self._close(uow, [relationship])
        what = "circle" if relationship.kind == "circle" else "mentorship"
        self._changed(uow, program, [], people)
        return FixReply(ENDED.format(what=what, people=mention_list(people)), True)

    def _member(self, uow: UnitOfWork, user_id: str) -> Member | None:
        member = uow.members.find(user_id)
        if member is None or not member.has_joined or member.status != MemberStatus.ACTIVE:
            return None
        return member

    def _shared_program(
        self, uow: UnitOfWork, members: list[Member], kinds: tuple[str, ...]
    ) -> Program | None:
        """The first program everyone takes part in that matches one of `kinds` (the default program,
        which matches every kind, last)."""
        shared = [
            program
            for program in uow.programs.all()
            if all(member.id in uow.programs.member_ids(program) for member in members)
        ]
        fitting = [
            p for p in shared if not p.is_default and ProgramSettings.from_json(p.settings).kind in kinds
        ]
        return next(iter(fitting or [p for p in shared if p.is_default]), None)

    def kept_apart(self, uow: UnitOfWork, member: Member, others: list[Member]) -> bool:
        """Whether a do-not-match list, either way round, keeps `member` from any of `others`."""
        other_ids = {other.id for other in others}
        other_users = {other.slack_user_id for other in others}
        rows = uow.session.execute(
            select(MemberAvoid.member_id, MemberAvoid.avoided_user_id).where(
                MemberAvoid.workspace_id == uow.workspace_id,
                MemberAvoid.member_id.in_(other_ids | {member.id}),
            )
        )
        return any(
            (owner == member.id and avoided in other_users)
            or (owner in other_ids and avoided == member.slack_user_id)
            for owner, avoided in rows
        )

    def _live_with(self, uow: UnitOfWork, kind: str | None, user_ids: list[str]) -> list[Relationship]:
        """Live relationships (of `kind`, or any) that everyone in `user_ids` is in."""
        members = [uow.members.find(user_id) for user_id in user_ids]
        if any(member is None for member in members):
            return []
        first = members[0]
        assert first is not None
        return [
            relationship
            for relationship in uow.relationships.active_for(first.id)
            if (kind is None or relationship.kind == kind)
            and all(_has(relationship, uid) for uid in user_ids)
        ]

    def _changed(
        self, uow: UnitOfWork, program: Program, introduce: list[Relationship], user_ids: list[str]
    ) -> None:
        uow.rounds.overtake_drafts(program.id)
        queue_introductions(self.deps.effects, uow.session, uow.workspace_id, [r.id for r in introduce])
        self.deps.effects.refresh_homes(uow.session, uow.workspace_id, user_ids)


def _with_role(relationship: Relationship, role: str) -> list[str]:
    return [link.member.slack_user_id for link in relationship.members if link.role == role]


def _has(relationship: Relationship, user_id: str, role: str | None = None) -> bool:
    return any(
        link.member.slack_user_id == user_id and (role is None or link.role == role)
        for link in relationship.members
    )
