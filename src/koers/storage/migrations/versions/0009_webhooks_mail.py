"""webhooks, mail and one-click check-ins

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

Issue 11 (integrations: webhooks, reminders, chat):
- webhooks, webhook_events, webhook_deliveries: outgoing webhooks and their transactional outbox (an event and one
  delivery per subscribed webhook, written in the transaction of the check-in, measurement or close), with the
  delivery log (attempts, next attempt, last answer);
- check_in_links: single-use one-click check-in links (sha256 of the token, the person and the key result, expiry);
- mail_log: every mail Koers sent, unique per address, kind and period (one weekly mail per person and week);
- team_reminders: each team's reminder day and hour;
- user_integrations: a person's Slack and Teams identities and mail preference (weekly, per_team, off).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import koers.storage.tables

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = (
    "check_in_links", "webhook_deliveries", "team_reminders", "webhooks", "user_integrations", "mail_log",
    "webhook_events",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("payload", koers.storage.tables.JSONText(), nullable=False),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
    )
    op.create_table(
        "mail_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("sent_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mail_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_log")),
        sa.UniqueConstraint("address", "kind", "period", name="uq_mail_log_address_kind_period"),
    )
    op.create_index(op.f("ix_mail_log_user_id"), "mail_log", ["user_id"], unique=False)
    op.create_table(
        "user_integrations",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=40), nullable=True),
        sa.Column("teams_user_id", sa.String(length=100), nullable=True),
        sa.Column("mail", sa.String(length=10), nullable=False),
        sa.CheckConstraint("mail IN ('weekly', 'per_team', 'off')", name=op.f("ck_user_integrations_mail")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_integrations_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_integrations")),
        sa.UniqueConstraint("slack_user_id", name=op.f("uq_user_integrations_slack_user_id")),
        sa.UniqueConstraint("teams_user_id", name=op.f("uq_user_integrations_teams_user_id")),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("events", koers.storage.tables.JSONText(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.CheckConstraint("format IN ('koers', 'slack', 'teams')", name=op.f("ck_webhooks_format")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_webhooks_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "team_reminders",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "weekday >= 0 AND weekday <= 6 AND hour >= 0 AND hour <= 23", name=op.f("ck_team_reminders_moment")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_team_reminders_team_id_teams")),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_reminders")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("last_attempt_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("delivered_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name=op.f("ck_webhook_deliveries_status")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["webhook_events.id"], name=op.f("fk_webhook_deliveries_event_id_webhook_events")
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"], ["webhooks.id"], name=op.f("fk_webhook_deliveries_webhook_id_webhooks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_webhook_deliveries_event_id"), "webhook_deliveries", ["event_id"], unique=False)
    op.create_index(op.f("ix_webhook_deliveries_webhook_id"), "webhook_deliveries", ["webhook_id"], unique=False)
    op.create_table(
        "check_in_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_result_id", sa.Integer(), nullable=False),
        sa.Column("created_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("expires_at", koers.storage.tables.UTCDateTime(), nullable=False),
        sa.Column("used_at", koers.storage.tables.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_result_id"], ["key_results.id"], name=op.f("fk_check_in_links_key_result_id_key_results")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_check_in_links_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_check_in_links_token_hash")),
    )
    op.create_index(op.f("ix_check_in_links_user_id"), "check_in_links", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_check_in_links_user_id"), table_name="check_in_links")
    op.drop_index(op.f("ix_webhook_deliveries_webhook_id"), table_name="webhook_deliveries")
    op.drop_index(op.f("ix_webhook_deliveries_event_id"), table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_index(op.f("ix_mail_log_user_id"), table_name="mail_log")
    for table in TABLES:
        op.drop_table(table)
