"""Typed settings from KOERS_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///koers.db"


@dataclass(frozen=True)
class Settings:
    """Everything Koers reads from its environment."""

    database_url: str = DEFAULT_DATABASE_URL

    @classmethod
    def from_environment(cls) -> Settings:
        """Read KOERS_DATABASE_URL (any SQLAlchemy URL; default a SQLite file koers.db here)."""
        return cls(database_url=os.environ.get("KOERS_DATABASE_URL") or DEFAULT_DATABASE_URL)
