"""FAQ misses keep a question's words only when the asker agreed to pass it on, linked to them for
export and erasure

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_misses") as batch:
        batch.alter_column("question", existing_type=sa.Text(), nullable=True)
        batch.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_faq_misses_member_id_members"), "members", ["member_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_faq_misses_member_id"), ["member_id"])
    # Questions kept before members were asked: keep the count, forget the words.
    op.execute("UPDATE faq_misses SET question = NULL")


def downgrade() -> None:
    op.execute("DELETE FROM faq_misses WHERE question IS NULL")
    with op.batch_alter_table("faq_misses") as batch:
        batch.drop_index(op.f("ix_faq_misses_member_id"))
        batch.drop_constraint(op.f("fk_faq_misses_member_id_members"), type_="foreignkey")
        batch.drop_column("member_id")
        batch.alter_column("question", existing_type=sa.Text(), nullable=False)
