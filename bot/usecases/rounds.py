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
from datetime import date, datetime
from typing import Any

from bot.domain.match_commands import NobodyPlaced, match_targets, why_nobody_placed
from bot.domain.members import local_today
from bot.domain.members.slack_text import typed
from bot.domain.notices import below_minimum, is_away
from bot.domain.programs import (
    KIND_LABELS,
    InvalidSettings,
    ProgramSettings,
    round_window,
    settings_from_form,
    valid_program_name,
)
from bot.matching_service import KINDS, Proposal
from bot.usecases.change_requests import honoured_by_round
from bot.usecases.deps import Deps
from bot.usecases.introductions import queue_introductions
from bot.usecases.notices import Notices
from bot.usecases.programs import (
    ProgramLine,
    ProgramReply,
    SettingsForm,
    SettingsSaved,
    program_line,
    program_lines,
)
from bot.usecases.unit_of_work import UnitOfWork, workspace_unit
from storage.effects import DEAD, EffectQueue
from storage.models import Program
from storage.rounds import OVERTAKEN

logger = logging.getLogger(__name__)

AUTO_PUBLISHER = "auto-publish"
"""`created_by` of the rounds the clock publishes on its own."""
PROGRAM_USAGE = (
    "Use `/mentor admin program list`, `add NAME`, `show NAME`, `edit NAME`, `archive NAME` or "
    "`unarchive NAME` (for example `/mentor admin program add PGY-1 peer circles`)."
)
ARCHIVED = (
    "I've archived “{name}”. Its numbers stay in the reports, but nobody can join it now, its people "
    "get no more reminders about it, and it gets no new matches. `/mentor admin program unarchive {name}` "
    "brings it back."
)
UNARCHIVED = "“{name}” is running again: people can join it, reminders resume and it can be matched."
ALREADY_ARCHIVED = "“{name}” is already archived."
NOT_ARCHIVED = "“{name}” isn't archived."
DEFAULT_NOT_ARCHIVED = (
    "“{name}” is the workspace's default program, where everyone who hasn't chosen another one takes part, "
    "so it can't be archived. Archive the other programs when they finish."
)
ARCHIVED_NOT_MATCHED = "“{name}” is archived, so it gets no new matches. `/mentor admin program unarchive {name}` brings it back."
PROGRAM_NAME_NEEDED = "Give the new program a name, for example `/mentor admin program add Research teams`."
PROGRAM_EXISTS = "There is already a program called “{name}”. Try `/mentor admin program edit {name}`."
PROGRAM_NOT_FOUND = "I couldn't find a program called “{name}”. `/mentor admin program list` shows them all."
PROGRAM_GONE = "This program no longer exists."
NO_DRAFT = "There is no preview to publish yet. Run `{command}` first."
EMPTY_DRAFT = (
    "That preview places nobody, so there is nothing to publish. Run `{command}` again once more people "
    "have joined."
)
OVERTAKEN_BY_ROUND = "Another round of matches went out after this preview, so it no longer fits"
OVERTAKEN_BY_HAND = "Matches were changed by hand after this preview, so it no longer fits"
OVERTAKEN_BY_PEOPLE = "Someone in this preview has paused or left the program since, so it no longer fits"
STALE_DRAFT = "{because} and I haven't published it. Run `{command}` to see matches that build on the latest."
WRONG_KIND = (
    "“{name}” runs {label}, so I match it as {kind}. Try `/mentor admin match {action} {kind} {name}`."
)
ROUND_GONE = "This preview is out of date. Run `/mentor admin match preview` to see a new one."
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
    program: str = ""
    nobody_placed: NobodyPlaced | None = None
    """Why nobody is placed, when nobody is (then there is nothing to publish)."""


@dataclass(frozen=True)
class MatchRefused:
    """A match command that names no program it can run on; nothing was changed."""

    message: str


@dataclass(frozen=True)
class RoundPublished:
    round_id: int
    kind: str
    relationships: int
    """Matches created by this round (the kept ones are not created again)."""
    kept: int
    """Matches the round keeps from before: shown in its preview, running, already introduced."""
    queued: int
    """Introductions queued by this call (already-sent ones are never queued again)."""
    newly_published: bool

    @property
    def again(self) -> bool:
        """Nothing happened: the round had been published and every introduction queued before."""
        return not self.newly_published and not self.queued


@dataclass(frozen=True)
class NoDraft:
    command: str
    """The preview command to run first."""

    @property
    def message(self) -> str:
        return NO_DRAFT.format(command=self.command)


@dataclass(frozen=True)
class EmptyDraft:
    """The preview placed nobody: publishing it would send nothing."""

    command: str

    @property
    def message(self) -> str:
        return EMPTY_DRAFT.format(command=self.command)


@dataclass(frozen=True)
class StaleDraft:
    """The preview no longer shows what would be sent: another round of its program went out after it,
    its matches were changed by hand, or someone in it paused or left."""

    command: str
    because: str = OVERTAKEN_BY_ROUND

    @property
    def message(self) -> str:
        return STALE_DRAFT.format(because=self.because, command=self.command)


@dataclass(frozen=True)
class ProgramArchived:
    """The round's program was archived after it was previewed: archived programs get no new matches."""

    name: str

    @property
    def message(self) -> str:
        return ARCHIVED_NOT_MATCHED.format(name=self.name)


PublishOutcome = RoundPublished | NoDraft | EmptyDraft | StaleDraft | MatchRefused | ProgramArchived


@dataclass(frozen=True)
class RoundStatus:
    """Where a program's latest published round stands (`/mentor admin match status`)."""

    program: str
    kind: str
    published_on: date | None
    groups: int
    introduced: int
    waiting: int
    failed: int
    short: int
    """Circles with fewer people taking part than the program's minimum."""


class Rounds:
    def __init__(self, deps: Deps, notices: Notices) -> None:
        self.deps = deps
        self.matching = deps.matching
        self.notices = notices

    def preview(
        self, uow: UnitOfWork, kind: str, seed: int, created_by: str, program_id: int | None = None
    ) -> RoundPreview:
        """A new draft round of `kind` for the program (the default one when None)."""
        program = self.matching.program(uow.session, uow.workspace_id, program_id)
        round_id, proposal = self.matching.preview(
            uow.session, uow.workspace_id, kind, seed, created_by, program_id=program.id
        )
        nobody = None
        if not proposal.groups:
            pool = self.matching.load_pool(uow.session, uow.workspace_id, program.id)
            nobody = why_nobody_placed(
                kind, pool.active_count("peer"), pool.active_count("mentee"), pool.active_count("mentor")
            )
        return RoundPreview(round_id, proposal, seed, program.name, nobody)

    def preview_matches(
        self, uow: UnitOfWork, created_by: str, *, text: str = "", program_id: int | None = None
    ) -> RoundPreview | MatchRefused:
        """`/mentor admin match preview [KIND] [PROGRAM]` as typed after `preview`, or a program's
        "Preview matches" button (`program_id`): both preview here, the same way."""
        target = self._program_target(uow, program_id) if program_id else self._target(uow, text, "preview")
        if isinstance(target, MatchRefused):
            return target
        program, kind = target
        return self.preview(uow, kind, 0, created_by, program.id)

    def reshuffle(self, uow: UnitOfWork, round_id: int, created_by: str) -> RoundPreview | MatchRefused:
        """Another draft of the same program and kind, matched with the seed after the one shown."""
        shown = uow.rounds.get(round_id)
        if shown is None:
            return MatchRefused(ROUND_GONE)
        return self.preview(uow, shown.kind, shown.seed + 1, created_by, shown.program_id)

    def publish(
        self, uow: UnitOfWork, round_id: int
    ) -> RoundPublished | EmptyDraft | StaleDraft | ProgramArchived:
        """Publish the round exactly as its preview showed it and queue its introductions, in the unit's
        transaction.

        Publishers of one program take turns (its row is locked until the transaction ends), and a draft
        goes out only while it still fits: the round it was previewed after is still the program's latest
        (of two coordinators or clocks publishing at once, one publishes and the other is told), nobody
        changed the program's matches by hand since, and everyone in it still takes part. A draft that
        places nobody is not published. Raises `LookupError` when the workspace has no round with this id.
        """
        rounds = uow.rounds
        stored = rounds.get(round_id)
        if stored is None:
            raise LookupError(round_id)
        command = self._preview_command(uow, stored.kind, stored.program_id)
        if stored.status == OVERTAKEN:
            return StaleDraft(command, OVERTAKEN_BY_HAND)
        if stored.status == "draft":
            proposal = Proposal.from_json(stored.proposal)
            if not proposal.groups:
                return EmptyDraft(command)
            if stored.program_id is not None:
                uow.programs.lock(stored.program_id)
                program = uow.programs.get(stored.program_id)
                if program is not None and program.is_archived:
                    return ProgramArchived(program.name)
                if rounds.latest_published_id(stored.program_id, stored.kind) != stored.based_on_id:
                    return StaleDraft(command)
                uow.session.refresh(stored)
                if stored.status == OVERTAKEN:
                    return StaleDraft(command, OVERTAKEN_BY_HAND)
            if not self.matching.still_fits(uow.session, uow.workspace_id, proposal, stored.program_id):
                return StaleDraft(command, OVERTAKEN_BY_PEOPLE)
        published = self.matching.publish(uow.session, uow.workspace_id, round_id)
        if published.newly_published:
            honoured_by_round(
                uow,
                self.matching.program(uow.session, uow.workspace_id, stored.program_id),
                Proposal.from_json(stored.proposal),
                self.deps.clock(),
            )
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
            round_id,
            stored.kind,
            len(published.relationship_ids),
            published.kept,
            queued,
            published.newly_published,
        )

    def publish_matches(self, uow: UnitOfWork, text: str = "") -> PublishOutcome:
        """`/mentor admin match publish [KIND] [PROGRAM]`: the program's latest draft of the kind."""
        target = self._target(uow, text, "publish")
        if isinstance(target, MatchRefused):
            return target
        program, kind = target
        draft = uow.rounds.latest_draft(program.id, kind)
        if draft is None:
            return NoDraft(self._preview_command(uow, kind, program.id))
        return self.publish(uow, draft.id)

    def _target(self, uow: UnitOfWork, text: str, action: str) -> tuple[Program, str] | MatchRefused:
        """The program and kind `[KIND] [PROGRAM]` means: the kind may be left out (the program's own);
        the default program, which everyone who joined belongs to, may be matched in every kind."""
        readings = match_targets(text)
        for reading in readings:
            program = uow.programs.named(reading.program) if reading.program else uow.programs.default()
            if program is None:
                continue
            own = ProgramSettings.from_json(program.settings).kind
            kind = reading.kind or own
            if kind != own and not program.is_default:
                return MatchRefused(
                    WRONG_KIND.format(name=program.name, label=KIND_LABELS[own], kind=own, action=action)
                )
            if program.is_archived:
                return MatchRefused(ARCHIVED_NOT_MATCHED.format(name=program.name))
            return program, kind
        return MatchRefused(PROGRAM_NOT_FOUND.format(name=typed(readings[-1].program, 60)))

    def _program_target(self, uow: UnitOfWork, program_id: int) -> tuple[Program, str] | MatchRefused:
        program = uow.programs.get(program_id)
        if program is None:
            return MatchRefused(PROGRAM_GONE)
        if program.is_archived:
            return MatchRefused(ARCHIVED_NOT_MATCHED.format(name=program.name))
        return program, ProgramSettings.from_json(program.settings).kind

    def _preview_command(self, uow: UnitOfWork, kind: str, program_id: int | None) -> str:
        """The command that previews `kind` for the program again (its name left out for the default)."""
        program = self.matching.program(uow.session, uow.workspace_id, program_id)
        return " ".join(
            ["/mentor admin match preview", kind, *([] if program.is_default else [program.name])]
        )

    def publish_due(self, workspace_id: int, at: datetime) -> list[int]:
        """For the clock: start each auto-publishing program's round whose window opened by `at`.

        Each program is published in its own transaction holding the program's lock, and a round counts
        as started once the program has a round published since the window's first day: however many
        ticks or clocks run at once, each window gets one round. Programs with nobody to match get no
        round. The coordinators hear of each round that went out. Returns the ids published now.
        """
        with workspace_unit(self.deps.db, workspace_id) as uow:
            program_ids = [
                program.id
                for program in uow.programs.all()
                if ProgramSettings.from_json(program.settings).auto_publish and not program.is_archived
            ]
        today = local_today(at, self.deps.settings.default_timezone)
        published: list[int] = []
        for program_id in program_ids:
            with workspace_unit(self.deps.db, workspace_id) as uow:
                round_id = self._publish_window(uow, program_id, today, at)
            if round_id is not None:
                published.append(round_id)
        return published

    def _publish_window(self, uow: UnitOfWork, program_id: int, today: date, at: datetime) -> int | None:
        if not uow.programs.lock(program_id):
            return None
        program = uow.programs.get(program_id)
        if program is None or program.is_archived:
            return None
        settings = ProgramSettings.from_json(program.settings)
        window = round_window(settings, today)
        if not settings.auto_publish or uow.rounds.published_since(program.id, window.starts, at):
            return None
        pool = self.matching.load_pool(uow.session, uow.workspace_id, program.id)
        if not self.matching.propose(pool, settings.kind, window.number).groups:
            return None
        draft = self.preview(uow, settings.kind, window.number, AUTO_PUBLISHER, program.id)
        outcome = self.publish(uow, draft.round_id)
        if not isinstance(outcome, RoundPublished) or not outcome.newly_published:
            return None
        logger.info("published round %s of program %s automatically", window.number, program.id)
        self.notices.round_published(uow, program, window, draft.proposal, at)
        return draft.round_id

    def status(self, uow: UnitOfWork) -> list[RoundStatus]:
        """Each program's latest published round of each kind: its groups and their introductions."""
        today = local_today(self.deps.clock(), self.deps.settings.default_timezone)
        failed_intros = {
            effect.relationship_id
            for effect in EffectQueue(uow.session).introductions(uow.workspace_id)
            if effect.status == DEAD
        }
        found = []
        for program in uow.programs.all():
            minimum = ProgramSettings.from_json(program.settings).min_size
            for kind in KINDS:
                round_id = uow.rounds.latest_published_id(program.id, kind)
                stored = uow.rounds.get(round_id) if round_id is not None else None
                if stored is None:
                    continue
                groups = [g for g in uow.relationships.of_round(stored.id) if g.is_live]
                introduced = sum(g.intro_ts is not None for g in groups)
                failed = sum(g.intro_ts is None and g.id in failed_intros for g in groups)
                short = sum(
                    g.kind == "circle"
                    and below_minimum(
                        sum(not is_away(m.member.status, m.member.paused_until, today) for m in g.members),
                        minimum,
                    )
                    for g in groups
                )
                published_on = (
                    local_today(stored.published_at, self.deps.settings.default_timezone)
                    if stored.published_at
                    else None
                )
                found.append(
                    RoundStatus(
                        program.name,
                        kind,
                        published_on,
                        len(groups),
                        introduced,
                        len(groups) - introduced - failed,
                        failed,
                        short,
                    )
                )
        return found

    def program_command(self, uow: UnitOfWork, action: str, name: str) -> ProgramReply:
        """`/mentor admin program list|add|show|edit NAME`; adding or editing answers with the form."""
        if action in ("", "list"):
            return ProgramReply("Programs", lines=self._lines(uow))
        if action == "add":
            return self._add_program(uow, name)
        if action not in ("show", "edit", "archive", "unarchive"):
            return ProgramReply(PROGRAM_USAGE)
        found = uow.programs.named(name) if name else None
        if found is None:
            return ProgramReply(PROGRAM_NOT_FOUND.format(name=typed(name, 60)))
        if action in ("archive", "unarchive"):
            return ProgramReply(self.archive(uow, found.id, action == "archive") or PROGRAM_GONE)
        if action == "show":
            return ProgramReply(found.name, shown=self._line(uow, found))
        return ProgramReply(found.name, form=_form(found))

    def archive(self, uow: UnitOfWork, program_id: int, archived: bool) -> str | None:
        """Archive a finished program (or bring it back); what to tell the coordinator, None when it is gone.

        An archived program keeps its people, relationships and history for the reports; it is left out
        of the join form, the nudge planner and matching. The default program is never archived.
        """
        program = uow.programs.get(program_id)
        if program is None:
            return None
        if archived and program.is_default:
            return DEFAULT_NOT_ARCHIVED.format(name=program.name)
        if not uow.programs.set_archived(program, self.deps.clock() if archived else None):
            return (ALREADY_ARCHIVED if archived else NOT_ARCHIVED).format(name=program.name)
        return (ARCHIVED if archived else UNARCHIVED).format(name=program.name)

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
