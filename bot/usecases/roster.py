"""The coordinators' roster (`/mentor admin people`, the Home's people section) and its participation CSV.

The listing is read in the request; the CSV is only queued here and made by the effect workers when it
is uploaded to the coordinator's DM (as the stats CSV is), so its contents are never stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.domain.roster import RosterEntry, RosterPage, RosterQuery, keeps, page_of
from bot.reports.gather import calendar_zone
from bot.usecases.deps import Deps
from bot.usecases.reports import UnknownProgram
from bot.usecases.unit_of_work import UnitOfWork
from storage.models import Program
from storage.roster import RosterRepository

PARTICIPATION_FILE = "participation"
CSV_SENT = "I've sent the participation CSV to our direct messages."


@dataclass(frozen=True)
class ProgramPeople:
    """One program's line in the Home's people section."""

    program_id: int
    name: str
    taking_part: int
    unplaced: int
    asked_for_change: int = 0


@dataclass(frozen=True)
class CsvQueued:
    message: str = CSV_SENT


class Roster:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def page(
        self, uow: UnitOfWork, query: RosterQuery, program_id: int | None = None
    ) -> RosterPage | UnknownProgram:
        """One page of the roster: of the program named in the query (or with `program_id`), else of all."""
        program = self._program(uow, query.program, program_id)
        if isinstance(program, UnknownProgram):
            return program
        entries = self._repository(uow).entries(program)
        shown = RosterQuery(program.name if program else "", query.wanted, query.page)
        return page_of(entries, shown)

    def program_id(self, uow: UnitOfWork, name: str) -> int | None:
        program = uow.programs.named(name) if name else None
        return program.id if program is not None else None

    def send_csv(
        self, uow: UnitOfWork, user_id: str, program_name: str = "", program_id: int | None = None
    ) -> CsvQueued | UnknownProgram:
        """Queue the participation CSV (of one program, or of all) for `user_id`'s DM."""
        program = self._program(uow, program_name, program_id)
        if isinstance(program, UnknownProgram):
            return program
        self.deps.effects.send_file(
            uow.session,
            uow.workspace_id,
            user_id,
            PARTICIPATION_FILE,
            program_id=program.id if program else None,
        )
        return CsvQueued()

    @staticmethod
    def home_lines(uow: UnitOfWork) -> list[ProgramPeople]:
        """Each program's people taking part and how many of them are not placed yet."""
        repository = Roster._repository(uow)
        taking_part: dict[str, list[RosterEntry]] = defaultdict(list)
        for entry in repository.entries(None, counted=False):
            if keeps(entry, None):
                taking_part[entry.program].append(entry)
        return [
            ProgramPeople(
                program.id,
                program.name,
                len(taking_part[program.name]),
                sum(not entry.placed for entry in taking_part[program.name]),
                sum(entry.asked_for_change for entry in taking_part[program.name]),
            )
            for program in repository.programs(None)
        ]

    @staticmethod
    def _repository(uow: UnitOfWork) -> RosterRepository:
        return RosterRepository(uow.session, uow.workspace_id, calendar_zone(uow.session, uow.workspace_id))

    @staticmethod
    def _program(uow: UnitOfWork, name: str, program_id: int | None) -> Program | UnknownProgram | None:
        if program_id is not None:
            found = uow.programs.get(program_id)
            return found if found is not None else UnknownProgram(str(program_id), _names(uow))
        if not name:
            return None
        found = uow.programs.named(name)
        return found if found is not None else UnknownProgram(name, _names(uow))


def _names(uow: UnitOfWork) -> tuple[str, ...]:
    return tuple(program.name for program in uow.programs.all())
