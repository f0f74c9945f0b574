"""Answers to the end-of-round feedback DM: its three questions and the optional comment.

Each button names the outbox row it answers; the row must be this member's `round_feedback` nudge, and
its key names the program and round the answers are kept for (`bot.domain.feedback.round_of_key`). One
row per member and round holds the answers, so a changed answer replaces the earlier one and a retried
click or a resubmitted modal stores nothing twice. A comment is kept only with the member's consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.feedback import MAX_COMMENT_CHARS, Answers, is_answer, round_of_key
from bot.usecases.deps import Deps
from bot.usecases.nudge_answers import NOT_YOURS, UNREADABLE, NudgeButton
from bot.usecases.unit_of_work import MemberUnit
from storage.feedback import FeedbackRepository, answers_of
from storage.models import OutboxNudge, Program

KIND = "round_feedback"
PROGRAM_GONE = "That program has been archived or removed, so there's nothing to answer any more. Thank you!"
COMMENT_SHARED = "Thank you! Your comment is shared with your coordinators, without your name."
COMMENT_REMOVED = "Your comment is removed. Your answers stay as they were."
NO_COMMENT = "There was no comment to save, so nothing changed. Your answers stay as they were."
NEEDS_CONSENT = (
    "Tick this to share your comment, or press Cancel to keep it to yourself: "
    "it's only kept when you agree to share it."
)
TOO_LONG = f"Please keep your comment under {MAX_COMMENT_CHARS} characters."


@dataclass(frozen=True)
class FeedbackReply:
    """The feedback message again, with `answers` marked (`payload` set); or just a note (`text`)."""

    text: str = ""
    payload: dict[str, Any] | None = None
    answers: Answers | None = None


@dataclass(frozen=True)
class CommentForm:
    outbox_id: int
    current: str | None


@dataclass(frozen=True)
class CommentOutcome:
    """The modal's result: `errors` by block id keep it open; otherwise `message` replaces it."""

    message: str = ""
    errors: dict[str, str] | None = None


@dataclass(frozen=True)
class _Round:
    row: OutboxNudge
    program: Program
    starts: Any


class RoundFeedbackAnswers:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def answer(
        self, unit: MemberUnit, button: NudgeButton | None, question: str, answer: str
    ) -> FeedbackReply:
        """Store one question's answer (replacing an earlier one) and give the message back, marked."""
        found = self._round(unit, button.outbox_id if button else None, button)
        if not isinstance(found, _Round):
            return found
        if not is_answer(question, answer):
            return FeedbackReply(UNREADABLE)
        now = self.deps.clock()
        feedback = FeedbackRepository(unit.session, unit.workspace_id)
        row = feedback.ensure(found.program.id, found.starts, unit.member.id, now)
        feedback.answer(row, question, answer, now)
        if found.row.response is None:
            unit.outbox.record_response(found.row, "answered", now)
        return FeedbackReply(
            payload={**found.row.payload, "outbox_id": found.row.id}, answers=answers_of(row)
        )

    def comment_form(self, unit: MemberUnit, button: NudgeButton | None) -> CommentForm | FeedbackReply:
        """What the comment modal opens with: the member's shared comment so far, if any."""
        found = self._round(unit, button.outbox_id if button else None, button)
        if not isinstance(found, _Round):
            return found
        feedback = FeedbackRepository(unit.session, unit.workspace_id)
        row = feedback.row(found.program.id, found.starts, unit.member.id)
        return CommentForm(found.row.id, row.comment if row is not None else None)

    def comment(self, unit: MemberUnit, outbox_id: int, text: str, consent: bool) -> CommentOutcome:
        """Keep the comment when the member agreed to share it; an empty one removes a shared comment."""
        found = self._round(unit, outbox_id, None)
        if not isinstance(found, _Round):
            return CommentOutcome(found.text)
        words = text.strip()
        if len(words) > MAX_COMMENT_CHARS:
            return CommentOutcome(errors={"comment": TOO_LONG})
        if words and not consent:
            return CommentOutcome(errors={"consent": NEEDS_CONSENT})
        feedback = FeedbackRepository(unit.session, unit.workspace_id)
        now = self.deps.clock()
        if not words:
            row = feedback.row(found.program.id, found.starts, unit.member.id)
            if row is None or row.comment is None:
                return CommentOutcome(NO_COMMENT)
            feedback.comment(row, None, now)
            return CommentOutcome(COMMENT_REMOVED)
        row = feedback.ensure(found.program.id, found.starts, unit.member.id, now)
        feedback.comment(row, words, now)
        if found.row.response is None:
            unit.outbox.record_response(found.row, "answered", now)
        return CommentOutcome(COMMENT_SHARED)

    @staticmethod
    def _round(unit: MemberUnit, outbox_id: int | None, button: NudgeButton | None) -> _Round | FeedbackReply:
        """The member's own feedback nudge a button or modal names (a button may name it by its message)."""
        if outbox_id:
            row = unit.session.get(OutboxNudge, outbox_id)
        elif button is not None:
            row = unit.outbox.find_by_message(button.channel, button.ts)
        else:
            row = None
        named = round_of_key(row.key) if row is not None else None
        if row is None or row.workspace_id != unit.workspace_id or row.kind != KIND or named is None:
            return FeedbackReply(UNREADABLE)
        if row.user_id != unit.member.slack_user_id:
            return FeedbackReply(NOT_YOURS)
        program = unit.programs.get(named[0])
        if program is None or program.is_archived:
            return FeedbackReply(PROGRAM_GONE)
        return _Round(row, program, named[1])
