"""FAQ search for a workspace: the built-ins plus that workspace's own entries, and the passed-on questions
its coordinators answered with a topic, in one cached index."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.faq import FaqEntry, FaqIndex, WorkspaceIndexCache, parse_keywords, workspace_entry
from storage.faq import FaqRepository
from storage.models import WorkspaceFaq


def as_entry(row: WorkspaceFaq) -> FaqEntry:
    return workspace_entry(
        str(row.workspace_id), str(row.id), row.title, row.answer, parse_keywords(row.keywords)
    )


class FaqService:
    """The index for a workspace, rebuilt when its stored entries change.

    The version check is one small query, so every process (gunicorn workers, the socket worker) sees a
    coordinator's edit on its next question.
    """

    def __init__(self, cache: WorkspaceIndexCache | None = None) -> None:
        self.cache = cache or WorkspaceIndexCache()

    def index(self, session: Session, workspace_id: int) -> FaqIndex:
        repository = FaqRepository(session, workspace_id)
        return self.cache.get(
            str(workspace_id),
            repository.version(),
            lambda: [as_entry(row) for row in repository.entries()],
            repository.learned,
        )
