"""Members' change requests and mentees' choices of mentor

Revision ID: 0014_change_requests
Revises: 0013_announcements
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_change_requests"
down_revision: str | None = "0013_announcements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("relationship_id", sa.Integer(), nullable=True),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("avoid_user_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_change_requests_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_change_requests_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationships.id"],
            name=op.f("fk_change_requests_relationship_id_relationships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_change_requests_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_requests")),
        sa.UniqueConstraint("member_id", "relationship_id", name=op.f("uq_change_requests_member_id")),
    )
    op.create_index(op.f("ix_change_requests_workspace_id"), "change_requests", ["workspace_id"])
    op.create_index(op.f("ix_change_requests_member_id"), "change_requests", ["member_id"])
    op.create_table(
        "mentor_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("relationship_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_mentor_offers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_mentor_offers_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["members.id"], name=op.f("fk_mentor_offers_mentee_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["members.id"], name=op.f("fk_mentor_offers_mentor_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationships.id"],
            name=op.f("fk_mentor_offers_relationship_id_relationships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_offers")),
        sa.UniqueConstraint("program_id", "mentee_id", "mentor_id", name=op.f("uq_mentor_offers_program_id")),
    )
    op.create_index(op.f("ix_mentor_offers_workspace_id"), "mentor_offers", ["workspace_id"])
    op.create_index(op.f("ix_mentor_offers_mentee_id"), "mentor_offers", ["mentee_id"])
    op.create_index(op.f("ix_mentor_offers_mentor_id"), "mentor_offers", ["mentor_id"])
    op.create_index("ix_mentor_offers_status_respond_by", "mentor_offers", ["status", "respond_by"])


def downgrade() -> None:
    op.drop_index("ix_mentor_offers_status_respond_by", table_name="mentor_offers")
    op.drop_index(op.f("ix_mentor_offers_mentor_id"), table_name="mentor_offers")
    op.drop_index(op.f("ix_mentor_offers_mentee_id"), table_name="mentor_offers")
    op.drop_index(op.f("ix_mentor_offers_workspace_id"), table_name="mentor_offers")
    op.drop_table("mentor_offers")
    op.drop_index(op.f("ix_change_requests_member_id"), table_name="change_requests")
    op.drop_index(op.f("ix_change_requests_workspace_id"), table_name="change_requests")
    op.drop_table("change_requests")
