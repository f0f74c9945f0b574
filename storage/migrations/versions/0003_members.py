"""member profiles, goals, relationships and meetings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "relationships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_relationships_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationships")),
    )
    op.create_index(op.f("ix_relationships_workspace_id"), "relationships", ["workspace_id"], unique=False)
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("domain", sa.String(length=30), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_goals_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_goals_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("member_id", "number", name=op.f("uq_goals_member_id")),
    )
    op.create_index(op.f("ix_goals_member_id"), "goals", ["member_id"], unique=False)
    op.create_index(op.f("ix_goals_workspace_id"), "goals", ["workspace_id"], unique=False)
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("relationship_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("logged_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["logged_by_id"],
            ["members.id"],
            name=op.f("fk_meetings_logged_by_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationships.id"],
            name=op.f("fk_meetings_relationship_id_relationships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_meetings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("workspace_id", "dedupe_key", name=op.f("uq_meetings_workspace_id")),
    )
    op.create_index(op.f("ix_meetings_relationship_id"), "meetings", ["relationship_id"], unique=False)
    op.create_index(op.f("ix_meetings_workspace_id"), "meetings", ["workspace_id"], unique=False)
    op.create_table(
        "member_avoids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("avoided_user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_avoids_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_member_avoids_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_avoids")),
        sa.UniqueConstraint("member_id", "avoided_user_id", name=op.f("uq_member_avoids_member_id")),
    )
    op.create_index(op.f("ix_member_avoids_member_id"), "member_avoids", ["member_id"], unique=False)
    op.create_index(op.f("ix_member_avoids_workspace_id"), "member_avoids", ["workspace_id"], unique=False)
    op.create_table(
        "relationship_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("relationship_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_relationship_members_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationships.id"],
            name=op.f("fk_relationship_members_relationship_id_relationships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship_members")),
        sa.UniqueConstraint(
            "relationship_id", "member_id", name=op.f("uq_relationship_members_relationship_id")
        ),
    )
    op.create_index(
        op.f("ix_relationship_members_member_id"), "relationship_members", ["member_id"], unique=False
    )
    op.create_index(
        op.f("ix_relationship_members_relationship_id"),
        "relationship_members",
        ["relationship_id"],
        unique=False,
    )
    op.create_table(
        "goal_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_checkins_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_checkins")),
    )
    op.create_index(op.f("ix_goal_checkins_goal_id"), "goal_checkins", ["goal_id"], unique=False)
    op.create_table(
        "meeting_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendees_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_meeting_attendees_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendees")),
        sa.UniqueConstraint("meeting_id", "member_id", name=op.f("uq_meeting_attendees_meeting_id")),
    )
    op.create_index(
        op.f("ix_meeting_attendees_meeting_id"), "meeting_attendees", ["meeting_id"], unique=False
    )
    op.create_index(op.f("ix_meeting_attendees_member_id"), "meeting_attendees", ["member_id"], unique=False)
    op.create_table(
        "meeting_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_notes_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_meeting_notes_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notes")),
    )
    op.create_index(op.f("ix_meeting_notes_meeting_id"), "meeting_notes", ["meeting_id"], unique=False)
    op.create_index(op.f("ix_meeting_notes_member_id"), "meeting_notes", ["member_id"], unique=False)
    op.add_column(
        "members", sa.Column("tz_source", sa.String(length=10), nullable=False, server_default="slack")
    )
    op.add_column("members", sa.Column("slack_synced_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("members", sa.Column("roles", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("members", sa.Column("stage", sa.String(length=40), nullable=True))
    op.add_column("members", sa.Column("specialty", sa.String(length=60), nullable=True))
    op.add_column("members", sa.Column("specialty_other", sa.String(length=80), nullable=True))
    op.add_column("members", sa.Column("track", sa.String(length=30), nullable=True))
    op.add_column("members", sa.Column("needs", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("members", sa.Column("offers", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("members", sa.Column("frequency", sa.String(length=20), nullable=True))
    op.add_column("members", sa.Column("capacity", sa.Integer(), nullable=True))
    op.add_column("members", sa.Column("site", sa.String(length=80), nullable=True))
    op.add_column(
        "members", sa.Column("status", sa.String(length=10), nullable=False, server_default="active")
    )
    op.add_column("members", sa.Column("paused_until", sa.Date(), nullable=True))
    op.add_column("members", sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("members", "joined_at")
    op.drop_column("members", "paused_until")
    op.drop_column("members", "status")
    op.drop_column("members", "site")
    op.drop_column("members", "capacity")
    op.drop_column("members", "frequency")
    op.drop_column("members", "offers")
    op.drop_column("members", "needs")
    op.drop_column("members", "track")
    op.drop_column("members", "specialty_other")
    op.drop_column("members", "specialty")
    op.drop_column("members", "stage")
    op.drop_column("members", "roles")
    op.drop_column("members", "slack_synced_at")
    op.drop_column("members", "tz_source")
    op.drop_index(op.f("ix_meeting_notes_member_id"), table_name="meeting_notes")
    op.drop_index(op.f("ix_meeting_notes_meeting_id"), table_name="meeting_notes")
    op.drop_table("meeting_notes")
    op.drop_index(op.f("ix_meeting_attendees_member_id"), table_name="meeting_attendees")
    op.drop_index(op.f("ix_meeting_attendees_meeting_id"), table_name="meeting_attendees")
    op.drop_table("meeting_attendees")
    op.drop_index(op.f("ix_goal_checkins_goal_id"), table_name="goal_checkins")
    op.drop_table("goal_checkins")
    op.drop_index(op.f("ix_relationship_members_relationship_id"), table_name="relationship_members")
    op.drop_index(op.f("ix_relationship_members_member_id"), table_name="relationship_members")
    op.drop_table("relationship_members")
    op.drop_index(op.f("ix_member_avoids_workspace_id"), table_name="member_avoids")
    op.drop_index(op.f("ix_member_avoids_member_id"), table_name="member_avoids")
    op.drop_table("member_avoids")
    op.drop_index(op.f("ix_meetings_workspace_id"), table_name="meetings")
    op.drop_index(op.f("ix_meetings_relationship_id"), table_name="meetings")
    op.drop_table("meetings")
    op.drop_index(op.f("ix_goals_workspace_id"), table_name="goals")
    op.drop_index(op.f("ix_goals_member_id"), table_name="goals")
    op.drop_table("goals")
    op.drop_index(op.f("ix_relationships_workspace_id"), table_name="relationships")
    op.drop_table("relationships")
