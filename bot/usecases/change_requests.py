"""Members asking, privately, for a different mentor or circle (`/mentor change`, the Home's button).

A request is stored once per member and relationship (asking again updates it), audited without its
reason, and noticed once for the coordinators, who read the reason in the roster only. The next round
of the program, or `/mentor admin rematch`, keeps the member apart from the people they asked to leave
(`MatchingService.load_pool` and `ManualMatches` read the open requests) and marks the request done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.change_requests import MAX_REASON, ReasonTooLong, read_reason
from bot.domain.text import join_labels, shorten
from bot.matching_service import Proposal
from bot.usecases.deps import Deps
from bot.usecases.notices import Notices
from bot.usecases.unit_of_work import MemberUnit, UnitOfWork
from storage.change_requests import OPEN, ChangeRequestRepository
from storage.models import Program, Relationship

AUDIT_ACTION = "change_request"
WHICH_BLOCK = "change_which"
REASON_BLOCK = "change_reason"
NOTHING_TO_CHANGE = (
    "You aren't in a circle or with a mentor right now, so there's nothing to change yet. "
    "Once you're matched, `/mentor change` lets you ask for a different one."
)
NOT_YOURS = "That circle or mentorship has ended or isn't yours any more. Please choose another."
TOO_LONG = f"Please keep the reason to {MAX_REASON} characters or fewer."
SAVED = {
    "mentorship": (
        "Thanks for telling me. I've passed your request on to your coordinators, privately: your mentor "
        "isn't told, and only your coordinators can read your reason. Your mentorship carries on for now. "
        "When your coordinators rematch you, or the next round is matched, you'll get a different mentor "
        "as soon as one has room.\n\n"
        "Would you rather choose one yourself? `/mentor change mentor` shows the three mentors who suit "
        "you best."
    ),
    "circle": (
        "Thanks for telling me. I've passed your request on to your coordinators, privately: your circle "
        "isn't told, and only your coordinators can read your reason. Your circle carries on for now. "
        "When your coordinators rematch you, or the next round is matched, you'll be in a circle "
        "without the people in this one, as soon as one has room."
    ),
}
CHOOSE_HINT = " Would you like a mentor now? `/mentor change mentor` lets you choose one yourself."
UPDATED = "I've updated your request. Your coordinators see the latest version, and nobody else does."


@dataclass(frozen=True)
class ChangeOption:
    relationship_id: int
    label: str
    """Plain text for the modal's menu (no mentions: menus don't show them)."""


@dataclass(frozen=True)
class ChangeForm:
    options: tuple[ChangeOption, ...]
    chosen: int | None = None


@dataclass(frozen=True)
class ChangeRefused:
    """Nothing was saved: what to say, by the modal block it is about."""

    errors: dict[str, str]


@dataclass(frozen=True)
class ChangeSaved:
    message: str
    kind: str
    new: bool


def asked_apart(uow: UnitOfWork, member_id: int, kind: str) -> set[str]:
    """Everyone the member asked, in an open request, not to be grouped with again in a `kind`."""
    requests = ChangeRequestRepository(uow.session, uow.workspace_id).open_for(member_id, kind)
    return {user_id for request in requests for user_id in request.avoid_user_ids}


def honour(uow: UnitOfWork, member_id: int, kind: str, at: datetime) -> int:
    """Mark the member's open requests for a different `kind` done: a new match replaced the old one."""
    repository = ChangeRequestRepository(uow.session, uow.workspace_id)
    return repository.done(repository.open_for(member_id, kind), at)


def honoured_by_round(uow: UnitOfWork, program: Program, proposal: Proposal, at: datetime) -> int:
    """Once a round is published: the open requests of everyone it placed in a new group are done."""
    kind = "circle" if proposal.kind == "circles" else "mentorship"
    placed = {uid for group in proposal.groups if not group.kept for uid, _ in group.members}
    repository = ChangeRequestRepository(uow.session, uow.workspace_id)
    honoured = [
        request
        for request in repository.open(program.id, include_unassigned=program.is_default, kind=kind)
        if request.member.slack_user_id in placed
    ]
    return repository.done(honoured, at)


class ChangeRequests:
    def __init__(self, deps: Deps, notices: Notices) -> None:
        self.deps = deps
        self.notices = notices

    def form(self, uow: MemberUnit, relationship_id: int | None = None) -> ChangeForm | str:
        """The modal's choices: each live circle or mentorship the member is a mentee or peer in."""
        options = tuple(
            ChangeOption(relationship.id, self._label(uow, relationship))
            for relationship in self._changeable(uow)
        )
        if not options:
            return NOTHING_TO_CHANGE + (CHOOSE_HINT if "mentee" in (uow.member.roles or []) else "")
        ids = [option.relationship_id for option in options]
        chosen = relationship_id if relationship_id in ids else (ids[0] if len(ids) == 1 else None)
        return ChangeForm(options, chosen)

    def submit(self, uow: MemberUnit, which: str, reason: str | None) -> ChangeSaved | ChangeRefused:
        """Save the request (or update the open one for the same relationship); nothing when refused."""
        read = read_reason(reason)
        if isinstance(read, ReasonTooLong):
            return ChangeRefused({REASON_BLOCK: TOO_LONG})
        relationship = next(
            (r for r in self._changeable(uow) if which.strip().isdigit() and r.id == int(which)), None
        )
        if relationship is None:
            return ChangeRefused({WHICH_BLOCK: NOT_YOURS})
        member = uow.member
        now = self.deps.clock()
        repository = ChangeRequestRepository(uow.session, uow.workspace_id)
        others = [
            link.member.slack_user_id
            for link in sorted(relationship.members, key=lambda link: link.id)
            if link.member_id != member.id
        ]
        existing = repository.for_relationship(member.id, relationship.id)
        if existing is not None:
            if read.text:
                existing.reason = read.text
            existing.status, existing.done_at, existing.updated_at = OPEN, None, now
            existing.avoid_user_ids = others
            return ChangeSaved(UPDATED, existing.kind, False)
        program = self._program(uow, relationship)
        request = repository.add(
            member.id, relationship.id, program.id, relationship.kind, others, read.text, now
        )
        uow.audit_log.record(
            member.slack_user_id, AUDIT_ACTION, f"{relationship.kind} {program.name}", "ok", now
        )
        self.notices.change_requested(uow, program, request.id, member.slack_user_id, relationship.kind, now)
        return ChangeSaved(SAVED[relationship.kind], relationship.kind, True)

    def _changeable(self, uow: MemberUnit) -> list[Relationship]:
        return [
            relationship
            for relationship in uow.relationships.active_for(uow.member.id)
            if any(
                link.member_id == uow.member.id and link.role in ("mentee", "peer")
                for link in relationship.members
            )
        ]

    def _program(self, uow: UnitOfWork, relationship: Relationship) -> Program:
        return self.deps.matching.program(uow.session, uow.workspace_id, relationship.program_id)

    def _label(self, uow: MemberUnit, relationship: Relationship) -> str:
        others = [
            link.member.display_name or link.member.slack_user_id
            for link in sorted(relationship.members, key=lambda link: link.id)
            if link.member_id != uow.member.id and (relationship.kind == "circle" or link.role == "mentor")
        ]
        what = "Your circle with" if relationship.kind == "circle" else "Your mentorship with"
        program = self._program(uow, relationship).name
        return shorten(f"{what} {join_labels(others)} ({program})", 75)
