"""End-of-round feedback: one row per participant and round of a program, the comment only with consent

Revision ID: 0015_round_feedback
Revises: 0014_change_requests
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_round_feedback"
down_revision: str | None = "0014_change_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "round_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("round_starts", sa.Date(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("worth", sa.String(length=12), nullable=True),
        sa.Column("met", sa.String(length=12), nullable=True),
        sa.Column("carry_on", sa.String(length=12), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_round_feedback_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_round_feedback_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_round_feedback_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_feedback")),
        sa.UniqueConstraint(
            "program_id", "round_starts", "member_id", name=op.f("uq_round_feedback_program_id")
        ),
    )
    op.create_index(op.f("ix_round_feedback_workspace_id"), "round_feedback", ["workspace_id"])
    op.create_index(op.f("ix_round_feedback_member_id"), "round_feedback", ["member_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_round_feedback_member_id"), table_name="round_feedback")
    op.drop_index(op.f("ix_round_feedback_workspace_id"), table_name="round_feedback")
    op.drop_table("round_feedback")
