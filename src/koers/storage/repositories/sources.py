"""Repositories of the integrations: data sources, the provenance of their runs, and the claims of background jobs."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, text, update

from koers.domain.sources import Source
from koers.storage import tables as t
from koers.storage.repositories.base import Repository

Row = dict[str, Any]


class Sources(Repository[Source]):
    table, entity, label = t.sources, Source, "source"

    def _to_entity(self, row: Any) -> Source:
        values = dict(row._mapping)
        seconds = values.pop("every_seconds")
        return Source(**values, every=None if seconds is None else timedelta(seconds=seconds))

    def _values(self, entity: Source) -> dict[str, Any]:
        values = {c.name: getattr(entity, c.name) for c in self.table.columns if c.name not in ("id", "every_seconds")}
        values["every_seconds"] = None if entity.every is None else int(entity.every.total_seconds())
        return values

    def of(self, kpi_id: int | None = None, key_result_id: int | None = None) -> Source | None:
        """The source of a KPI or of a key result, if it has one."""
        c = self.table.c
        condition = c.kpi_id == kpi_id if kpi_id is not None else c.key_result_id == key_result_id
        row = self.connection.execute(select(self.table).where(condition)).first()
        return None if row is None else self._to_entity(row)

    def by_push_token(self, token_hash: str) -> Source | None:
        """The push source whose token hashes to this."""
        row = self.connection.execute(
            select(self.table).where(self.table.c.push_token_hash == token_hash, self.table.c.kind == "push")
        ).first()
        return None if row is None else self._to_entity(row)

    def scheduled_ids(self, now: datetime | None) -> list[int]:
        """Ids of the scheduled (not push) sources, only those due at `now` unless `now` is None."""
        c = self.table.c
        query = select(c.id).where(c.kind != "push", c.every_seconds.is_not(None)).order_by(c.id)
        if now is not None:
            query = query.where(or_(c.next_run_at.is_(None), c.next_run_at <= now))
        return list(self.connection.execute(query).scalars())

    def claim(self, source_id: int, now: datetime, next_run_at: datetime, force: bool = False) -> bool:
        """Take a due source for one run (its next run moves to `next_run_at`); False when another process has it."""
        c = self.table.c
        condition = c.id == source_id
        if not force:
            condition = and_(condition, or_(c.next_run_at.is_(None), c.next_run_at <= now))
        result = self.connection.execute(update(self.table).where(condition).values(next_run_at=next_run_at))
        return result.rowcount == 1

    def remove(self, source_id: int) -> None:
        """Delete a source; its runs stay (detached) as the provenance of the values it recorded."""
        self.connection.execute(
            update(t.source_runs).where(t.source_runs.c.source_id == source_id).values(source_id=None)
        )
        self.connection.execute(delete(self.table).where(self.table.c.id == source_id))


class SourceRuns:
    """The provenance of every run of a source (append-only)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, **values: Any) -> int:
        """Append a run (source_id, at, kind, target, raw, value, error, measurement_id, check_in_id); its id."""
        result = self.connection.execute(insert(t.source_runs).values(values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def recent(self, source_id: int, limit: int = 20) -> list[Row]:
        """The newest runs of a source, newest first."""
        c = t.source_runs.c
        query = select(t.source_runs).where(c.source_id == source_id).order_by(c.id.desc()).limit(limit)
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def of_measurement(self, measurement_id: int) -> Row | None:
        """The run that recorded a measurement, if a source did."""
        return self._one(t.source_runs.c.measurement_id == measurement_id)

    def of_check_in(self, check_in_id: int) -> Row | None:
        """The run that recorded a check-in, if a source did."""
        return self._one(t.source_runs.c.check_in_id == check_in_id)

    def _one(self, condition: Any) -> Row | None:
        row = self.connection.execute(select(t.source_runs).where(condition).limit(1)).first()
        return None if row is None else dict(row._mapping)


def job_lock_key(name: str) -> int:
    """A stable signed 32-bit advisory-lock key per job name (the lock's second key is the schema's hash)."""
    return int.from_bytes(hashlib.sha256(f"koers-job:{name}".encode()).digest()[:4], "big", signed=True)


class JobRuns:
    """When each background job last ran: one process claims a due job per tick."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim(self, name: str, now: datetime, due_before: datetime) -> bool:
        """Take the job for this tick when it last ran before `due_before` (or never); False when not due or when
        another process holds it. PostgreSQL: `pg_try_advisory_xact_lock` per job, held until this transaction
        ends; SQLite: the write transaction (BEGIN IMMEDIATE) already lets one process at a time in."""
        if self.connection.dialect.name == "postgresql":
            locked = self.connection.execute(
                text("SELECT pg_try_advisory_xact_lock(:key, hashtext(current_schema()))"), {"key": job_lock_key(name)}
            )
            if not locked.scalar_one():
                return False
        c = t.job_runs.c
        last = self.connection.execute(select(c.last_run_at).where(c.name == name)).first()
        if last is None:
            self.connection.execute(insert(t.job_runs).values(name=name, last_run_at=now))
            return True
        if last[0] is not None and last[0] > due_before:
            return False
        self.connection.execute(update(t.job_runs).where(c.name == name).values(last_run_at=now))
        return True

    def finish(self, name: str, summary: str | None, error: str | None) -> None:
        """Store how the job's run ended."""
        c = t.job_runs.c
        self.connection.execute(update(t.job_runs).where(c.name == name).values(last_summary=summary, last_error=error))

    def all(self) -> list[Row]:
        """Every job that ever ran, by name."""
        return [dict(row._mapping) for row in self.connection.execute(select(t.job_runs).order_by(t.job_runs.c.name))]
