"""data sources and provenance

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Issue 11 (integrations):
- sources: where a KPI's measurements or a key result's check-ins come from (sql, http_json, csv, push), how often,
  the secret parts encrypted, a push source's token hashed, and how the last run went;
- source_runs: the provenance of every fetched value (kind, query or URL, time, raw result, parsed value or error)
  and the measurement or check-in it recorded;
- job_runs: the last run of each background job, claimed by one process per tick.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import koers.storage.tables

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("last_run_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("last_summary", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_runs")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=True),
        sa.Column("key_result_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("every_seconds", sa.Integer(), nullable=True),
        sa.Column("config", koers.storage.tables.JSONText(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("push_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("updated_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("last_run_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("next_run_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("last_value", sa.Float(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('sql', 'http_json', 'csv', 'push')", name=op.f("ck_sources_kind")),
        sa.CheckConstraint("(kpi_id IS NULL) <> (key_result_id IS NULL)", name=op.f("ck_sources_one_subject")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_sources_created_by_users")),
        sa.ForeignKeyConstraint(
            ["key_result_id"], ["key_results.id"], name=op.f("fk_sources_key_result_id_key_results")
        ),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpis.id"], name=op.f("fk_sources_kpi_id_kpis")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("key_result_id", name=op.f("uq_sources_key_result_id")),
        sa.UniqueConstraint("kpi_id", name=op.f("uq_sources_kpi_id")),
        sa.UniqueConstraint("push_token_hash", name=op.f("uq_sources_push_token_hash")),
    )
    op.create_table(
        "source_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),  # NULL: the source was removed, the provenance stays
        sa.Column("at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("measurement_id", sa.Integer(), nullable=True),
        sa.Column("check_in_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["check_in_id"], ["check_ins.id"], name=op.f("fk_source_runs_check_in_id_check_ins")),
        sa.ForeignKeyConstraint(
            ["measurement_id"], ["measurements.id"], name=op.f("fk_source_runs_measurement_id_measurements")
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_source_runs_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_runs")),
    )
    with op.batch_alter_table("source_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_runs_check_in_id"), ["check_in_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_source_runs_measurement_id"), ["measurement_id"], unique=False)
        batch_op.create_index("ix_source_runs_source", ["source_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("source_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_source_runs_source")
        batch_op.drop_index(batch_op.f("ix_source_runs_measurement_id"))
        batch_op.drop_index(batch_op.f("ix_source_runs_check_in_id"))
    op.drop_table("source_runs")
    op.drop_table("sources")
    op.drop_table("job_runs")
