"""Typed settings from KOERS_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

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

    @classmethod
    def from_environment(cls) -> Settings:
        """Read KOERS_DATABASE_URL (any SQLAlchemy URL; default a SQLite file koers.db here), KOERS_TRUSTED_PROXIES,
        KOERS_BASE_URL, KOERS_MAX_BODY_BYTES and KOERS_MAX_IMPORT_BYTES."""
        return cls(
            database_url=os.environ.get("KOERS_DATABASE_URL") or DEFAULT_DATABASE_URL,
            trusted_proxies=_listed("KOERS_TRUSTED_PROXIES"),
            base_url=os.environ.get("KOERS_BASE_URL", "").rstrip("/"),
            max_body_bytes=_byte_count("KOERS_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            max_import_bytes=_byte_count("KOERS_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES),
        )


def _byte_count(name: str, default: int) -> int:
    """A positive whole number of bytes from the environment (KOERS_MAX_BODY_BYTES, KOERS_MAX_IMPORT_BYTES)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{name} must be a positive whole number of bytes, not {raw!r}")
    return int(raw)


def _listed(name: str) -> tuple[str, ...]:
    """A comma-separated setting as a tuple, without empty items."""
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())
