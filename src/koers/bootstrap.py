"""The one place that builds Koers from its settings: engine, schema, units of work."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError

from koers.config import Settings
from koers.domain.errors import KoersError
from koers.domain.model import User
from koers.storage.database import make_engine
from koers.storage.schema import upgrade
from koers.storage.unit_of_work import UnitOfWork


class DatabaseUnavailable(KoersError):
    """The configured database cannot be opened."""


@dataclass
class Koers:
    """A configured Koers: settings, an engine on an up-to-date schema, and units of work."""

    settings: Settings
    engine: Engine = field(repr=False)

    def uow(self, read_only: bool = False, actor: User | None = None) -> UnitOfWork:
        """A new unit of work (one transaction), acting as `actor` (None: the system itself)."""
        return UnitOfWork(self.engine, read_only=read_only, actor=actor)


def bootstrap(settings: Settings | None = None) -> Koers:
    """Connect to the configured database and create or upgrade its schema."""
    settings = settings or Settings.from_environment()
    try:
        engine = make_engine(settings.database_url)
        upgrade(engine)
    except ArgumentError as error:
        raise DatabaseUnavailable("database.invalid_url", reason=str(error)) from None
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailable("database.unreachable", url=_safe(settings.database_url), reason=reason) from None
    return Koers(settings, engine)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        return f"{scheme}{sep}{credentials.split(':')[0]}:***@{host}"
    return url
