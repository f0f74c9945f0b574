"""End-of-round feedback in storage: one row per (program, round, member), and what the reports read.

Answers are written per question, so a changed answer replaces the earlier one and a retried click
writes the same value again. The reports read answers, comments and how many were asked; a comment is
never read together with who wrote it (see `storage.models.RoundFeedback`), and the participation CSV
reads who answered only to count and score groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain.feedback import KEY_PREFIX, Answers, LatestRound, RoundFeedback, round_of_key
from bot.domain.programs import ProgramSettings, round_window
from storage.models import Member, OutboxNudge, Program
from storage.models import RoundFeedback as FeedbackRow

KIND = KEY_PREFIX
COLUMNS = {"worth": "worth", "met": "met", "continue": "carry_on"}
"""Question -> the column holding its answer."""


def answers_of(row: FeedbackRow | None) -> Answers:
    return Answers() if row is None else Answers(row.worth, row.met, row.carry_on)


class FeedbackRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def row(self, program_id: int, round_starts: date, member_id: int) -> FeedbackRow | None:
        return self.session.scalar(
            select(FeedbackRow).where(
                FeedbackRow.workspace_id == self.workspace_id,
                FeedbackRow.program_id == program_id,
                FeedbackRow.round_starts == round_starts,
                FeedbackRow.member_id == member_id,
            )
        )

    def ensure(self, program_id: int, round_starts: date, member_id: int, now: datetime) -> FeedbackRow:
        """The member's row for the round, created once even when two requests race to create it."""
        found = self.row(program_id, round_starts, member_id)
        if found is not None:
            return found
        try:
            with self.session.begin_nested():
                found = FeedbackRow(
                    workspace_id=self.workspace_id,
                    program_id=program_id,
                    round_starts=round_starts,
                    member_id=member_id,
                    created_at=now,
                    updated_at=now,
                )
                self.session.add(found)
        except IntegrityError:
            found = self.row(program_id, round_starts, member_id)
            assert found is not None
        return found

    def answer(self, row: FeedbackRow, question: str, answer: str, now: datetime) -> bool:
        """Store the answer (replacing an earlier one); whether anything changed."""
        column = COLUMNS[question]
        if getattr(row, column) == answer:
            return False
        setattr(row, column, answer)
        row.updated_at = now
        return True

    def comment(self, row: FeedbackRow, text: str | None, now: datetime) -> bool:
        """Keep `text` as the shared comment (None removes it); whether anything changed."""
        if row.comment == text:
            return False
        row.comment = text
        row.comment_shared_at = now if text is not None else None
        row.updated_at = now
        return True

    def results(self, programs: Iterable[Program]) -> list[RoundFeedback]:
        """Each program's feedback per round (rounds someone was asked about or answered), oldest first."""
        wanted = {program.id: program for program in programs}
        if not wanted:
            return []
        asked = self._asked(set(wanted))
        answers: dict[tuple[int, date], list[Answers]] = defaultdict(list)
        comments: dict[tuple[int, date], list[str]] = defaultdict(list)
        for program_id, starts, worth, met, carry_on, comment in self.session.execute(
            select(
                FeedbackRow.program_id,
                FeedbackRow.round_starts,
                FeedbackRow.worth,
                FeedbackRow.met,
                FeedbackRow.carry_on,
                FeedbackRow.comment,
            ).where(FeedbackRow.workspace_id == self.workspace_id, FeedbackRow.program_id.in_(sorted(wanted)))
        ):
            answers[(program_id, starts)].append(Answers(worth, met, carry_on))
            if comment:
                comments[(program_id, starts)].append(comment)
        rounds = sorted(set(asked) | set(answers), key=lambda key: (key[1], key[0]))
        found = []
        for program_id, starts in rounds:
            program = wanted[program_id]
            window = round_window(ProgramSettings.from_json(program.settings), starts)
            found.append(
                RoundFeedback.of(
                    program.name,
                    window.name,
                    starts,
                    len(asked.get((program_id, starts), ())),
                    answers.get((program_id, starts), ()),
                    comments.get((program_id, starts), ()),
                )
            )
        return found

    def latest(self, programs: Iterable[Program]) -> dict[str, LatestRound]:
        """Program name -> its latest round with feedback asked for (programs with none are left out)."""
        wanted = {program.id: program for program in programs}
        asked = self._asked(set(wanted))
        latest: dict[int, date] = {}
        for program_id, starts in asked:
            latest[program_id] = max(starts, latest.get(program_id, starts))
        found = {}
        for program_id, starts in latest.items():
            program = wanted[program_id]
            rows = self.session.execute(
                select(Member.slack_user_id, FeedbackRow.worth, FeedbackRow.met, FeedbackRow.carry_on)
                .join(Member, Member.id == FeedbackRow.member_id)
                .where(
                    FeedbackRow.workspace_id == self.workspace_id,
                    FeedbackRow.program_id == program_id,
                    FeedbackRow.round_starts == starts,
                )
            ).all()
            window = round_window(ProgramSettings.from_json(program.settings), starts)
            found[program.name] = LatestRound(
                window.name,
                frozenset(asked[(program_id, starts)]),
                {user_id: Answers(worth, met, carry_on) for user_id, worth, met, carry_on in rows},
            )
        return found

    def _asked(self, program_ids: set[int]) -> dict[tuple[int, date], set[str]]:
        """(program id, round's first day) -> Slack ids of those the questions reached (read from the keys,
        which outlive the payloads)."""
        asked: dict[tuple[int, date], set[str]] = defaultdict(set)
        for user_id, key in self.session.execute(
            select(OutboxNudge.user_id, OutboxNudge.key).where(
                OutboxNudge.workspace_id == self.workspace_id,
                OutboxNudge.kind == KIND,
                OutboxNudge.status == "sent",
            )
        ):
            named = round_of_key(key)
            if named is not None and named[0] in program_ids:
                asked[named].add(user_id)
        return asked

    def of_member(self, member_id: int) -> list[tuple[str, FeedbackRow]]:
        """(program name, row) of the member's own feedback, oldest round first: for their export."""
        return [
            (name, row)
            for name, row in self.session.execute(
                select(Program.name, FeedbackRow)
                .join(Program, Program.id == FeedbackRow.program_id)
                .where(FeedbackRow.workspace_id == self.workspace_id, FeedbackRow.member_id == member_id)
                .order_by(FeedbackRow.round_starts, FeedbackRow.id)
            ).all()
        ]

    def erase(self, member_id: int) -> None:
        self.session.execute(
            delete(FeedbackRow).where(
                FeedbackRow.workspace_id == self.workspace_id, FeedbackRow.member_id == member_id
            )
        )
