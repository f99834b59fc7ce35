"""A unit of work on an in-memory SQLite store, through the real storage code, in about a millisecond per test.

Two costs are paid once per session instead of once per test:
- the schema: running the Alembic migrations takes ~50 ms per database, so they run once into a template,
  and each test's database is overwritten with a copy of it through SQLite's backup API (~1 ms);
- SQL compilation: SQLAlchemy caches compiled statements per engine, so the engines (each on one shared
  `:memory:` connection) live for the session and only their contents are reset.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool

from koers.bootstrap import Koers
from koers.config import Settings
from koers.storage.database import make_engine
from koers.storage.schema import upgrade
from koers.storage.unit_of_work import UnitOfWork

MEMORY_URL = "sqlite://"


@dataclass
class MemoryDatabase:
    """One `:memory:` database and the engine whose single connection it is."""

    connection: sqlite3.Connection
    engine: Engine

    @classmethod
    def open(cls) -> MemoryDatabase:
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        # StaticPool: every `engine.connect()` gets this connection (a new one would be another, empty database).
        engine = make_engine(MEMORY_URL, creator=lambda: connection, poolclass=StaticPool)
        return cls(connection, engine)


@pytest.fixture(scope="session")
def schema_template() -> Iterator[MemoryDatabase]:
    """An in-memory database migrated to head, once per session: tables, indexes and append-only triggers."""
    template = MemoryDatabase.open()
    upgrade(template.engine)
    yield template
    template.engine.dispose()


@pytest.fixture(scope="session")
def memory_databases() -> Iterator[list[MemoryDatabase]]:
    """The session's in-memory databases, reused by test after test."""
    databases: list[MemoryDatabase] = []
    yield databases
    for database in databases:
        database.engine.dispose()


@pytest.fixture
def make_store(schema_template: MemoryDatabase, memory_databases: list[MemoryDatabase]) -> Callable[[], Koers]:
    """Makes Koers on an empty store with the schema at head, as many as a test needs (an import target...)."""
    used = 0

    def make() -> Koers:
        nonlocal used
        if used == len(memory_databases):
            memory_databases.append(MemoryDatabase.open())
        database = memory_databases[used]
        used += 1
        schema_template.connection.backup(database.connection)  # replaces whatever the last test left
        return Koers(Settings(MEMORY_URL), database.engine)

    return make


@pytest.fixture
def store(make_store: Callable[[], Koers]) -> Koers:
    """Koers on an empty store; open units of work one after another with `store.uow(actor=...)`."""
    return make_store()


@pytest.fixture
def uow(store: Koers) -> Iterator[UnitOfWork]:
    """One open unit of work acting as the system, for tests that need no second transaction or other actor."""
    with store.uow() as unit:
        yield unit
