"""The retention rule (`DATA_RETENTION_DAYS`), applied by every clock tick."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.usecases.deps import Deps
from storage.retention import Pruned, RetentionRepository

logger = logging.getLogger(__name__)


class Retention:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def prune(self, at: datetime) -> Pruned:
        cutoff = at - timedelta(days=self.deps.settings.data_retention_days)
        with self.deps.db.session() as session:
            pruned = RetentionRepository(session).prune(cutoff, at)
        if any((pruned.questions, pruned.nudge_payloads, pruned.audit_details)):
            self.deps.db.forget_deleted_text()
            logger.info(
                "retention: cleared %d question(s), %d nudge payload(s), %d audit detail(s)",
                pruned.questions,
                pruned.nudge_payloads,
                pruned.audit_details,
            )
        return pruned
