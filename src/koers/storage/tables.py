"""The database schema as SQLAlchemy Core tables (Alembic migrations are generated from this)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, always hands back an aware UTC datetime (SQLite keeps no time zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class JSONText(TypeDecorator[Any]):
    """A JSON value kept as text (the same on SQLite and PostgreSQL); None stays NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, allow_nan=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


# A stored score is finite and within 0..100: the database refuses anything else (NaN and Infinity too).
SCORE_RANGE = "score IS NULL OR (score >= 0 AND score <= 100)"


def _version() -> Column[int]:
    return Column("version", Integer, nullable=False, default=1)


def _archived() -> Column[bool]:
    return Column("archived", Boolean, nullable=False, default=False)


teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("parent_id", ForeignKey("teams.id"), nullable=True, index=True),
    Column("lead_id", ForeignKey("users.id"), nullable=True),
    _archived(),
    _version(),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    Column("role", String(20), nullable=False, default="member"),
    Column("locale", String(5), nullable=False, default="nl"),
    Column("password_hash", String(300), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    _version(),
)

team_members = Table(
    "team_members",
    metadata,
    Column("team_id", ForeignKey("teams.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)

cycles = Table(
    "cycles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("status", String(20), nullable=False, default="active"),
    Column("closed_at", UTCDateTime, nullable=True),
    _version(),
)

objectives = Table(
    "objectives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(500), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("level", String(20), nullable=False),
    Column("type", String(20), nullable=False),
    Column("cycle_id", ForeignKey("cycles.id"), nullable=False, index=True),
    Column("team_id", ForeignKey("teams.id"), nullable=True, index=True),
    Column("owner_id", ForeignKey("users.id"), nullable=True),
    Column("parent_id", ForeignKey("objectives.id"), nullable=True, index=True),
    Column("visibility", String(20), nullable=False, default="public"),
    Column("score", Float, nullable=True),
    Column("grade", Float, nullable=True),
    # Issue 10 (0005): "what we learned" (editable after close), and the objective a carried-over copy came from.
    Column("retrospective", Text, nullable=False, default="", server_default=""),
    Column("carried_from_id", ForeignKey("objectives.id"), nullable=True),
    _archived(),
    _version(),
    CheckConstraint(SCORE_RANGE, name="score_range"),
)

key_results = Table(
    "key_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("objective_id", ForeignKey("objectives.id"), nullable=False, index=True),
    Column("title", String(500), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("unit", String(40), nullable=False, default=""),
    Column("baseline", Float, nullable=True),
    Column("target", Float, nullable=True),
    Column("target_low", Float, nullable=True),
    Column("target_high", Float, nullable=True),
    Column("weight", Float, nullable=False, default=1.0),
    Column("owner_id", ForeignKey("users.id"), nullable=True),
    Column("kpi_id", ForeignKey("kpis.id"), nullable=True, index=True),
    Column("current", Float, nullable=True),
    Column("current_at", UTCDateTime, nullable=True),
    Column("progress", Float, nullable=True),
    Column("score", Float, nullable=False, default=0.0),
    Column("confidence", String(20), nullable=True),
    # Issue 10 (0005): the planned pace as JSON ({"shape": ..., "points": [{"date", "value"}]}; NULL = linear)
    # and the check-in cadence in days.
    Column("plan", JSONText, nullable=True),
    Column("cadence_days", Integer, nullable=False, default=7, server_default="7"),
    _archived(),
    _version(),
    CheckConstraint(SCORE_RANGE, name="score_range"),
)

# Issue 10 (0005): the counter-metric KPIs a key result names (guardrails).
key_result_guardrails = Table(
    "key_result_guardrails",
    metadata,
    Column("key_result_id", ForeignKey("key_results.id"), primary_key=True),
    Column("kpi_id", ForeignKey("kpis.id"), primary_key=True, index=True),
)

check_ins = Table(
    "check_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_result_id", ForeignKey("key_results.id"), nullable=False),
    Column("value", Float, nullable=False),
    Column("confidence", String(20), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("author_id", ForeignKey("users.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)
# Covers "latest value per key result" and "last N check-ins" without touching the table.
Index(
    "ix_check_ins_kr_time",
    check_ins.c.key_result_id,
    check_ins.c.created_at,
    check_ins.c.id,
    check_ins.c.value,
)

kpis = Table(
    "kpis",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("unit", String(40), nullable=False, default=""),
    Column("direction", String(20), nullable=False),
    Column("target", Float, nullable=True),
    Column("target_low", Float, nullable=True),
    Column("target_high", Float, nullable=True),
    Column("green_at", Float, nullable=True),
    Column("red_at", Float, nullable=True),
    Column("team_id", ForeignKey("teams.id"), nullable=True, index=True),
    Column("owner_id", ForeignKey("users.id"), nullable=True),
    Column("current", Float, nullable=True),
    Column("current_at", UTCDateTime, nullable=True),
    _archived(),
    _version(),
)

measurements = Table(
    "measurements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kpi_id", ForeignKey("kpis.id"), nullable=False),
    Column("value", Float, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("source", String(20), nullable=False, default="manual"),
    Column("note", Text, nullable=False, default=""),
    # When it was recorded (`at` is when it was measured, and may lie in the past): a closed cycle's key
    # results ignore measurements recorded after it closed.
    Column("recorded_at", UTCDateTime, nullable=False),
)
# A KPI's values over time, and its latest value.
Index(
    "ix_measurements_kpi_time",
    measurements.c.kpi_id,
    measurements.c.at,
    measurements.c.id,
    measurements.c.value,
)

initiatives = Table(
    "initiatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(500), nullable=False),
    Column("status", String(20), nullable=False, default="planned"),
    Column("objective_id", ForeignKey("objectives.id"), nullable=True, index=True),
    Column("key_result_id", ForeignKey("key_results.id"), nullable=True, index=True),
    Column("owner_id", ForeignKey("users.id"), nullable=True),
    Column("due_date", Date, nullable=True),
    _archived(),
    _version(),
)

APPEND_ONLY_TABLES = ("check_ins", "measurements", "audit_log")

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False, default=""),
    # sha256 of the token: tokens carry 256 random bits, so a fast hash is safe and lookups stay O(1).
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("last_used_at", UTCDateTime, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", ForeignKey("users.id"), nullable=True, index=True),
    Column("action", String(40), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
)
Index("ix_audit_log_entity", audit_log.c.entity, audit_log.c.entity_id)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("endpoint", String(200), nullable=False),
    Column("status", Integer, nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    # sha256 of the cookie value: a stolen database does not hand out live sessions.
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

# Issue 9 (0004): invitations to choose a password, and login throttling counters shared by every worker.
invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("name", String(200), nullable=False, default="", server_default=""),
    Column("role", String(20), nullable=False),
    # A JSON list of team ids.
    Column("team_ids", Text, nullable=False, default="[]", server_default="[]"),
    # sha256 of the single-use token in the link.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    CheckConstraint("role IN ('admin', 'member')", name="role"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    # 'account:<email>' or 'address:<ip>'.
    Column("key", String(400), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
    Column("locked_until", UTCDateTime, nullable=True),
)
