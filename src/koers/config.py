"""Typed settings from KOERS_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_URL = "sqlite:///koers.db"
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Everything Koers reads from its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    # --- accounts ---
    # Proxies whose X-Forwarded-For is believed (IPs or CIDRs); none by default, not even 127.0.0.1.
    trusted_proxies: tuple[str, ...] = ()
    # Where people reach Koers, for the links in invitations (sending them by mail belongs to the integrations).
    base_url: str = ""
    # --- http: request body limits in bytes, checked before a body is read (413 past them) ---
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # JSON and forms
    max_import_bytes: int = DEFAULT_MAX_IMPORT_BYTES  # an import document: `koers import`, an import upload
    # --- integrations: mail, webhooks, chat (issue 11) ---
    # Outgoing mail (reminders, the weekly digest, invitations); no mail is sent while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    smtp_starttls: bool = True
    # The key that encrypts stored secrets (webhook secrets); see koers.integrations.secrets.
    secret_key: str = field(default="", repr=False)
    # Slack's signing secret (slash commands) and a Teams outgoing webhook's shared secret (base64, as Teams shows it).
    slack_signing_secret: str = field(default="", repr=False)
    teams_webhook_secret: str = field(default="", repr=False)
    # The organisation's time zone (an IANA name): the calendar of My week, the changes page and the reminder day and
    # hour set on teams, and the clock times the pages show.
    timezone: str = "Europe/Amsterdam"
    # --- integrations: data sources, the scheduler, outgoing requests (issue 11) ---
    # Outgoing requests may reach loopback and private networks (on-premise); metadata addresses never.
    allow_private_networks: bool = False
    # `koers serve` runs the background jobs (source sync, nightly recompute) in-process; off with KOERS_SCHEDULER=0.
    scheduler: bool = True
    scheduler_tick_seconds: int = 30

    @property
    def zone(self) -> tzinfo:
        """`timezone` as a time zone (UTC for a name this machine does not know; the environment's is checked)."""
        return time_zone(self.timezone)

    @classmethod
    def from_environment(cls) -> Settings:
        """Read KOERS_DATABASE_URL (any SQLAlchemy URL; default a SQLite file koers.db here), KOERS_TRUSTED_PROXIES,
        KOERS_BASE_URL, KOERS_MAX_BODY_BYTES and KOERS_MAX_IMPORT_BYTES; for the integrations KOERS_SMTP_HOST, _PORT,
        _USER, _PASSWORD, _FROM, _STARTTLS, KOERS_SECRET_KEY, KOERS_SLACK_SIGNING_SECRET, KOERS_TEAMS_WEBHOOK_SECRET
        and KOERS_TIMEZONE."""
        return cls(
            database_url=os.environ.get("KOERS_DATABASE_URL") or DEFAULT_DATABASE_URL,
            trusted_proxies=_listed("KOERS_TRUSTED_PROXIES"),
            base_url=os.environ.get("KOERS_BASE_URL", "").rstrip("/"),
            max_body_bytes=_positive("KOERS_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            max_import_bytes=_positive("KOERS_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES),
            smtp_host=os.environ.get("KOERS_SMTP_HOST", "").strip(),
            smtp_port=_port("KOERS_SMTP_PORT", 587),
            smtp_user=os.environ.get("KOERS_SMTP_USER", ""),
            smtp_password=os.environ.get("KOERS_SMTP_PASSWORD", ""),
            smtp_from=os.environ.get("KOERS_SMTP_FROM", "").strip(),
            smtp_starttls=switch("KOERS_SMTP_STARTTLS", True),
            secret_key=os.environ.get("KOERS_SECRET_KEY", "") or _file_text("KOERS_SECRET_KEY_FILE"),
            slack_signing_secret=os.environ.get("KOERS_SLACK_SIGNING_SECRET", ""),
            teams_webhook_secret=os.environ.get("KOERS_TEAMS_WEBHOOK_SECRET", ""),
            timezone=_zone_name("KOERS_TIMEZONE", "Europe/Amsterdam"),
            allow_private_networks=switch("KOERS_ALLOW_PRIVATE_NETWORKS", False),
            scheduler=switch("KOERS_SCHEDULER", True),
            scheduler_tick_seconds=_positive("KOERS_SCHEDULER_TICK_SECONDS", 30, "seconds"),
        )


def _positive(name: str, default: int, unit: str = "bytes") -> int:
    """A positive whole number from the environment (KOERS_MAX_BODY_BYTES, KOERS_SCHEDULER_TICK_SECONDS, ...)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{name} must be a positive whole number of {unit}, not {raw!r}")
    return int(raw)


def _port(name: str, default: int) -> int:
    """A TCP port from the environment (KOERS_SMTP_PORT)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 65535:
        raise ValueError(f"{name} must be a port number (1-65535), not {raw!r}")
    return int(raw)


def time_zone(name: str) -> tzinfo:
    """A time zone by its IANA name (Europe/Amsterdam); UTC when the name is unknown."""
    try:
        return ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        return UTC


def _zone_name(name: str, default: str) -> str:
    """An IANA time zone name from the environment (KOERS_TIMEZONE), refused when this machine does not know it."""
    raw = os.environ.get(name, "").strip() or default
    try:
        ZoneInfo(raw)
    except (ValueError, ZoneInfoNotFoundError):
        raise ValueError(f"{name} must be a time zone such as Europe/Amsterdam, not {raw!r}") from None
    return raw


def switch(name: str, default: bool) -> bool:
    """An on/off setting: 1, true, yes, on or 0, false, no, off (KOERS_ALLOW_PRIVATE_NETWORKS, KOERS_SCHEDULER)."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise ValueError(f"{name} must be 1 or 0, not {raw!r}")
    return raw in ("1", "true", "yes", "on")


def _file_text(name: str) -> str:
    """The contents of the file a setting names (KOERS_SECRET_KEY_FILE), without surrounding blanks; "" when unset."""
    path = os.environ.get(name, "").strip()
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()


def _listed(name: str) -> tuple[str, ...]:
    """A comma-separated setting as a tuple, without empty items."""
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())
