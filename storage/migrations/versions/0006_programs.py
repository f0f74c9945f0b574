"""programs and their members, stored coordinators, and the admin audit log

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspaces.id"],
        name=op.f(f"fk_{table}_workspace_id_workspaces"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "coordinators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("coordinators"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordinators")),
        sa.UniqueConstraint("workspace_id", "slack_user_id", name=op.f("uq_coordinators_workspace_id")),
    )
    op.create_index(op.f("ix_coordinators_workspace_id"), "coordinators", ["workspace_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("audit_log"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_workspace_id_created_at", "audit_log", ["workspace_id", "created_at"])
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("programs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_programs_workspace_id")),
    )
    op.create_index(op.f("ix_programs_workspace_id"), "programs", ["workspace_id"])
    op.create_table(
        "program_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_program_members_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_program_members_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_members")),
        sa.UniqueConstraint("program_id", "member_id", name=op.f("uq_program_members_program_id")),
    )
    op.create_index(op.f("ix_program_members_program_id"), "program_members", ["program_id"])
    op.create_index(op.f("ix_program_members_member_id"), "program_members", ["member_id"])
    for table in ("rounds", "relationships"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("program_id", sa.Integer(), nullable=True))
            batch.create_index(op.f(f"ix_{table}_program_id"), ["program_id"])
            batch.create_foreign_key(
                op.f(f"fk_{table}_program_id_programs"),
                "programs",
                ["program_id"],
                ["id"],
                ondelete="SET NULL",
            )


def downgrade() -> None:
    for table in ("relationships", "rounds"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_program_id_programs"), type_="foreignkey")
            batch.drop_index(op.f(f"ix_{table}_program_id"))
            batch.drop_column("program_id")
    op.drop_index(op.f("ix_program_members_member_id"), table_name="program_members")
    op.drop_index(op.f("ix_program_members_program_id"), table_name="program_members")
    op.drop_table("program_members")
    op.drop_index(op.f("ix_programs_workspace_id"), table_name="programs")
    op.drop_table("programs")
    op.drop_index("ix_audit_log_workspace_id_created_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_coordinators_workspace_id"), table_name="coordinators")
    op.drop_table("coordinators")
