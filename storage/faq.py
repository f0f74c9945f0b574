"""Workspace FAQ entries, answer feedback and unanswered questions, all scoped to one workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.db import affected_rows
from storage.models import FaqFeedback, FaqMiss, FaqWellbeingAsk, WorkspaceFaq, utcnow


@dataclass(frozen=True)
class PassedOnQuestion:
    """A question passed on for the coordinators: its words and the row id, never who or when."""

    id: int
    question: str


class FaqRepository:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def entries(self) -> list[WorkspaceFaq]:
        return list(
            self.session.scalars(
                select(WorkspaceFaq)
                .where(WorkspaceFaq.workspace_id == self.workspace_id)
                .order_by(WorkspaceFaq.id)
            )
        )

    def version(self) -> tuple[int, datetime | None, int, datetime | None]:
        """Changes whenever an entry is added, edited or removed, or a learned question is added or loses
        its words (erasure, retention): the cache key for the search index."""
        count, newest = self.session.execute(
            select(func.count(WorkspaceFaq.id), func.max(WorkspaceFaq.updated_at)).where(
                WorkspaceFaq.workspace_id == self.workspace_id
            )
        ).one()
        learned, learned_newest = self.session.execute(
            select(func.count(FaqMiss.id), func.max(FaqMiss.resolved_at)).where(*self._learned())
        ).one()
        return int(count), newest, int(learned), learned_newest

    def _learned(self) -> Sequence[ColumnElement[bool]]:
        return (
            FaqMiss.workspace_id == self.workspace_id,
            FaqMiss.resolved_topic_id.is_not(None),
            FaqMiss.question.is_not(None),
        )

    def learned(self) -> dict[str, list[str]]:
        """Topic id -> the passed-on questions coordinators answered with it, oldest first."""
        rows = self.session.execute(
            select(FaqMiss.resolved_topic_id, FaqMiss.question).where(*self._learned()).order_by(FaqMiss.id)
        )
        found: dict[str, list[str]] = {}
        for topic_id, question in rows:
            found.setdefault(str(topic_id), []).append(str(question))
        return found

    def get(self, entry_id: int) -> WorkspaceFaq | None:
        return self.session.scalar(
            select(WorkspaceFaq).where(
                WorkspaceFaq.workspace_id == self.workspace_id, WorkspaceFaq.id == entry_id
            )
        )

    def add(self, title: str, answer: str, keywords: str, created_by: str) -> WorkspaceFaq:
        entry = WorkspaceFaq(
            workspace_id=self.workspace_id,
            title=title,
            answer=answer,
            keywords=keywords,
            created_by=created_by,
        )
        self.session.add(entry)
        self.session.flush()
        return entry

    def remove(self, entry_id: int) -> bool:
        result = self.session.execute(
            delete(WorkspaceFaq).where(
                WorkspaceFaq.workspace_id == self.workspace_id, WorkspaceFaq.id == entry_id
            )
        )
        return bool(affected_rows(result))

    def record_feedback(self, topic_id: str, helpful: bool, vote: str | None = None) -> bool:
        """Count a vote; False when this answer's vote (`vote`, its token) was counted already."""
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(FaqFeedback)
            .values(
                workspace_id=self.workspace_id,
                topic_id=topic_id,
                helpful=helpful,
                vote_token=vote,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "vote_token"])
            .returning(FaqFeedback.id)
        )
        return self.session.execute(statement).first() is not None

    def record_miss(self, reason: str, topic_id: str | None = None) -> int:
        """Count a miss, without its words; the id lets the asker pass the question on later."""
        miss = FaqMiss(workspace_id=self.workspace_id, reason=reason, topic_id=topic_id)
        self.session.add(miss)
        self.session.flush()
        return miss.id

    def pass_on(self, miss_id: int, question: str, member_id: int | None) -> bool:
        """Keep the words of a counted miss, once: False when it is unknown or already passed on."""
        result = self.session.execute(
            update(FaqMiss)
            .where(
                FaqMiss.workspace_id == self.workspace_id,
                FaqMiss.id == miss_id,
                FaqMiss.question.is_(None),
            )
            .values(question=question, member_id=member_id)
        )
        return bool(affected_rows(result))

    def miss_exists(self, miss_id: int) -> bool:
        return (
            self.session.scalar(
                select(FaqMiss.id).where(FaqMiss.workspace_id == self.workspace_id, FaqMiss.id == miss_id)
            )
            is not None
        )

    def passed_on(self, limit: int) -> list[PassedOnQuestion]:
        """Passed-on questions no coordinator has handled yet, newest first."""
        rows = self.session.execute(
            select(FaqMiss.id, FaqMiss.question)
            .where(
                FaqMiss.workspace_id == self.workspace_id,
                FaqMiss.question.is_not(None),
                FaqMiss.resolved_at.is_(None),
            )
            .order_by(FaqMiss.id.desc())
            .limit(limit)
        )
        return [PassedOnQuestion(int(miss_id), str(question)) for miss_id, question in rows]

    def passed_on_question(self, miss_id: int) -> str | None:
        """The words of a passed-on question still waiting for a coordinator; None otherwise."""
        return self.session.scalar(
            select(FaqMiss.question).where(
                FaqMiss.workspace_id == self.workspace_id,
                FaqMiss.id == miss_id,
                FaqMiss.question.is_not(None),
                FaqMiss.resolved_at.is_(None),
            )
        )

    def resolve(self, miss_id: int, topic_id: str | None) -> bool:
        """Mark a waiting passed-on question handled, answered with ``topic_id`` (None: an entry was written
        from it). False when it is unknown, has lost its words, or was handled already."""
        result = self.session.execute(
            update(FaqMiss)
            .where(
                FaqMiss.workspace_id == self.workspace_id,
                FaqMiss.id == miss_id,
                FaqMiss.question.is_not(None),
                FaqMiss.resolved_at.is_(None),
            )
            .values(resolved_topic_id=topic_id, resolved_at=utcnow())
        )
        return bool(affected_rows(result))

    def record_wellbeing_ask(self) -> None:
        """Count a question answered with the wellbeing topic; nothing about it or the asker is kept."""
        self.session.add(FaqWellbeingAsk(workspace_id=self.workspace_id))

    def wellbeing_asks(self) -> int:
        return int(
            self.session.scalar(
                select(func.count(FaqWellbeingAsk.id)).where(
                    FaqWellbeingAsk.workspace_id == self.workspace_id
                )
            )
            or 0
        )

    def misses(self) -> list[FaqMiss]:
        return list(
            self.session.scalars(
                select(FaqMiss).where(FaqMiss.workspace_id == self.workspace_id).order_by(FaqMiss.created_at)
            )
        )

    def feedback_counts(self) -> dict[tuple[str, bool], int]:
        rows = self.session.execute(
            select(FaqFeedback.topic_id, FaqFeedback.helpful, func.count())
            .where(FaqFeedback.workspace_id == self.workspace_id)
            .group_by(FaqFeedback.topic_id, FaqFeedback.helpful)
        )
        return {(topic, helpful): count for topic, helpful, count in rows}
