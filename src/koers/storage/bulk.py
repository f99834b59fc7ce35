"""Set-based reads and writes of stored scores: for refreshing a few objects and rebuilding a whole organisation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, bindparam, or_, select, type_coerce, union_all, update

from koers.domain import model
from koers.storage import latest
from koers.storage import tables as t


@dataclass(frozen=True)
class ObjectiveNode:
    """What the roll-up needs of an objective."""

    id: int
    parent_id: int | None
    cycle_id: int
    archived: bool
    score: float | None = None
    cycle_status: str = "active"
    cycle_start: date | None = None


def _naive(column: Any) -> Any:
    """A UTC time column read as stored (naive UTC), without `UTCDateTime`'s per-value call."""
    return type_coerce(column, DateTime())


def _chunked(ids: Iterable[int | None]) -> Iterable[list[int]]:
    wanted = sorted({i for i in ids if i is not None})
    for start in range(0, len(wanted), 5000):
        yield wanted[start : start + 5000]


class Bulk:
    """The score tables of one unit of work, read and written set-wise."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def objective_tree(self, around: Iterable[int] | None = None) -> dict[int, ObjectiveNode]:
        """Every objective as a node of the alignment tree, with its cycle's status and start date; with `around`,
        only those and the ones aligned under them."""
        o, c = t.objectives.c, t.cycles.c
        query = select(o.id, o.parent_id, o.cycle_id, o.archived, o.score, c.status, c.start_date).join(
            t.cycles, c.id == o.cycle_id
        )
        if around is not None:
            ids = sorted(set(around))
            query = query.where(or_(o.id.in_(ids), o.parent_id.in_(ids)))
        return {
            row.id: ObjectiveNode(
                row.id, row.parent_id, row.cycle_id, row.archived, row.score, row.status, row.start_date
            )
            for row in self.connection.execute(query)
        }

    def latest_check_ins(self, key_result_ids: Iterable[int | None] | None = None) -> dict[int, model.CheckIn]:
        """Per key result (all, or these): its newest check-in."""
        return latest.latest_check_ins(self.connection, key_result_ids)

    def latest_measurements(
        self, kpi_ids: Iterable[int | None] | None = None, until: datetime | None = None
    ) -> dict[int, model.Measurement]:
        """Per KPI (all, or these): its newest measurement, not after `until` when given."""
        return latest.latest_measurements(self.connection, kpi_ids, until)

    def check_in_values(self, key_result_ids: Iterable[int | None]) -> dict[int, list[float]]:
        """Every check-in value of these key results, grouped by key result."""
        grouped: dict[int, list[float]] = {}
        c = t.check_ins.c
        for chunk in _chunked(key_result_ids):
            for row in self.connection.execute(select(c.key_result_id, c.value).where(c.key_result_id.in_(chunk))):
                grouped.setdefault(row.key_result_id, []).append(row.value)
        return grouped

    def measurement_values(
        self,
        kpi_ids: Iterable[int | None],
        start: datetime | None = None,
        end: datetime | None = None,
        recorded_until: datetime | None = None,
    ) -> dict[int, list[tuple[Any, float]]]:
        """Every (at, value) of these KPIs' measurements (in [start, end) when given, and recorded not after
        `recorded_until` when given), grouped by KPI."""
        grouped: dict[int, list[tuple[Any, float]]] = {}
        m = t.measurements.c
        for chunk in _chunked(kpi_ids):
            query = select(m.kpi_id, m.at, m.value).where(m.kpi_id.in_(chunk))
            if start is not None and end is not None:
                query = query.where(m.at >= start, m.at < end)
            if recorded_until is not None:
                query = query.where(m.recorded_at <= recorded_until)
            for row in self.connection.execute(query):
                grouped.setdefault(row.kpi_id, []).append((row.at, row.value))
        return grouped

    def cycle_points(
        self, windows: Mapping[int, tuple[int | None, datetime, datetime, datetime | None]]
    ) -> dict[int, list[tuple[float, float]]]:
        """Per key result: (days since its window's start, value) of its check-ins and its KPI's measurements in
        its window, the points of its forecast.

        `windows` maps a key result id to (its KPI id or None, start, end, recorded_until or None): values at
        start ≤ at < end, and recorded not after `recorded_until` when given. One query per window (a cycle's key
        results share one) and 5,000 key results: the database filters the rows, so none is read in vain. The days
        are counted here, on the stored naive UTC times, to spare an attention list 100,000 time zone conversions.
        """
        found: dict[int, list[tuple[float, float]]] = {}
        groups: dict[tuple[datetime, datetime, datetime | None], list[int]] = {}
        for kr_id, (_kpi, start, end, recorded_until) in windows.items():
            groups.setdefault((start, end, recorded_until), []).append(kr_id)
        c, m, k = t.check_ins.c, t.measurements.c, t.key_results.c
        for (start, end, recorded_until), ids in groups.items():
            origin = start.astimezone(UTC).replace(tzinfo=None)  # as stored (`UTCDateTime`)
            for chunk in _chunked(ids):
                query: Any = select(c.key_result_id, _naive(c.created_at), c.value).where(
                    c.key_result_id.in_(chunk), c.created_at >= start, c.created_at < end
                )
                if recorded_until is not None:
                    query = query.where(c.created_at <= recorded_until)
                linked = [i for i in chunk if windows[i][0] is not None]
                if linked:
                    from_kpis = (
                        select(k.id, _naive(m.at), m.value)
                        .join(t.key_results, k.kpi_id == m.kpi_id)
                        .where(k.id.in_(linked), m.at >= start, m.at < end)
                    )
                    if recorded_until is not None:
                        from_kpis = from_kpis.where(m.recorded_at <= recorded_until)
                    query = union_all(query, from_kpis)
                for kr_id, at, value in self.connection.execute(query).all():
                    found.setdefault(kr_id, []).append(((at - origin).total_seconds() / 86_400, value))
        return found

    def store_key_result_states(self, states: list[dict[str, Any]]) -> None:
        """Write computed key result fields (rows with `_id`) in one executemany."""
        if states:
            names = ("current", "current_at", "progress", "score", "confidence")
            statement = (
                update(t.key_results)
                .where(t.key_results.c.id == bindparam("_id"))
                .values({name: bindparam(name) for name in names})
            )
            self.connection.execute(statement, states)

    def store_objective_scores(self, scores: dict[int, float | None]) -> None:
        """Write objective scores in one executemany."""
        if scores:
            statement = (
                update(t.objectives).where(t.objectives.c.id == bindparam("_id")).values(score=bindparam("score"))
            )
            self.connection.execute(statement, [{"_id": k, "score": v} for k, v in scores.items()])

    def store_kpi_currents(self, newest: dict[int, model.Measurement]) -> None:
        """Write every KPI's current value (None where it has no measurement)."""
        ids = list(self.connection.execute(select(t.kpis.c.id)).scalars())
        if ids:
            rows = [
                {
                    "_id": i,
                    "current": newest[i].value if i in newest else None,
                    "current_at": newest[i].at if i in newest else None,
                }
                for i in ids
            ]
            statement = (
                update(t.kpis)
                .where(t.kpis.c.id == bindparam("_id"))
                .values(current=bindparam("current"), current_at=bindparam("current_at"))
            )
            self.connection.execute(statement, rows)
