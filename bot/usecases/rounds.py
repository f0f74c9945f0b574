"""Matching rounds for coordinators: preview, publish with introductions, settings of programs.

A round is previewed as a draft (stored with its proposal and seed), then published: its relationships
are created and their introductions queued in the same transaction, so a round is never published
without them. Publishing a round again creates nothing and queues only introductions still missing.

Someone left out because of their own do-not-match list is told so privately, in a DM queued when the
round is published (never at preview). Coordinators only ever see that they were not placed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.members import local_today
from bot.domain.programs import (
    InvalidSettings,
    ProgramSettings,
    round_window,
    settings_from_form,
    valid_program_name,
)
from bot.matching_service import Proposal
from bot.usecases.deps import Deps
from bot.usecases.introductions import queue_introductions
from bot.usecases.programs import (
    ProgramLine,
    ProgramReply,
    SettingsForm,
    SettingsSaved,
    program_line,
    program_lines,
)
from bot.usecases.unit_of_work import UnitOfWork, workspace_unit
from storage.models import Program

logger = logging.getLogger(__name__)

AUTO_PUBLISHER = "auto-publish"
"""`created_by` of the rounds the clock publishes on its own."""
PROGRAM_USAGE = (
    "Use `/mentor admin program list`, `add NAME`, `show NAME` or `edit NAME` "
    "(for example `/mentor admin program add PGY-1 peer circles`)."
)
PROGRAM_NAME_NEEDED = "Give the new program a name, for example `/mentor admin program add Research teams`."
PROGRAM_EXISTS = "There is already a program called “{name}”. Try `/mentor admin program edit {name}`."
PROGRAM_NOT_FOUND = "I couldn't find a program called “{name}”. `/mentor admin program list` shows them all."
PROGRAM_GONE = "This program no longer exists."
NO_DRAFT = "There is no preview to publish yet. Run `/mentor admin match preview {kind}` first."
LEFT_OUT_BY_OWN_LIST = {
    "circles": (
        "Hi! You weren't placed in a peer circle this round. So many of the people taking part this time "
        "are on your do-not-match list that no circle could keep you apart from them, and I'll never put "
        "you with someone you asked to avoid."
    ),
    "mentors": (
        "Hi! You weren't matched with a mentor this round, because every mentor available right now is "
        "on your do-not-match list, and I'll never match you with someone you asked to avoid."
    ),
}
LEFT_OUT_FOOTER = (
    "\n\nYour list stays private: your coordinators only see that you weren't placed, not why. "
    "I'll try again next round as new people join, and you can look over your list any time with "
    "`/mentor profile`."
)
"""The private note for a member left out because of their own list (and for nobody else)."""


@dataclass(frozen=True)
class RoundPreview:
    """A draft round and the matches it proposes; `seed` is the one a reshuffle moves on from."""

    round_id: int
    proposal: Proposal
    seed: int


@dataclass(frozen=True)
class RoundPublished:
    round_id: int
    kind: str
    relationships: int
    queued: int
    """Introductions queued by this call (already-sent ones are never queued again)."""
    newly_published: bool

    @property
    def again(self) -> bool:
        """Nothing happened: the round had been published and every introduction queued before."""
        return not self.newly_published and not self.queued


@dataclass(frozen=True)
class NoDraft:
    kind: str

    @property
    def message(self) -> str:
        return NO_DRAFT.format(kind=self.kind)


class Rounds:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.matching = deps.matching

    def preview(
        self, uow: UnitOfWork, kind: str, seed: int, created_by: str, program_id: int | None = None
    ) -> RoundPreview:
        """A new draft round of `kind` for the program (the default one when None)."""
        round_id, proposal = self.matching.preview(
            uow.session, uow.workspace_id, kind, seed, created_by, program_id=program_id
        )
        return RoundPreview(round_id, proposal, seed)

    def reshuffle(self, uow: UnitOfWork, kind: str, seed: int, created_by: str) -> RoundPreview:
        """Another draft, matched with the seed after the one the coordinator saw."""
        return self.preview(uow, kind, seed + 1, created_by)

    def publish(self, uow: UnitOfWork, round_id: int) -> RoundPublished:
        """Publish the round and queue its introductions, in the unit's transaction.

        Raises `LookupError` when the workspace has no round with this id.
        """
        published = self.matching.publish(uow.session, uow.workspace_id, round_id)
        rounds = uow.rounds
        stored = rounds.get(round_id)
        if stored is None:
            raise LookupError(round_id)
        pending = [relationship.id for relationship in rounds.unintroduced(round_id)]
        queued = queue_introductions(self.deps.effects, uow.session, uow.workspace_id, pending)
        for user_id in published.left_out_by_own_list:
            self.deps.effects.send_dm(
                uow.session,
                uow.workspace_id,
                user_id,
                left_out_text(stored.kind),
                key=f"left_out:{round_id}:{user_id}",
            )
        return RoundPublished(
            round_id, stored.kind, len(published.relationship_ids), queued, published.newly_published
        )

    def publish_latest(self, uow: UnitOfWork, kind: str) -> RoundPublished | NoDraft:
        """Publish the latest draft of `kind` (`/mentor admin match publish`)."""
        draft = uow.rounds.latest(kind, "draft")
        return self.publish(uow, draft.id) if draft is not None else NoDraft(kind)

    def publish_due(self, workspace_id: int, at: datetime) -> list[int]:
        """For the clock: start each auto-publishing program's round whose window opened by `at`.

        A round counts as started once the program has a round published since the window's first
        day, so calling this every few minutes (or from two clocks) publishes each round once. Programs
        with nobody to match get no round. Returns the ids of the rounds published now.
        """
        published: list[int] = []
        with workspace_unit(self.deps.db, workspace_id) as uow:
            today = local_today(at, self.deps.settings.default_timezone)
            for program in uow.programs.all():
                settings = ProgramSettings.from_json(program.settings)
                if not settings.auto_publish:
                    continue
                window = round_window(settings, today)
                if uow.rounds.published_since(program.id, window.starts, at):
                    continue
                pool = self.matching.load_pool(uow.session, workspace_id, program.id)
                if not self.matching.propose(pool, settings.kind, window.number).groups:
                    continue
                draft = self.preview(uow, settings.kind, window.number, AUTO_PUBLISHER, program.id)
                if self.publish(uow, draft.round_id).newly_published:
                    logger.info("published round %s of program %s automatically", window.number, program.id)
                    published.append(draft.round_id)
        return published

    def program_command(self, uow: UnitOfWork, action: str, name: str) -> ProgramReply:
        """`/mentor admin program list|add|show|edit NAME`; adding or editing answers with the form."""
        if action in ("", "list"):
            return ProgramReply("Programs", lines=self._lines(uow))
        if action == "add":
            return self._add_program(uow, name)
        if action not in ("show", "edit"):
            return ProgramReply(PROGRAM_USAGE)
        found = uow.programs.named(name) if name else None
        if found is None:
            return ProgramReply(PROGRAM_NOT_FOUND.format(name=name))
        if action == "show":
            return ProgramReply(found.name, shown=self._line(uow, found))
        return ProgramReply(found.name, form=_form(found))

    def settings_form(self, uow: UnitOfWork, program_id: int) -> SettingsForm | None:
        """The program's settings for the modal; None when it is gone."""
        program = uow.programs.get(program_id)
        return _form(program) if program is not None else None

    def save_settings(self, uow: UnitOfWork, program_id: int | None, form: dict[str, Any]) -> SettingsSaved:
        """Apply the settings modal's values; nothing is saved when any of them does not fit."""
        program = uow.programs.get(program_id) if program_id else None
        if program is None:
            return SettingsSaved({"kind": PROGRAM_GONE})
        try:
            settings = settings_from_form(ProgramSettings.from_json(program.settings), form)
        except InvalidSettings as invalid:
            return SettingsSaved(invalid.errors)
        uow.programs.save_settings(program, settings)
        return SettingsSaved()

    def preview_program(self, uow: UnitOfWork, program_id: int, created_by: str) -> RoundPreview | None:
        """A draft round of the program's kind (its "Preview matches" button); None when it is gone."""
        program = uow.programs.get(program_id)
        if program is None:
            return None
        kind = ProgramSettings.from_json(program.settings).kind
        return self.preview(uow, kind, 0, created_by, program.id)

    def _add_program(self, uow: UnitOfWork, name: str) -> ProgramReply:
        clean = valid_program_name(name)
        if clean is None:
            return ProgramReply(PROGRAM_NAME_NEEDED)
        added = uow.programs.add(clean, ProgramSettings())
        if added is None:
            return ProgramReply(PROGRAM_EXISTS.format(name=clean))
        return ProgramReply(added.name, form=_form(added))

    def _lines(self, uow: UnitOfWork) -> list[ProgramLine]:
        return program_lines(uow, self.deps.clock(), self.deps.settings.default_timezone)

    def _line(self, uow: UnitOfWork, program: Program) -> ProgramLine:
        return program_line(uow, program, self.deps.clock(), self.deps.settings.default_timezone)


def left_out_text(kind: str) -> str:
    """The DM for someone a round of `kind` left out because of their own do-not-match list."""
    return LEFT_OUT_BY_OWN_LIST["circles" if kind == "circles" else "mentors"] + LEFT_OUT_FOOTER


def _form(program: Program) -> SettingsForm:
    return SettingsForm(program.id, program.name, ProgramSettings.from_json(program.settings))
