"""matching rounds, and relationships linked to their round with their introduction

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_rounds_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    op.create_index(op.f("ix_rounds_workspace_id"), "rounds", ["workspace_id"])
    with op.batch_alter_table("relationships") as batch:
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reasons", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("intro_claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("intro_channel", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("intro_ts", sa.String(length=32), nullable=True))
        batch.create_index(op.f("ix_relationships_round_id"), ["round_id"])
        batch.create_foreign_key(
            op.f("fk_relationships_round_id_rounds"), "rounds", ["round_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("relationships") as batch:
        batch.drop_constraint(op.f("fk_relationships_round_id_rounds"), type_="foreignkey")
        batch.drop_index(op.f("ix_relationships_round_id"))
        for column in ("intro_ts", "intro_channel", "intro_claimed_at", "reasons", "round_id"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_rounds_workspace_id"), table_name="rounds")
    op.drop_table("rounds")
