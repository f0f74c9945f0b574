"""FAQ learning: a passed-on question a coordinator answered with a topic (its words then count for that
topic in their workspace), and a count, never the words, of questions answered with the wellbeing topic

Revision ID: 0010_faq_learning
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_faq_learning"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_misses") as batch:
        batch.add_column(sa.Column("resolved_topic_id", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "faq_wellbeing_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_faq_wellbeing_asks_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_wellbeing_asks")),
    )
    op.create_index(op.f("ix_faq_wellbeing_asks_workspace_id"), "faq_wellbeing_asks", ["workspace_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_faq_wellbeing_asks_workspace_id"), table_name="faq_wellbeing_asks")
    op.drop_table("faq_wellbeing_asks")
    with op.batch_alter_table("faq_misses") as batch:
        batch.drop_column("resolved_at")
        batch.drop_column("resolved_topic_id")
