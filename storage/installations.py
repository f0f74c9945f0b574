"""slack_sdk's SQLAlchemy OAuth stores, kept in the app's own database and metadata.

The tables are declared on `Base.metadata` (so Alembic creates and checks them, migration 0007) in
slack_sdk's layout, with token columns wide enough for encrypted tokens. The stores never create tables.
"""

from __future__ import annotations

import logging

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, String, Table, select, update
from sqlalchemy.orm import Session

from storage.db import affected_rows
from storage.models import Base, OutboxNudge, Workspace

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
TOKEN_LENGTH = 512


def _with_wide_tokens(table: Table) -> Table:
    for name in TOKEN_COLUMNS:
        if name in table.c:
            table.c[name].type = String(TOKEN_LENGTH)
    return table


installations_table = _with_wide_tokens(
    SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations")
)
bots_table = _with_wide_tokens(SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots"))
oauth_states_table = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")


class InstallationStore(SQLAlchemyInstallationStore):
    """Installations and bots of one Slack app (`client_id`), in the app's tables."""

    def __init__(self, client_id: str, engine: Engine) -> None:
        super().__init__(client_id, engine, logger=logging.getLogger(__name__))
        self.metadata = Base.metadata
        self.installations = installations_table
        self.bots = bots_table

    def create_tables(self) -> None:
        raise RuntimeError("the OAuth tables come from the migrations: run `mentor-circles db upgrade`")

    def installed_teams(self) -> set[tuple[str, str]]:
        """(enterprise id or '', team id) of every workspace that has a bot token."""
        c = bots_table.c
        query = select(c.enterprise_id, c.team_id).where(
            c.client_id == self.client_id, c.bot_token.is_not(None)
        )
        with self.engine.connect() as connection:
            return {(enterprise or "", team or "") for enterprise, team in connection.execute(query)}


class OAuthStateStore(SQLAlchemyOAuthStateStore):
    """One-time `state` values of install attempts, valid for `expiration_seconds`."""

    def __init__(self, engine: Engine, expiration_seconds: int = 600) -> None:
        super().__init__(expiration_seconds, engine, logger=logging.getLogger(__name__))
        self.metadata = Base.metadata
        self.oauth_states = oauth_states_table

    def create_tables(self) -> None:
        raise RuntimeError("the OAuth tables come from the migrations: run `mentor-circles db upgrade`")


def workspace_ids(session: Session, teams: set[tuple[str, str]]) -> list[int]:
    """The ids of the stored workspaces among `teams` ((enterprise id or '', team id) pairs)."""
    rows = session.execute(select(Workspace.id, Workspace.enterprise_id, Workspace.team_id))
    return sorted(id_ for id_, enterprise, team in rows if (enterprise or "", team) in teams)


def skip_pending_nudges(session: Session, team_id: str, enterprise_id: str | None, reason: str) -> int:
    """Mark a workspace's not-yet-claimed nudges `skipped`; how many were."""
    workspace_id = session.scalar(
        select(Workspace.id).where(
            Workspace.team_id == team_id, Workspace.enterprise_id == (enterprise_id or "")
        )
    )
    if workspace_id is None:
        return 0
    result = session.execute(
        update(OutboxNudge)
        .where(OutboxNudge.workspace_id == workspace_id, OutboxNudge.status.in_(("pending", "merged")))
        .values(status="skipped", last_error=reason[:200])
    )
    return affected_rows(result)
