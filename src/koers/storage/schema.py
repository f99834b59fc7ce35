"""Creating and upgrading the schema with Alembic, from inside Koers.

Every command and every server start calls `upgrade(engine)`. When the database is current that costs one query
(`SELECT version_num FROM alembic_version`) compared with the newest revision read from the migration files' own
`revision = "..."` lines (`head_revision`), without importing Alembic: Alembic runs only when the two differ. A
database at a revision these files do not know (written by a newer Koers) is refused with a clear error.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from koers.domain.errors import KoersError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSIONS = MIGRATIONS / "versions"
_ASSIGNMENT = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:["']([^"']*)["']|None)\s*$""", re.M)


class SchemaTooNew(KoersError):
    """The database holds a schema revision this Koers does not know: written by a newer version."""


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def revisions() -> dict[str, str | None]:
    """Every migration's revision and the revision it follows, read from the files (not imported)."""
    found: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        values = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8"))}
        if values.get("revision"):
            found[values["revision"]] = values.get("down_revision") or None
    return found


@cache
def head_revision() -> str:
    """The newest migration: the one revision no other migration follows."""
    known = revisions()
    heads = set(known) - {down for down in known.values() if down is not None}
    if len(heads) != 1:  # a branch (or no migration at all): Alembic decides
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert head is not None
        return head
    return heads.pop()


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, in one query; None when the table is missing or empty."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None  # no alembic_version table yet (an empty database), or one Alembic will explain


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None when it is empty), as Alembic reads it."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema; one query when it is current; SchemaTooNew when the database is ahead."""
    if revision == "head":
        stored = stored_revision(engine)
        if stored is not None and stored == head_revision():
            return
        if stored is not None and stored not in revisions():
            raise SchemaTooNew("database.newer", revision=stored, head=head_revision())
    _run_alembic(engine, revision)


def _run_alembic(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver: Any = connection.connection.driver_connection
        if sqlite:
            # A SQLite table rebuild (Alembic batch) drops and renames tables that others reference: SQLite's
            # own procedure switches foreign keys off around it (not possible inside a transaction), then
            # checks them before the commit.
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise RuntimeError("the migration left rows whose foreign keys point nowhere")
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")
