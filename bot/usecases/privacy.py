"""A member's data: what is kept (privacy page), export, and erasure.

None of these look the person up in Slack or create a member row: asking about your data must never
create any.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import event

from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import UnitOfWork
from storage.my_data import Erasure, MyDataRepository, PrivacyFacts

logger = logging.getLogger(__name__)

DELETE_BUTTON_LIFETIME = timedelta(minutes=30)


def is_fresh(value: str | None, now: datetime, lifetime: timedelta = DELETE_BUTTON_LIFETIME) -> bool:
    """A delete button works only for a while after it was offered (a forgotten one does nothing)."""
    try:
        issued = int(value or "")
    except ValueError:
        return False
    age = now.timestamp() - issued
    return -60 <= age <= lifetime.total_seconds()


@dataclass(frozen=True)
class PrivacyPage:
    facts: PrivacyFacts | None
    """None for someone who has never signed up."""
    coordinators: str
    """Mentions of the workspace's coordinators, whom to ask about data."""
    retention_days: int


@dataclass(frozen=True)
class ExportRequest:
    queued: bool
    """False when nothing of the member's is stored, so there is no file to send."""


@dataclass(frozen=True)
class ErasureOffer:
    issued_at: int
    """When the delete button was offered (Unix seconds), carried by the button to check its freshness."""


class ErasureResult(StrEnum):
    ERASED = "erased"
    EXPIRED = "expired"
    NOTHING_TO_ERASE = "nothing"


@dataclass(frozen=True)
class ErasureOutcome:
    result: ErasureResult
    erasure: Erasure | None = None


class Privacy:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def page(self, uow: UnitOfWork, user_id: str) -> PrivacyPage:
        repository = MyDataRepository(uow.session, uow.workspace_id)
        member = repository.member(user_id)
        facts = repository.privacy_facts(member) if member is not None else None
        return PrivacyPage(
            facts,
            self.deps.coordinators.mentions(uow.workspace.team_id, uow.workspace.enterprise_id or None),
            self.deps.settings.data_retention_days,
        )

    def export(self, uow: UnitOfWork, user_id: str) -> ExportRequest:
        """Queue the member's export file; it is made when sent, so its contents are never stored."""
        repository = MyDataRepository(uow.session, uow.workspace_id)
        member = repository.member(user_id)
        if member is None or not repository.has_data(member):
            return ExportRequest(False)
        self.deps.effects.send_file(uow.session, uow.workspace_id, user_id, "export")
        return ExportRequest(True)

    def offer_erasure(self) -> ErasureOffer:
        return ErasureOffer(int(self.deps.clock().timestamp()))

    def erase(self, uow: UnitOfWork, user_id: str, button_value: str | None) -> ErasureOutcome:
        """The delete button's confirmation: erase the member's data, forget what is queued for them, and
        refresh the Homes of the others who saw them. A button older than `DELETE_BUTTON_LIFETIME` does
        nothing."""
        now = self.deps.clock()
        if not is_fresh(button_value, now):
            return ErasureOutcome(ErasureResult.EXPIRED)
        repository = MyDataRepository(uow.session, uow.workspace_id)
        member = repository.member(user_id, for_update=True)
        if member is None:
            return ErasureOutcome(ErasureResult.NOTHING_TO_ERASE)
        erasure = repository.erase(member, now)
        event.listen(
            uow.session, "after_commit", lambda _session: self.deps.db.forget_deleted_text(), once=True
        )
        self.deps.effects.forget(uow.session, uow.workspace_id, user_id)
        self.deps.effects.refresh_homes(uow.session, uow.workspace_id, erasure.affected_user_ids)
        logger.info(
            "erased a member's data: %d goals emptied, %d notes deleted, %d relationships left",
            erasure.goals_emptied,
            erasure.notes_deleted,
            erasure.relationships_left,
        )
        return ErasureOutcome(ErasureResult.ERASED, erasure)
