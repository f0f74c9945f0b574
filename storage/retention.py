"""Dropping what the app no longer needs: old free text, sent nudges' contents, audit details, OAuth states.

Counts stay: a miss keeps its row, a sent nudge its status and answer, an audit entry its actor, action
and outcome. Only the parts that can carry words or names are cleared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import String, cast, delete, update
from sqlalchemy.orm import Session

from storage.db import affected_rows
from storage.installations import oauth_states_table
from storage.models import AuditEntry, CoordinatorNotice, FaqMiss, OutboxNudge

FINISHED = ("sent", "skipped", "dead")


@dataclass(frozen=True)
class Pruned:
    questions: int
    nudge_payloads: int
    audit_details: int
    oauth_states: int
    notices: int = 0


def _naive_utc(moment: datetime) -> datetime:
    """slack_sdk's state store writes naive UTC times."""
    return moment.astimezone(UTC).replace(tzinfo=None)


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def prune(self, older_than: datetime, now: datetime) -> Pruned:
        """Clear what was written before `older_than` (across workspaces), and OAuth states expired by `now`."""
        questions = self.session.execute(
            update(FaqMiss)
            .where(FaqMiss.created_at < older_than, FaqMiss.question.is_not(None))
            .values(question=None, member_id=None)
        )
        payloads = self.session.execute(
            update(OutboxNudge)
            .where(
                OutboxNudge.status.in_(FINISHED),
                OutboxNudge.created_at < older_than,
                cast(OutboxNudge.payload, String) != "{}",
            )
            .values(payload={})
        )
        audit = self.session.execute(
            update(AuditEntry)
            .where(AuditEntry.created_at < older_than, AuditEntry.target != "")
            .values(target="")
        )
        states = self.session.execute(
            delete(oauth_states_table).where(oauth_states_table.c.expire_at < _naive_utc(now))
        )
        notices = self.session.execute(
            delete(CoordinatorNotice).where(
                CoordinatorNotice.created_at < older_than, CoordinatorNotice.nudge_key.is_not(None)
            )
        )
        return Pruned(
            affected_rows(questions),
            affected_rows(payloads),
            affected_rows(audit),
            affected_rows(states),
            affected_rows(notices),
        )
