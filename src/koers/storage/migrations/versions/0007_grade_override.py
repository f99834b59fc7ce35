"""grade override

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Issue 15 (admin): a closed cycle's objective can be graded by hand, with a note; the computed grade stays in
`objectives.grade`, beside it:
- objectives.grade_override: the grade set by hand (0.0–1.0), NULL when there is none;
- objectives.grade_note: why;
- objectives.grade_overridden_by, objectives.grade_overridden_at: who set it, and when.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import koers.storage.tables

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grade_override", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("grade_note", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("grade_overridden_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("grade_overridden_at", koers.storage.tables.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_objectives_grade_overridden_by_users"), "users", ["grade_overridden_by"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_objectives_grade_overridden_by_users"), type_="foreignkey")
        batch_op.drop_column("grade_overridden_at")
        batch_op.drop_column("grade_overridden_by")
        batch_op.drop_column("grade_note")
        batch_op.drop_column("grade_override")
