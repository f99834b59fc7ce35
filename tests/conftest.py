"""Shared fixtures: databases (SQLite always, PostgreSQL when KOERS_TEST_POSTGRES_URL is set) and the CLI."""

from __future__ import annotations

import io
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from koers.bootstrap import Koers, bootstrap
from koers.config import Settings

# In CI the property tests draw the same examples on every run, so a landing never depends on the luck of a draw;
# on a developer's machine they keep exploring (a failure found there gets a fixed regression test).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

POSTGRES_URL = os.environ.get("KOERS_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("KOERS_REQUIRE_POSTGRES") == "1"


def _postgres_schema_url() -> Iterator[str]:
    """A fresh schema per test, so runs and tests never see each other's data."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("KOERS_REQUIRE_POSTGRES=1 but KOERS_TEST_POSTGRES_URL is not set")
        pytest.skip(
            "PostgreSQL tests need KOERS_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    schema = f"koers_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'koers.db'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database of each kind shared by a module's tests (for tests that prove they change nothing)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('shared') / 'koers.db'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An empty SQLite database file."""
    return f"sqlite:///{tmp_path / 'koers.db'}"


@pytest.fixture
def koers_app(database_url: str) -> Iterator[Koers]:
    """Koers on an empty database of each kind, schema at head."""
    app = bootstrap(Settings(database_url))
    yield app
    app.engine.dispose()


@dataclass
class Result:
    code: int
    out: str
    err: str


def _cli_on(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    from koers.cli import context
    from koers.cli.main import main

    monkeypatch.setenv("KOERS_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "160")
    context.koers.cache_clear()

    def run(*args: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    yield run
    if context.koers.cache_info().currsize:
        context.koers().engine.dispose()
    context.koers.cache_clear()


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """Run `koers ...` in-process against the test database (each kind); returns exit code, stdout and stderr."""
    yield from _cli_on(database_url, monkeypatch, capsys)


@pytest.fixture
def shared_cli(
    module_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Any]:
    """The CLI on the module's shared database of each kind."""
    yield from _cli_on(module_database_url, monkeypatch, capsys)


@pytest.fixture
def sqlite_cli(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """The CLI on SQLite only, for commands whose behaviour does not depend on the database."""
    yield from _cli_on(sqlite_url, monkeypatch, capsys)


@pytest.fixture
def api(database_url: str) -> Iterator[Any]:
    """The HTTP API on each kind of database, with `builders.organisation` and tokens for admin, owner and other."""
    from tests.e2e.api_support import make_api

    built = make_api(database_url)
    yield built
    built.client.close()
    built.koers.engine.dispose()


@pytest.fixture
def sqlite_api(sqlite_url: str) -> Iterator[Any]:
    """The HTTP API on SQLite only, for behaviour that does not depend on the database."""
    from tests.e2e.api_support import make_api

    built = make_api(sqlite_url)
    yield built
    built.client.close()
    built.koers.engine.dispose()
