"""The coordinators' report: participation, meetings and end-of-round feedback, its charts and CSV.

The summary is read in the request; the chart (PNG) and the CSV are only queued here, and made and
uploaded to the coordinator's DM by the effect workers, so their contents are never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.members import local_today
from bot.domain.members.slack_text import escape, typed
from bot.domain.reports import Report
from bot.reports.gather import gather_report
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import UnitOfWork
from storage.models import Program

WORKSPACE_TITLE = "all programs"
UNKNOWN_PROGRAM = "I couldn't find a program called “{name}”. The programs here are: {names}."
FILE_KINDS = ("chart", "csv", "feedback")
SENT = {
    "chart": "I've sent the chart to our direct messages.",
    "feedback": "I've sent the chart of end-of-round feedback to our direct messages.",
    "csv": "I've sent the CSV export to our direct messages.",
}


@dataclass(frozen=True)
class UnknownProgram:
    """The workspace has no program by the name asked for."""

    name: str
    names: tuple[str, ...]

    @property
    def message(self) -> str:
        return UNKNOWN_PROGRAM.format(
            name=typed(self.name, 60), names=", ".join(escape(n) for n in self.names)
        )


@dataclass(frozen=True)
class FilesQueued:
    """Report files on their way to the coordinator's DM, one confirmation per file."""

    kinds: tuple[str, ...]

    @property
    def messages(self) -> list[str]:
        return [SENT[kind] for kind in self.kinds]


class Reports:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def report(self, uow: UnitOfWork, program_name: str = "") -> Report | UnknownProgram:
        """The workspace's report, or one program's when `program_name` is given."""
        today = local_today(self.deps.clock(), self.deps.settings.default_timezone)
        if not program_name:
            return gather_report(uow.session, uow.workspace_id, today, WORKSPACE_TITLE)
        program = self._program(uow, program_name)
        if isinstance(program, UnknownProgram):
            return program
        return gather_report(uow.session, uow.workspace_id, today, program.name, program)

    def send_files(
        self, uow: UnitOfWork, user_id: str, kinds: Iterable[str], program_name: str = ""
    ) -> FilesQueued | UnknownProgram:
        """Queue the chart and/or CSV of the workspace's (or one program's) report for `user_id`'s DM."""
        program = self._program(uow, program_name) if program_name else None
        if isinstance(program, UnknownProgram):
            return program
        return self._queue(uow, user_id, kinds, program.id if program else None)

    def send_program_csv(self, uow: UnitOfWork, user_id: str, program_id: int) -> FilesQueued | None:
        """The program's report by cycle as a CSV for `user_id`'s DM; None when the program is gone."""
        program = uow.programs.get(program_id)
        if program is None:
            return None
        return self._queue(uow, user_id, ("csv",), program.id)

    def _queue(
        self, uow: UnitOfWork, user_id: str, kinds: Iterable[str], program_id: int | None
    ) -> FilesQueued:
        queued = tuple(dict.fromkeys(kinds))
        for kind in queued:
            if kind not in FILE_KINDS:
                raise ValueError(f"no report file of kind {kind!r}")
            self.deps.effects.send_file(
                uow.session, uow.workspace_id, user_id, f"stats_{kind}", program_id=program_id
            )
        return FilesQueued(queued)

    @staticmethod
    def _program(uow: UnitOfWork, name: str) -> Program | UnknownProgram:
        program = uow.programs.named(name)
        if program is None:
            return UnknownProgram(name, tuple(p.name for p in uow.programs.all()))
        return program
