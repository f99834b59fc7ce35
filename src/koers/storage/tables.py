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
    UniqueConstraint,
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
    # Issue 15 (0007): a grade set by hand after the close, why, by whom and when; `grade` keeps the computed one.
    Column("grade_override", Float, nullable=True),
    Column("grade_note", Text, nullable=False, default="", server_default=""),
    Column("grade_overridden_by", ForeignKey("users.id"), nullable=True),
    Column("grade_overridden_at", UTCDateTime, nullable=True),
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

# Issue 11 (0009): outgoing webhooks with a transactional outbox (an event row per subscribed webhook's delivery,
# written in the transaction of the change), one-click check-in links, the mail log that keeps mail to one a week,
# each team's reminder moment, and each person's chat identities and mail preference.
webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("format", String(10), nullable=False, default="koers"),  # koers | slack | teams
    Column("events", JSONText, nullable=False),  # a JSON list of event names
    Column("lang", String(5), nullable=False, default="nl"),  # the language of slack/teams messages
    Column("secret_encrypted", Text, nullable=True),  # Fernet token of the HMAC secret (koers.integrations.secrets)
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("format IN ('koers', 'slack', 'teams')", name="format"),
)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event", String(40), nullable=False),
    Column("payload", JSONText, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("webhook_id", ForeignKey("webhooks.id"), nullable=False, index=True),
    Column("event_id", ForeignKey("webhook_events.id"), nullable=False, index=True),
    Column("status", String(10), nullable=False, default="pending"),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("last_attempt_at", UTCDateTime, nullable=True),
    Column("response_status", Integer, nullable=True),
    Column("error", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime, nullable=True),
    CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
)
Index("ix_webhook_deliveries_due", webhook_deliveries.c.status, webhook_deliveries.c.next_attempt_at)

check_in_links = Table(
    "check_in_links",
    metadata,
    Column("id", Integer, primary_key=True),
    # sha256 of the single-use token in the link (256 random bits).
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id"), nullable=False, index=True),
    Column("key_result_id", ForeignKey("key_results.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
)

mail_log = Table(
    "mail_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=True, index=True),
    Column("address", String(320), nullable=False),
    Column("kind", String(20), nullable=False),  # weekly | team | invitation
    # What the mail is for, unique per kind: "2026-W48" (weekly), "2026-W48/team:3" (per team), an invitation id.
    Column("period", String(60), nullable=False),
    Column("subject", String(300), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    UniqueConstraint("address", "kind", "period", name="uq_mail_log_address_kind_period"),
)

team_reminders = Table(
    "team_reminders",
    metadata,
    Column("team_id", ForeignKey("teams.id"), primary_key=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("weekday", Integer, nullable=False, default=0),  # 0 = Monday … 6 = Sunday
    Column("hour", Integer, nullable=False, default=9),  # 0–23, in KOERS_TIMEZONE
    CheckConstraint("weekday >= 0 AND weekday <= 6 AND hour >= 0 AND hour <= 23", name="moment"),
)

user_integrations = Table(
    "user_integrations",
    metadata,
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("slack_user_id", String(40), nullable=True, unique=True),
    Column("teams_user_id", String(100), nullable=True, unique=True),  # the Azure AD object id Teams sends
    Column("mail", String(10), nullable=False, default="weekly"),  # weekly | per_team | off
    CheckConstraint("mail IN ('weekly', 'per_team', 'off')", name="mail"),
)

# Issue 11 (0008): data sources of KPIs and key results, the provenance of every value they fetched, and the last
# run of each background job (the claim that makes one process run a job per tick).
sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kpi_id", ForeignKey("kpis.id"), nullable=True, unique=True),
    Column("key_result_id", ForeignKey("key_results.id"), nullable=True, unique=True),
    Column("kind", String(20), nullable=False),
    Column("every_seconds", Integer, nullable=True),  # NULL for push sources
    # The settings a person may see again: url without its password, query, selector, column, header names...
    Column("config", JSONText, nullable=False),
    # Fernet token (KOERS_SECRET_KEY) of the secret parts as JSON: the url with its password, header values.
    Column("secret", Text, nullable=True),
    # sha256 of a push source's token (256 random bits, shown once).
    Column("push_token_hash", String(64), nullable=True, unique=True),
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("last_run_at", UTCDateTime, nullable=True),
    Column("next_run_at", UTCDateTime, nullable=True),
    Column("last_value", Float, nullable=True),
    Column("last_error", Text, nullable=True),
    _version(),
    CheckConstraint("kind IN ('sql', 'http_json', 'csv', 'push')", name="kind"),
    CheckConstraint("(kpi_id IS NULL) <> (key_result_id IS NULL)", name="one_subject"),
)

source_runs = Table(
    "source_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", ForeignKey("sources.id"), nullable=True),  # NULL once the source is removed: provenance stays
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("target", Text, nullable=False),  # the query or the URL (password hidden) that was asked
    Column("raw", Text, nullable=True),  # the raw result, cut at 2,000 characters
    Column("value", Float, nullable=True),
    Column("error", Text, nullable=True),
    Column("measurement_id", ForeignKey("measurements.id"), nullable=True, index=True),
    Column("check_in_id", ForeignKey("check_ins.id"), nullable=True, index=True),
)
Index("ix_source_runs_source", source_runs.c.source_id, source_runs.c.id)

job_runs = Table(
    "job_runs",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("last_run_at", UTCDateTime, nullable=True),
    Column("last_summary", Text, nullable=True),
    Column("last_error", Text, nullable=True),
)

# Issue 15 (0006): what the quality coach found in a goal's text when it was saved, kept until the text changes.
# One row per objective or key result with open findings (none: no row); `text_hash` is the sha256 of the text
# the findings were computed for, so a save with the same text keeps them and a changed text recomputes them.
coach_findings = Table(
    "coach_findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("objective_id", ForeignKey("objectives.id"), nullable=True, unique=True),
    Column("key_result_id", ForeignKey("key_results.id"), nullable=True, unique=True),
    Column("text_hash", String(64), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("findings", JSONText, nullable=False),  # a JSON list of {code, severity, message, suggestion}
    Column("checked_at", UTCDateTime, nullable=False),
    CheckConstraint("(objective_id IS NULL) <> (key_result_id IS NULL)", name="one_goal"),
)
