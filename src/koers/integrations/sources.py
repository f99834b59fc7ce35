"""Readers of data sources: run a SQL query, fetch JSON over HTTP, read a CSV file or URL; each gives a `Reading`.

They receive plain settings (secrets already opened by the service) and never record anything: recording is the
services' job (`koers.services.sources`), through the same use cases as the API.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from koers.domain.errors import ValidationError
from koers.domain.sources import MAX_RAW, Reading, aggregate, is_file_url, number_of, select
from koers.integrations import net

SQL_TIMEOUT_SECONDS = 10.0
MAX_FILE_BYTES = 20 * 1024 * 1024


def shown_url(url: str) -> str:
    """A URL as it may be shown and stored as provenance: the password and the query string's values hidden."""
    if is_file_url(url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return url
    if ":" in host:
        host = f"[{host}]"
    netloc = (f"{parts.username}:***@" if parts.password else (f"{parts.username}@" if parts.username else "")) + host
    netloc += f":{port}" if port else ""
    query = "&".join(f"{pair.split('=', 1)[0]}=***" if "=" in pair else pair for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def shown_database_url(url: str) -> str:
    """A database URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _raw(value: str) -> str:
    return value if len(value) <= MAX_RAW else value[: MAX_RAW - 1] + "…"


# --- SQL ------------------------------------------------------------------------------------------------------------


def read_sql(url: str, query: str, timeout: float = SQL_TIMEOUT_SECONDS) -> Reading:
    """Run a query that returns one number in a read-only transaction with a statement timeout, then roll back.

    SQLite: the file opened read-only (`mode=ro`), `PRAGMA query_only` and a progress handler that interrupts the
    query at the timeout. PostgreSQL: `SET TRANSACTION READ ONLY` and `SET LOCAL statement_timeout`; the query is
    sent as a prepared statement, which refuses a second statement (`COMMIT; ...`). Other databases: the
    transaction is rolled back, nothing more is promised (use a read-only account).
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return _read_sqlite(parsed.database or "", query, timeout)
        engine = create_engine(parsed, poolclass=NullPool)
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise ValidationError("source.sql_failed", reason=_first_line(error)) from None
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
                cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
                cursor.execute(query, prepare=True)
                rows = cursor.fetchmany(2) if cursor.description else []
                columns = len(cursor.description or ())
            else:
                result = connection.execute(text(query))
                rows = [tuple(row) for row in result.fetchmany(2)] if result.returns_rows else []
                columns = len(result.keys()) if result.returns_rows else 0
            transaction.rollback()
    except DBAPIError as error:
        if "statement timeout" in str(error.orig) or "canceling statement" in str(error.orig):
            raise ValidationError("source.sql_timeout", seconds=timeout) from None
        raise ValidationError("source.sql_failed", reason=_first_line(error.orig or error)) from None
    except SQLAlchemyError as error:
        raise ValidationError("source.sql_failed", reason=_first_line(error)) from None
    except Exception as error:  # the driver's own errors (psycopg raises them from the raw cursor)
        if "statement timeout" in str(error) or "canceling statement" in str(error):
            raise ValidationError("source.sql_timeout", seconds=timeout) from None
        raise ValidationError("source.sql_failed", reason=_first_line(error)) from None
    finally:
        engine.dispose()
    return _one_number(rows, columns, query)


def _read_sqlite(path: str, query: str, timeout: float) -> Reading:
    if not path or path == ":memory:" or not Path(path).is_file():
        raise ValidationError("source.sql_failed", reason=f"no SQLite database at {path or '(none)'}")
    deadline = time.monotonic() + timeout
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    except sqlite3.Error as error:
        raise ValidationError("source.sql_failed", reason=_first_line(error)) from None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        cursor = connection.execute(query)
        rows = cursor.fetchmany(2) if cursor.description else []
        columns = len(cursor.description or ())
        connection.rollback()
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise ValidationError("source.sql_timeout", seconds=timeout) from None
        raise ValidationError("source.sql_failed", reason=_first_line(error)) from None
    except (sqlite3.Error, sqlite3.Warning) as error:  # Warning: "You can only execute one statement at a time"
        raise ValidationError("source.sql_failed", reason=_first_line(error)) from None
    finally:
        connection.close()
    return _one_number(rows, columns, query)


def _one_number(rows: list[Any], columns: int, query: str) -> Reading:
    if len(rows) != 1 or columns != 1:
        raise ValidationError("source.sql_shape", rows=len(rows) if len(rows) < 2 else "2+", columns=columns)
    raw = rows[0][0]
    value = number_of(float(raw) if type(raw).__name__ == "Decimal" else raw)
    return Reading(value, _raw(json.dumps(raw, default=str)), query)


def _first_line(error: BaseException | object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


# --- HTTP JSON ------------------------------------------------------------------------------------------------------


def read_http_json(
    url: str, selector: str, headers: Mapping[str, str], locale: str = "en", allow_private: bool = False
) -> Reading:
    """GET a URL (through the address check of `koers.integrations.net`), parse JSON and select the number."""
    answer = net.fetch(url, headers={"Accept": "application/json", **headers}, allow_private=allow_private)
    body = answer.text()
    try:
        document = json.loads(body)
    except ValueError as error:
        raise ValidationError("source.json_invalid", reason=_first_line(error)) from None
    return Reading(number_of(select(document, selector), locale), _raw(body), shown_url(url))


# --- CSV ------------------------------------------------------------------------------------------------------------


def read_csv(
    location: str,
    column: str,
    how: str,
    headers: Mapping[str, str],
    locale: str = "en",
    allow_private: bool = False,
) -> Reading:
    """A CSV file on this server or at an http(s) URL: one column aggregated (last, sum, mean, count)."""
    if is_file_url(location):
        content = _file_bytes(location)
    else:
        content = net.fetch(location, headers=headers, allow_private=allow_private, max_bytes=MAX_FILE_BYTES).content
    text_ = content.decode("utf-8-sig", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text_[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.DictReader(io.StringIO(text_), dialect=dialect)
        fields = reader.fieldnames or []
        names = {name.strip(): name for name in fields if name is not None}
        if column.strip() not in names:
            raise ValidationError("source.csv_column_missing", column=column, columns=", ".join(names) or "none")
        cells = [str(row.get(names[column.strip()]) or "") for row in reader]
    except csv.Error as error:
        raise ValidationError("source.csv_unreadable", reason=_first_line(error)) from None
    value = aggregate(cells, how, locale)
    raw = json.dumps({"column": column, "rows": len(cells), "last": cells[-1] if cells else None}, ensure_ascii=False)
    return Reading(value, _raw(raw), shown_url(location))


def _file_bytes(location: str) -> bytes:
    path = Path(location[len("file://") :] if location.lower().startswith("file://") else location)
    if not path.is_file():  # a device or a pipe (/dev/zero, /dev/stdin) would never end or never answer
        raise ValidationError("source.file_unreadable", path=str(path), reason="not a regular file")
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValidationError("source.file_unreadable", path=str(path), reason=error.strerror or str(error)) from None
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError("net.too_large", max=MAX_FILE_BYTES)
    return content
