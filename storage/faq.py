"""Workspace FAQ entries, answer feedback and unanswered questions, all scoped to one workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.db import affected_rows
from storage.models import FaqFeedback, FaqMiss, WorkspaceFaq


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

    def version(self) -> tuple[int, datetime | None]:
        """Changes whenever an entry is added, edited or removed: the cache key for the search index."""
        count, newest = self.session.execute(
            select(func.count(WorkspaceFaq.id), func.max(WorkspaceFaq.updated_at)).where(
                WorkspaceFaq.workspace_id == self.workspace_id
            )
        ).one()
        return int(count), newest

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

    def record_feedback(self, topic_id: str, helpful: bool) -> None:
        self.session.add(FaqFeedback(workspace_id=self.workspace_id, topic_id=topic_id, helpful=helpful))

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
