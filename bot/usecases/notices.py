"""Coordinators' notices: what happened at a round's boundary, told in one DM a day at working hours.

Events are noticed where they happen (an auto round published) or by looking each tick (a review-first
round due, a circle below its minimum, an introduction given up). Each event is recorded once per
coordinator under a key naming it, so ticks and clocks running at once notice it once. Waiting notices
are then carried by one outbox DM per coordinator and local day, sent at their working hours.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from bot.domain.members import local_today
from bot.domain.notices import NoticeKind, below_minimum, is_away
from bot.domain.nudges.model import PlannedNudge, Schedule
from bot.domain.nudges.policy import coordinator_zone
from bot.domain.nudges.timing import local_date, next_send_time
from bot.domain.programs import ProgramSettings, RoundWindow, round_window
from bot.matching_service import Proposal
from bot.nudges.planner import Program as NudgeProgram
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import UnitOfWork, workspace_unit
from storage.effects import DEAD, EffectQueue
from storage.models import Program
from storage.notices import NoticeRepository
from storage.outbox import Outbox
from storage.programs import CoordinatorRepository

NOTICE_KIND = "coordinator_notices"
"""The outbox kind of the daily DM that carries a coordinator's notices."""
LOOKAHEAD_DAYS = 7


class Notices:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    # -- noticing -------------------------------------------------------------------------------------

    def round_published(
        self, uow: UnitOfWork, program: Program, window: RoundWindow, proposal: Proposal, at: datetime
    ) -> None:
        """An auto-publishing program's round went out on its own."""
        facts = {
            "program": program.name,
            "round": window.name,
            "starts": window.starts.isoformat(),
            "kind": proposal.kind,
            "groups": len([group for group in proposal.groups if not group.kept]),
            "people": len({uid for group in proposal.groups for uid, _ in group.members}),
            "repeat_pairs": int(proposal.stats.get("repeat_pairs", 0)),
            "unplaced": len(proposal.unplaced),
        }
        self._notice(
            uow, NoticeKind.ROUND_PUBLISHED, f"round_published:{program.id}:{window.starts}", facts, at
        )

    def change_requested(
        self, uow: UnitOfWork, program: Program, request_id: int, user_id: str, kind: str, at: datetime
    ) -> None:
        """A member asked for a change: one notice per request, naming who and where, never their reason."""
        facts = {"program": program.name, "kind": kind, "member": user_id}
        self._notice(uow, NoticeKind.CHANGE_REQUESTED, f"change_request:{request_id}", facts, at)

    def look(self, workspace_id: int, at: datetime) -> int:
        """Notice what a tick can see: review rounds due, circles below their minimum, failed introductions
        (archived programs have no rounds due and their circles are not watched)."""
        with workspace_unit(self.deps.db, workspace_id) as uow:
            today = local_today(at, self.deps.settings.default_timezone)
            programs = {program.id: program for program in uow.programs.all()}
            default = next(program for program in programs.values() if program.is_default)
            noticed = self._rounds_due(uow, list(programs.values()), today, at)
            noticed += self._short_circles(uow, programs, default, today, at)
            noticed += self._failed_introductions(uow, programs, default, at)
        return noticed

    def _rounds_due(self, uow: UnitOfWork, programs: list[Program], today: date, at: datetime) -> int:
        noticed = 0
        for program in programs:
            settings = ProgramSettings.from_json(program.settings)
            if settings.auto_publish or program.is_archived:
                continue
            window = round_window(settings, today)
            key = f"round_due:{program.id}:{window.starts}"
            if NoticeRepository(uow.session, uow.workspace_id).noticed(key):
                continue
            if uow.rounds.published_since(program.id, window.starts, at):
                continue
            if uow.programs.participation(program).active < 2:
                continue
            facts = {"program": program.name, "round": window.name, "starts": window.starts.isoformat()}
            noticed += self._notice(uow, NoticeKind.ROUND_DUE, key, facts, at)
        return noticed

    def _short_circles(
        self, uow: UnitOfWork, programs: dict[int, Program], default: Program, today: date, at: datetime
    ) -> int:
        noticed = 0
        for circle in uow.rounds.active_relationships("circle"):
            program = programs.get(circle.program_id or default.id, default)
            if program.is_archived:
                continue
            minimum = ProgramSettings.from_json(program.settings).min_size
            present = sum(
                not is_away(link.member.status, link.member.paused_until, today) for link in circle.members
            )
            if not below_minimum(present, minimum):
                continue
            facts = {
                "program": program.name,
                "present": present,
                "minimum": minimum,
                "size": len(circle.members),
            }
            key = f"below_minimum:{circle.id}:{present}"
            noticed += self._notice(uow, NoticeKind.BELOW_MINIMUM, key, facts, at)
        return noticed

    def _failed_introductions(
        self, uow: UnitOfWork, programs: dict[int, Program], default: Program, at: datetime
    ) -> int:
        noticed = 0
        for effect in EffectQueue(uow.session).introductions(uow.workspace_id):
            if effect.status != DEAD:
                continue
            relationship = uow.relationships.get(effect.relationship_id)
            if relationship is None or relationship.intro_ts is not None or not relationship.is_live:
                continue
            program = programs.get(relationship.program_id or default.id, default)
            facts = {"program": program.name, "kind": relationship.kind, "error": effect.error}
            key = f"intro_failed:{effect.effect_id}"
            noticed += self._notice(uow, NoticeKind.INTRO_FAILED, key, facts, at)
        return noticed

    def _notice(
        self, uow: UnitOfWork, kind: NoticeKind, key: str, facts: dict[str, Any], at: datetime
    ) -> int:
        return NoticeRepository(uow.session, uow.workspace_id).add(
            kind.value, key, facts, self._recipients(uow), at
        )

    def _recipients(self, uow: UnitOfWork) -> list[str]:
        stored = CoordinatorRepository(uow.session, uow.workspace_id).user_ids()
        return list(dict.fromkeys((*self.deps.settings.coordinator_user_ids, *stored)))

    # -- telling ----------------------------------------------------------------------------------------

    def plan(self, workspace_id: int, at: datetime) -> int:
        """Put each coordinator's waiting notices into their next daily DM; how many DMs were planned.

        A coordinator whose DM for a day is already planned gets the newer notices the next free day, so
        nobody hears from this more than once a day, and nothing noticed is dropped.
        """
        planned = 0
        with workspace_unit(self.deps.db, workspace_id) as uow:
            waiting = NoticeRepository(uow.session, workspace_id).waiting()
            if not waiting:
                return 0
            schedule = NudgeProgram.from_settings(
                ProgramSettings.from_json(uow.programs.default().settings)
            ).schedule
            outbox = Outbox(uow.session)
            default_tz = self.deps.settings.default_timezone
            zones = [member.tz or default_tz for member in uow.members.all() if member.joined_at is not None]
            for recipient, notices in waiting.items():
                member = uow.members.find(recipient)
                tz = coordinator_zone(member.tz if member is not None else None, zones)
                slot = self._free_day(uow, recipient, tz, schedule, at)
                if slot is None:
                    continue
                key, due_at = slot
                payload = {"notices": [{"id": n.id, "kind": n.kind, "facts": n.facts} for n in notices]}
                planned += outbox.add(
                    workspace_id, [PlannedNudge(NOTICE_KIND, key, recipient, due_at, payload)], at
                )
                stored = uow.outbox.find_by_key(key)
                carried = [int(item["id"]) for item in (stored.payload if stored else {}).get("notices", [])]
                NoticeRepository(uow.session, workspace_id).carried_by(recipient, carried, key)
        return planned

    def _free_day(
        self, uow: UnitOfWork, recipient: str, tz: str, schedule: Schedule, at: datetime
    ) -> tuple[str, datetime] | None:
        due_at = next_send_time(at, tz, schedule)
        for _ in range(LOOKAHEAD_DAYS):
            day = local_date(due_at, tz)
            key = f"{NOTICE_KIND}:{recipient}:{day.isoformat()}"
            if uow.outbox.find_by_key(key) is None:
                return key, due_at
            due_at = next_send_time(at, tz, schedule, on_or_after=day + timedelta(days=1))
        return None
