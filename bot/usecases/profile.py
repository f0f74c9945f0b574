"""Sign-up and personal settings: join, profile, frequency, pause, resume, leave.

Every change queues a refresh of the member's App Home in the same transaction, so the Home shows it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.members import (
    PauseUntil,
    Problem,
    ProfileDraft,
    format_date,
    frequency_confirmation,
    local_today,
    normalize_profile,
    parse_pause,
    pause_confirmation,
    profile_summary_lines,
    validate_profile,
)
from bot.domain.members.stage_title import stage_from_title
from bot.domain.members.state import MemberStatus
from bot.domain.programs import KIND_LABELS, ProgramSettings
from bot.usecases.deps import Deps
from bot.usecases.introductions import queue_introductions
from bot.usecases.leaving import LEFT, LeaveOffer, Leaving, leave_mentor_circles
from bot.usecases.unit_of_work import MemberUnit, workspace_unit
from storage.models import Member, Program
from storage.programs import ProgramRepository
from storage.repositories import ProfileRepository

logger = logging.getLogger(__name__)

WELCOME_BACK = "Welcome back! Reminders and matches are on again."
NOT_PAUSED = "You're not paused, so there's nothing to resume. Enjoy your mentoring!"
NOT_OFFERED = "One of those programs isn't open to you. Please choose from the list."
NONE_CHOSEN = "Choose at least one program."
NO_PROGRAM = "There's no program open to you just yet. Your program coordinator can invite you."
STAYING = "Glad you're staying! Nothing has changed."


@dataclass(frozen=True)
class ProfileForm:
    """What the profile modal opens on."""

    draft: ProfileDraft
    first_time: bool
    programs: tuple[tuple[str, str], ...]
    """The programs this person may join, as (value, label)."""
    ticked: frozenset[str]
    """The values of the programs ticked when the modal opens."""

    @property
    def nothing_to_join(self) -> bool:
        """Someone new with no program open to them: there is no form to fill in."""
        return self.first_time and not self.programs


@dataclass(frozen=True)
class ProfileSummary:
    lines: tuple[str, ...]
    status: str | None


@dataclass(frozen=True)
class ProfileRejected:
    """Inline errors by block id; nothing was saved."""

    errors: Mapping[str, str]


@dataclass(frozen=True)
class ProfileSaved:
    first_time: bool
    summary: tuple[str, ...]
    workspace_id: int
    member_id: int


@dataclass(frozen=True)
class SettingOutcome:
    message: str


@dataclass(frozen=True)
class Placement:
    """Where a first-time joiner was slotted into published rounds."""

    relationship_ids: tuple[int, ...] = ()


def status_line(member: Member) -> str | None:
    if member.status == MemberStatus.PAUSED:
        until = f" until {format_date(member.paused_until)}" if member.paused_until else " until you resume"
        return f"⏸ Paused{until}."
    return None


def may_join(
    settings: ProgramSettings, user_id: str, channel_members: Callable[[str], frozenset[str]]
) -> bool:
    """Open programs take anyone; invite-only ones the people listed or the invite channel's members."""
    if settings.enrollment == "open" or user_id in settings.invite_users:
        return True
    return settings.invite_channel is not None and user_id in channel_members(settings.invite_channel)


def channel_members(directory: WebClient, channel: str) -> frozenset[str]:
    """Everyone in `channel` (Slack's `conversations.members`, page by page); nobody when the app cannot
    read it."""
    members: list[str] = []
    try:
        for page in directory.conversations_members(channel=channel, limit=200):
            members.extend(page["members"])
    except SlackApiError as error:
        logger.warning(
            "cannot read the members of invite channel %s: %s", channel, error.response.get("error")
        )
        return frozenset()
    return frozenset(members)


def joinable(directory: WebClient, programs: ProgramRepository, user_id: str) -> list[Program]:
    """The workspace's programs this person may join (never an archived one), default program first; each
    invite channel is read at most once."""
    members_of = cache(lambda channel: channel_members(directory, channel))
    return [
        program
        for program in programs.all()
        if not program.is_archived
        and may_join(ProgramSettings.from_json(program.settings), user_id, members_of)
    ]


def program_label(program: Program) -> str:
    kind = ProgramSettings.from_json(program.settings).kind
    return f"{program.name} ({KIND_LABELS.get(kind, kind)})"


def chosen_programs(
    allowed: list[Program], ticked: tuple[str, ...] | None, current: list[Program]
) -> list[Program] | Problem:
    """The programs a submission asks for, or why it cannot be accepted.

    Without a choice in the modal (one program, or a modal opened before a second program existed) the
    member keeps what they have, or joins the one program open to them.
    """
    if ticked is None:
        kept = [program for program in allowed if program in current]
        return kept or allowed[:1]
    by_value = {str(program.id): program for program in allowed}
    if any(value not in by_value for value in ticked):
        return Problem(NOT_OFFERED)
    if not ticked:
        return Problem(NONE_CHOSEN)
    return [by_value[value] for value in dict.fromkeys(ticked)]


def update_enrollment(
    programs: ProgramRepository,
    member: Member,
    allowed: list[Program],
    chosen: list[Program],
    now: datetime,
    *,
    newcomer: bool = False,
) -> None:
    """Join the chosen programs and leave the other ones offered; programs not offered stay as they are.

    A newcomer has taken part in nothing yet, so the programs they did not choose are not ones they
    "left" (which would count them as leavers in those programs' reports).
    """
    for program in allowed:
        if program in chosen:
            programs.enroll(program, member, now)
        elif not newcomer:
            programs.leave(program, member, now)


class Profiles:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.leaving = Leaving(deps)

    def form(self, unit: MemberUnit, directory: WebClient, *, prefill_stage: bool = True) -> ProfileForm:
        """The profile modal's contents, prefilled. `directory` reads invite channels' members
        (`conversations.members`) to tell which invite-only programs this person may join, and, when no
        stage is known yet, their profile title (`users.info`, unless this request already read it) to
        pre-fill the stage; a modal being rebuilt (`prefill_stage=False`) has its stage answer already."""
        member = unit.member
        first_time = not member.has_joined
        allowed = joinable(directory, unit.programs, member.slack_user_id)
        enrolled = unit.programs.programs_of(member)
        ticked = [p for p in allowed if p in enrolled] or (allowed[:1] if first_time else [])
        draft = ProfileRepository(unit.session, unit.workspace_id).profile(member)
        if not draft.tz:
            draft = replace(draft, tz=member.tz or self.deps.settings.default_timezone)
        if draft.stage is None and prefill_stage:
            title = self.deps.people.title(directory, member.slack_user_id, unit.slack_user)
            draft = replace(draft, stage=stage_from_title(title))
        return ProfileForm(
            draft,
            first_time,
            tuple((str(p.id), program_label(p)) for p in allowed),
            frozenset(str(p.id) for p in ticked),
        )

    def summary(self, unit: MemberUnit) -> ProfileSummary:
        draft = ProfileRepository(unit.session, unit.workspace_id).profile(unit.member)
        return ProfileSummary(tuple(profile_summary_lines(draft)), status_line(unit.member))

    def save(
        self,
        unit: MemberUnit,
        directory: WebClient,
        draft: ProfileDraft,
        ticked: tuple[str, ...] | None,
    ) -> ProfileSaved | ProfileRejected:
        """Save the profile modal: validate it, store it and the programs chosen (`ticked` is None when
        the modal offered no choice). `directory` reads invite channels' members (`conversations.members`).

        A first sign-up is not placed into published rounds here: `place_late_joiner` does that after the
        modal has been answered.
        """
        member = unit.member
        errors = validate_profile(draft, member.slack_user_id)
        programs = unit.programs
        allowed = joinable(directory, programs, member.slack_user_id)
        chosen = chosen_programs(allowed, ticked, programs.programs_of(member))
        if isinstance(chosen, Problem) or not (chosen or member.has_joined):
            problem = chosen.message if isinstance(chosen, Problem) else NO_PROGRAM
            errors.setdefault("programs" if ticked is not None else "roles", problem)
        if errors or isinstance(chosen, Problem):
            return ProfileRejected(errors)
        draft = normalize_profile(draft)
        now = self.deps.clock()
        first_time = ProfileRepository(unit.session, unit.workspace_id).save(member, draft, now)
        update_enrollment(programs, member, allowed, chosen, now, newcomer=first_time)
        summary = profile_summary_lines(draft)
        if len(allowed) > 1:
            names = [program.name for program in programs.programs_of(member)]
            summary.append(f"Programs: {', '.join(names)}")
        self._refresh(unit)
        return ProfileSaved(first_time, tuple(summary), unit.workspace_id, member.id)

    def place_late_joiner(self, saved: ProfileSaved) -> Placement:
        """Slot someone who just signed up into the rounds already published, and queue the introductions.

        It runs in a background transaction of its own once the sign-up is saved and answered: it reads
        the whole matching pool, which must neither hold up the reply nor undo the sign-up if it fails.
        Only a first sign-up is placed; a profile edit or a return after leaving waits for the next round.
        """
        if not saved.first_time:
            return Placement()
        workspace_id = saved.workspace_id
        with workspace_unit(self.deps.db, workspace_id) as uow:
            member = uow.session.get_one(Member, saved.member_id)
            placed = self.deps.matching.place_late_joiner(uow.session, workspace_id, member)
            queue_introductions(self.deps.effects, uow.session, workspace_id, placed)
            if placed:
                everyone = {
                    link.member.slack_user_id
                    for relationship_id in placed
                    if (relationship := uow.relationships.get(relationship_id)) is not None
                    for link in relationship.members
                }
                self.deps.effects.refresh_homes(
                    uow.session, workspace_id, [member.slack_user_id, *sorted(everyone)]
                )
        return Placement(tuple(placed))

    def set_frequency(self, unit: MemberUnit, frequency: str) -> SettingOutcome:
        unit.member.frequency = frequency
        return self._answer(unit, frequency_confirmation(frequency))

    def pause(self, unit: MemberUnit, args: str) -> SettingOutcome:
        """`/mentor pause [until DATE]`, the date read in the member's own time zone."""
        member = unit.member
        today = local_today(self.deps.clock(), member.tz or self.deps.settings.default_timezone)
        parsed = parse_pause(args, today)
        if isinstance(parsed, Problem):
            return self._answer(unit, parsed.message)
        return self._answer(unit, self._pause(member, parsed))

    def resume(self, unit: MemberUnit) -> SettingOutcome:
        return self._answer(unit, WELCOME_BACK if unit.welcomed_back else self._resume(unit.member))

    def pause_from_home(self, unit: MemberUnit) -> SettingOutcome:
        """The Home's Pause button: pauses until resumed. A stale Home may still show it to someone who
        left, so it acts only for members, and refreshes that Home either way."""
        message = self._pause(unit.member, PauseUntil(None)) if unit.member.has_joined else ""
        return self._answer(unit, message)

    def resume_from_home(self, unit: MemberUnit) -> SettingOutcome:
        """The Home's Resume button (acts only for members; refreshes that Home either way)."""
        message = self._resume(unit.member) if unit.member.has_joined else ""
        return self._answer(unit, WELCOME_BACK if unit.welcomed_back else message)

    def offer_leave(self, unit: MemberUnit, named: str = "") -> LeaveOffer:
        """`/mentor leave [PROGRAM]`: confirm leaving everything, ask which program, or leave the one
        named (`bot.usecases.leaving`)."""
        return self.leaving.offer(unit, named)

    def leave_program(self, unit: MemberUnit, program_value: str) -> SettingOutcome:
        """A program button from the "which program?" question."""
        return SettingOutcome(self.leaving.leave_program(unit, program_value))

    def confirm_leave(self, unit: MemberUnit) -> SettingOutcome:
        if unit.member.has_joined:
            leave_mentor_circles(unit.member)
        return self._answer(unit, LEFT)

    def cancel_leave(self) -> SettingOutcome:
        return SettingOutcome(STAYING)

    @staticmethod
    def _pause(member: Member, pause: PauseUntil) -> str:
        member.status, member.paused_until = MemberStatus.PAUSED, pause.until
        return pause_confirmation(pause)

    @staticmethod
    def _resume(member: Member) -> str:
        if member.status != MemberStatus.PAUSED:
            return NOT_PAUSED
        member.status, member.paused_until = MemberStatus.ACTIVE, None
        return WELCOME_BACK

    def _answer(self, unit: MemberUnit, message: str) -> SettingOutcome:
        self._refresh(unit)
        return SettingOutcome(message)

    def _refresh(self, unit: MemberUnit) -> None:
        self.deps.effects.refresh_homes(unit.session, unit.workspace_id, [unit.member.slack_user_id])
