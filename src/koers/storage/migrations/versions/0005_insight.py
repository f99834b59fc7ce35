"""insight

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

Issue 10 (monitoring and continuous improvement):
- key_results.plan: the planned pace as JSON ({"shape": ..., "points": [...]}; NULL = linear);
- key_results.cadence_days: the check-in cadence ("no recent check-in" after it), default 7;
- key_result_guardrails: the counter-metric KPIs a key result names;
- objectives.retrospective: "what we learned", editable after the cycle closed;
- objectives.carried_from_id: the objective a carried-over copy came from.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("key_results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cadence_days", sa.Integer(), server_default="7", nullable=False))
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retrospective", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("carried_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_objectives_carried_from_id_objectives"), "objectives", ["carried_from_id"], ["id"]
        )
    op.create_table(
        "key_result_guardrails",
        sa.Column("key_result_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_result_id"], ["key_results.id"], name=op.f("fk_key_result_guardrails_key_result_id_key_results")
        ),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpis.id"], name=op.f("fk_key_result_guardrails_kpi_id_kpis")),
        sa.PrimaryKeyConstraint("key_result_id", "kpi_id", name=op.f("pk_key_result_guardrails")),
    )
    with op.batch_alter_table("key_result_guardrails", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_key_result_guardrails_kpi_id"), ["kpi_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("key_result_guardrails", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_key_result_guardrails_kpi_id"))
    op.drop_table("key_result_guardrails")
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_objectives_carried_from_id_objectives"), type_="foreignkey")
        batch_op.drop_column("carried_from_id")
        batch_op.drop_column("retrospective")
    with op.batch_alter_table("key_results", schema=None) as batch_op:
        batch_op.drop_column("cadence_days")
        batch_op.drop_column("plan")
