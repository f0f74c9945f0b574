"""The message budget: a nudge merged into a member's one DM of the day names that DM's key

Revision ID: 0017_merged_nudges
Revises: 0016_meeting_plans
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_merged_nudges"
down_revision: str | None = "0016_meeting_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("merged_into", sa.String(length=200), nullable=True))
        batch.create_index("ix_outbox_workspace_id_merged_into", ["workspace_id", "merged_into"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_workspace_id_merged_into")
        batch.drop_column("merged_into")
