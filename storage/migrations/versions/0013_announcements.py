"""Coordinators' announcements: one row per submitted modal, so its DMs are queued once

Revision ID: 0013_announcements
Revises: 0012_program_archive
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_announcements"
down_revision: str | None = "0012_program_archive"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("view_id", sa.String(length=64), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_announcements_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_announcements_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
        sa.UniqueConstraint("workspace_id", "view_id", name=op.f("uq_announcements_workspace_id")),
    )
    op.create_index(op.f("ix_announcements_workspace_id"), "announcements", ["workspace_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_announcements_workspace_id"), table_name="announcements")
    op.drop_table("announcements")
