"""Find a time: meeting plans (the vote in a group DM and the slot chosen), slot votes, and the weekdays
a member is usually on nights or call

Revision ID: 0016_meeting_plans
Revises: 0015_round_feedback
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_meeting_plans"
down_revision: str | None = "0015_round_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("call_days", sa.JSON(), nullable=True))
    op.create_table(
        "meeting_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("relationship_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("chosen_slot", sa.Integer(), nullable=True),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_meeting_plans_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationships.id"],
            name=op.f("fk_meeting_plans_relationship_id_relationships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"],
            ["members.id"],
            name=op.f("fk_meeting_plans_proposed_by_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_plans")),
    )
    op.create_index(op.f("ix_meeting_plans_workspace_id"), "meeting_plans", ["workspace_id"])
    op.create_index(op.f("ix_meeting_plans_relationship_id"), "meeting_plans", ["relationship_id"])
    op.create_table(
        "slot_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("can", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["meeting_plans.id"],
            name=op.f("fk_slot_votes_plan_id_meeting_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_slot_votes_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_votes")),
        sa.UniqueConstraint("plan_id", "member_id", "slot", name=op.f("uq_slot_votes_plan_id")),
    )
    op.create_index(op.f("ix_slot_votes_member_id"), "slot_votes", ["member_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_slot_votes_member_id"), table_name="slot_votes")
    op.drop_table("slot_votes")
    op.drop_index(op.f("ix_meeting_plans_relationship_id"), table_name="meeting_plans")
    op.drop_index(op.f("ix_meeting_plans_workspace_id"), table_name="meeting_plans")
    op.drop_table("meeting_plans")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("call_days")
