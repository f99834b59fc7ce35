"""security

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Issue 9:
- invitations (a single-use link to choose a password) and login-throttling counters shared by every worker;
- history refuses INSERT OR REPLACE / UPSERT of an existing row (SQLite: a BEFORE INSERT trigger; the
  connection also sets recursive_triggers, so REPLACE's delete fires the delete trigger; PostgreSQL:
  ON CONFLICT DO UPDATE fires the UPDATE trigger already);
- a stored score is within 0..100 (CHECK constraints; out-of-range values are clamped first);
- measurements.recorded_at: when a measurement was recorded (a closed cycle ignores those recorded after it
  closed, whatever their `at`); existing rows get their `at`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import koers.storage.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("team_ids", sa.Text(), server_default="[]", nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("expires_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("used_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.CheckConstraint("role IN ('admin', 'member')", name=op.f("ck_invitations_role")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_invitations_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("locked_until", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_attempts")),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    _add_recorded_at(sqlite)
    _score_checks(sqlite)
    if sqlite:
        for table in HISTORY:
            op.execute(_no_replace_trigger(table))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in HISTORY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
    for table in SCORED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_score_range"), type_="check")
    _without_append_only("measurements", sqlite, lambda: _drop_recorded_at())
    op.drop_table("login_attempts")
    op.drop_table("invitations")


HISTORY = ("check_ins", "measurements", "audit_log")
SCORED = ("key_results", "objectives")
SCORE_RANGE = "score IS NULL OR (score >= 0 AND score <= 100)"


def _no_replace_trigger(table: str) -> str:
    """SQLite: INSERT OR REPLACE (or an UPSERT) of an existing id would delete and rewrite history."""
    return (
        f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
        f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: record a correction instead'); END"
    )


def _append_only_triggers_sqlite(table: str) -> list[str]:
    """The triggers 0001/0002 made on a history table (a SQLite table rebuild drops them)."""
    return [
        f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: record a correction instead'); END"
        for action in ("UPDATE", "DELETE")
    ]


def _without_append_only(table: str, sqlite: bool, change: object) -> None:
    """Run `change` (a callable) with the append-only triggers of `table` out of the way, then restore them."""
    if sqlite:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
    else:
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    change()  # type: ignore[operator]
    if sqlite:
        for statement in _append_only_triggers_sqlite(table):
            op.execute(statement)
    else:
        op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


def _add_recorded_at(sqlite: bool) -> None:
    def change() -> None:
        with op.batch_alter_table("measurements", schema=None) as batch_op:
            batch_op.add_column(sa.Column("recorded_at", koers.storage.tables.UTCDateTime(), nullable=True))
        op.execute("UPDATE measurements SET recorded_at = at")
        with op.batch_alter_table("measurements", schema=None) as batch_op:
            batch_op.alter_column("recorded_at", existing_type=koers.storage.tables.UTCDateTime(), nullable=False)

    _without_append_only("measurements", sqlite, change)


def _drop_recorded_at() -> None:
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_column("recorded_at")


def _score_checks(sqlite: bool) -> None:
    # Scores stored before the domain refused them (Infinity, NaN, out of range) are clamped first; a NaN
    # (PostgreSQL only: SQLite stores NaN as NULL) becomes 0. PostgreSQL sorts NaN above every number.
    nan = "" if sqlite else "WHEN score = 'NaN'::float8 THEN 0 "
    for table in SCORED:
        op.execute(
            f"UPDATE {table} SET score = CASE {nan}WHEN score > 100 THEN 100 ELSE 0 END WHERE score < 0 OR score > 100"
        )
    for table in SCORED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_score_range"), SCORE_RANGE)
