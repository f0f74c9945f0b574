"""Rounds remember the round they were previewed after (so racing publishers cannot both publish),
coordinators' notices wait in their own table until the day's DM carries them, and an FAQ answer's vote is
counted once

Revision ID: 0011_exactly_once
Revises: 0010_faq_learning
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_exactly_once"
down_revision: str | None = "0010_faq_learning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("based_on_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_rounds_based_on_id_rounds"), "rounds", ["based_on_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "coordinator_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nudge_key", sa.String(length=160), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_coordinator_notices_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordinator_notices")),
        sa.UniqueConstraint(
            "workspace_id", "recipient", "key", name=op.f("uq_coordinator_notices_workspace_id")
        ),
    )
    op.create_index(op.f("ix_coordinator_notices_workspace_id"), "coordinator_notices", ["workspace_id"])
    op.create_index(op.f("ix_coordinator_notices_nudge_key"), "coordinator_notices", ["nudge_key"])
    with op.batch_alter_table("faq_feedback") as batch:
        batch.add_column(sa.Column("vote_token", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(op.f("uq_faq_feedback_workspace_id"), ["workspace_id", "vote_token"])


def downgrade() -> None:
    with op.batch_alter_table("faq_feedback") as batch:
        batch.drop_constraint(op.f("uq_faq_feedback_workspace_id"), type_="unique")
        batch.drop_column("vote_token")
    op.drop_index(op.f("ix_coordinator_notices_nudge_key"), table_name="coordinator_notices")
    op.drop_index(op.f("ix_coordinator_notices_workspace_id"), table_name="coordinator_notices")
    op.drop_table("coordinator_notices")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_constraint(op.f("fk_rounds_based_on_id_rounds"), type_="foreignkey")
        batch.drop_column("based_on_id")
