"""Opening a transaction for the workspace a request came from."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Workspace
from storage.repositories import WorkspaceRepository


@contextmanager
def workspace_session(
    db: Database, team_id: str | None, enterprise_id: str | None
) -> Iterator[tuple[Session, Workspace]]:
    with db.session() as session:
        yield session, WorkspaceRepository(session).ensure(team_id or "", enterprise_id)
