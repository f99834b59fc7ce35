"""coach findings kept on goals

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Issue 15 (the team lead's loop): coach_findings holds what the quality coach found in an objective's or key
result's text when it was saved, with the sha256 of that text: the findings stay on the goal as a flag until its
text changes (then they are recomputed, or the row goes when nothing is left).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coach_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=True),
        sa.Column("key_result_id", sa.Integer(), nullable=True),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(objective_id IS NULL) <> (key_result_id IS NULL)", name=op.f("ck_coach_findings_one_goal")
        ),
        sa.ForeignKeyConstraint(
            ["key_result_id"], ["key_results.id"], name=op.f("fk_coach_findings_key_result_id_key_results")
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objectives.id"], name=op.f("fk_coach_findings_objective_id_objectives")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_findings")),
        sa.UniqueConstraint("key_result_id", name=op.f("uq_coach_findings_key_result_id")),
        sa.UniqueConstraint("objective_id", name=op.f("uq_coach_findings_objective_id")),
    )


def downgrade() -> None:
    op.drop_table("coach_findings")
