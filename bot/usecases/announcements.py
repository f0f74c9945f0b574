"""Coordinators' announcements: one message to every active participant of a program, as a DM each.

The submitted modal's view id is recorded in the same transaction as the DMs are queued on the effects
queue, so a resubmitted (or retried) modal queues nothing new, and the effect workers post each DM once
(under a key naming the modal and the recipient), paced with everything else the app sends.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.domain.members.slack_text import escape
from bot.domain.members.state import MemberStatus
from bot.usecases.deps import Deps
from bot.usecases.reports import UnknownProgram
from bot.usecases.unit_of_work import UnitOfWork
from storage.announcements import AnnouncementRepository
from storage.models import Member, Program

MAX_LENGTH = 2000
"""Long enough for a real notice, short enough to read in a DM."""
HEADER = "*A message from your {program} coordinators*"


def announcement_text(program_name: str, text: str) -> str:
    """The DM: a one-line header naming the program, then the coordinator's words exactly as written,
    escaped so no mention, broadcast or link can form from them."""
    return f"{HEADER.format(program=escape(program_name))}\n{escape(text.strip())}"


@dataclass(frozen=True)
class AnnouncementDraft:
    """The program an announcement will go to, and how many active participants it reaches now."""

    program_id: int
    program_name: str
    recipients: int


@dataclass(frozen=True)
class AnnouncementSent:
    program_name: str
    recipients: int
    newly_queued: int
    """How many DMs this submission queued: 0 when the same modal was already sent."""


class Announcements:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def draft(self, uow: UnitOfWork, program_name: str) -> AnnouncementDraft | UnknownProgram:
        """The program named (the default one when no name is given) with its audience's size."""
        name = " ".join(program_name.split())
        program = uow.programs.named(name) if name else uow.programs.default()
        if program is None:
            return UnknownProgram(name, tuple(p.name for p in uow.programs.all()))
        return AnnouncementDraft(program.id, program.name, len(self._audience(uow, program)))

    def draft_for(self, uow: UnitOfWork, program_id: int) -> AnnouncementDraft | None:
        """The same draft for a program chosen by id (a Home button); None when it is gone or archived."""
        program = uow.programs.get(program_id)
        if program is None or program.is_archived:
            return None
        return AnnouncementDraft(program.id, program.name, len(self._audience(uow, program)))

    def send(
        self, uow: UnitOfWork, program_id: int, submission_id: str, text: str
    ) -> AnnouncementSent | None:
        """Queue `text` for each active participant, once per `submission_id`; None when the program is gone."""
        program = uow.programs.get(program_id)
        if program is None:
            return None
        audience = self._audience(uow, program)
        sent = AnnouncementRepository(uow.session, uow.workspace_id)
        if not sent.record(program.id, submission_id, len(audience)):
            return AnnouncementSent(program.name, sent.recipients_of(submission_id), 0)
        dm_text = announcement_text(program.name, text)
        for user_id in audience:
            self.deps.effects.send_dm(
                uow.session, uow.workspace_id, user_id, dm_text, key=f"announce:{submission_id}:{user_id}"
            )
        return AnnouncementSent(program.name, len(audience), len(audience))

    @staticmethod
    def _audience(uow: UnitOfWork, program: Program) -> list[str]:
        """The Slack ids of the program's active participants (its standings: never paused or left)."""
        active = [
            member_id
            for member_id, state in uow.programs.standings(program).items()
            if state == MemberStatus.ACTIVE
        ]
        if not active:
            return []
        return list(
            uow.session.scalars(
                select(Member.slack_user_id)
                .where(
                    Member.workspace_id == uow.workspace_id,
                    Member.id.in_(active),
                    Member.joined_at.is_not(None),
                )
                .order_by(Member.id)
            )
        )
