"""Repositories of progress: check-ins, KPIs and their measurements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from koers.domain import model
from koers.storage import tables as t
from koers.storage.latest import latest_check_ins, latest_measurements
from koers.storage.repositories.base import Repository


class CheckIns(Repository[model.CheckIn]):
    table, entity, label = t.check_ins, model.CheckIn, "check-in"

    def history_page(self, key_result_id: int, before_id: int | None, limit: int) -> list[model.CheckIn]:
        """Check-ins newest first (by id, the order they were recorded), before a cursor."""
        query = select(t.check_ins).where(t.check_ins.c.key_result_id == key_result_id)
        if before_id is not None:
            query = query.where(t.check_ins.c.id < before_id)
        return [
            self._to_entity(row)
            for row in self.connection.execute(query.order_by(t.check_ins.c.id.desc()).limit(limit))
        ]

    def latest(self, key_result_id: int) -> model.CheckIn | None:
        """The newest check-in of a key result (by time, then id)."""
        return latest_check_ins(self.connection, [key_result_id]).get(key_result_id)

    def values(self, key_result_id: int) -> list[float]:
        """Every value checked in on a key result."""
        query = select(t.check_ins.c.value).where(t.check_ins.c.key_result_id == key_result_id)
        return list(self.connection.execute(query).scalars())

    def history(self, key_result_id: int, limit: int | None = None) -> list[model.CheckIn]:
        """Check-ins newest first."""
        query = (
            select(t.check_ins)
            .where(t.check_ins.c.key_result_id == key_result_id)
            .order_by(t.check_ins.c.created_at.desc(), t.check_ins.c.id.desc())
            .limit(limit)
        )
        return [self._to_entity(row) for row in self.connection.execute(query)]


class Kpis(Repository[model.Kpi]):
    table, entity, label = t.kpis, model.Kpi, "KPI"


class Measurements(Repository[model.Measurement]):
    table, entity, label = t.measurements, model.Measurement, "measurement"

    def _values(self, entity: model.Measurement) -> dict[str, Any]:
        """A measurement is recorded now unless it says when (an import keeps what it is given)."""
        values = super()._values(entity)
        if values.get("recorded_at") is None:
            values["recorded_at"] = datetime.now(UTC)
        return values

    def history_page(self, kpi_id: int, before_id: int | None, limit: int) -> list[model.Measurement]:
        """Measurements newest first (by id, the order they were recorded), before a cursor."""
        query = select(t.measurements).where(t.measurements.c.kpi_id == kpi_id)
        if before_id is not None:
            query = query.where(t.measurements.c.id < before_id)
        return [
            self._to_entity(row)
            for row in self.connection.execute(query.order_by(t.measurements.c.id.desc()).limit(limit))
        ]

    def latest(self, kpi_id: int, until: datetime | None = None) -> model.Measurement | None:
        """The newest measurement of a KPI, optionally not after `until`."""
        return latest_measurements(self.connection, [kpi_id], until).get(kpi_id)

    def history(self, kpi_id: int, limit: int | None = None) -> list[model.Measurement]:
        """Measurements newest first."""
        query = (
            select(t.measurements)
            .where(t.measurements.c.kpi_id == kpi_id)
            .order_by(t.measurements.c.at.desc(), t.measurements.c.id.desc())
            .limit(limit)
        )
        return [self._to_entity(row) for row in self.connection.execute(query)]
