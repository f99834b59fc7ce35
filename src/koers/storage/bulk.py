"""Set-based reads and writes for rebuilding stored values over a whole organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from koers.domain import model
from koers.domain.scoring import Reading
from koers.storage import tables as t


@dataclass(frozen=True)
class ObjectiveNode:
    """What the roll-up needs of an objective."""

    id: int
    parent_id: int | None
    cycle_id: int
    archived: bool


def objective_tree(connection: Connection) -> dict[int, ObjectiveNode]:
    """Every objective as a node of the alignment tree."""
    o = t.objectives.c
    query = select(o.id, o.parent_id, o.cycle_id, o.archived)
    return {
        row.id: ObjectiveNode(row.id, row.parent_id, row.cycle_id, row.archived) for row in connection.execute(query)
    }


def latest_check_ins(connection: Connection) -> dict[int, tuple[Reading, str | None]]:
    """Per key result: its newest check-in (by time, then id) as a reading, and that check-in's confidence.

    One index seek per key result on (key_result_id, created_at, id): 8× faster on SQLite than a window
    function, which sorts every check-in.
    """
    c = t.check_ins.c
    kr = t.key_results
    newest_id = (
        select(c.id)
        .where(c.key_result_id == kr.c.id)
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(1)
        .correlate(kr)
        .scalar_subquery()
    )
    query = select(c.key_result_id, c.value, c.created_at, c.confidence).select_from(
        kr.join(t.check_ins, c.id == newest_id)
    )
    return {
        row.key_result_id: (Reading(row.value, row.created_at, "check_in"), row.confidence)
        for row in connection.execute(query)
    }


def latest_measurements(connection: Connection) -> dict[int, model.Measurement]:
    """Per KPI: its newest measurement (by time, then id), by one index seek per KPI."""
    m = t.measurements.c
    kpis = t.kpis
    newest_id = (
        select(m.id)
        .where(m.kpi_id == kpis.c.id)
        .order_by(m.at.desc(), m.id.desc())
        .limit(1)
        .correlate(kpis)
        .scalar_subquery()
    )
    query = select(t.measurements).select_from(kpis.join(t.measurements, m.id == newest_id))
    return {
        row.kpi_id: model.Measurement(row.kpi_id, row.value, row.at, row.source, row.note, row.id)
        for row in connection.execute(query)
    }


def check_in_values(connection: Connection, key_result_ids: list[int | None]) -> dict[int, list[float]]:
    """Every check-in value of these key results, grouped by key result."""
    grouped: dict[int, list[float]] = {}
    c = t.check_ins.c
    for start in range(0, len(key_result_ids), 5000):
        chunk = key_result_ids[start : start + 5000]
        for row in connection.execute(select(c.key_result_id, c.value).where(c.key_result_id.in_(chunk))):
            grouped.setdefault(row.key_result_id, []).append(row.value)
    return grouped


def measurement_values(connection: Connection, kpi_ids: list[int | None]) -> dict[int, list[tuple[Any, float]]]:
    """Every (at, value) of these KPIs' measurements, grouped by KPI."""
    wanted = sorted({i for i in kpi_ids if i is not None})
    grouped: dict[int, list[tuple[Any, float]]] = {}
    m = t.measurements
    for start in range(0, len(wanted), 5000):
        query = select(m.c.kpi_id, m.c.at, m.c.value).where(m.c.kpi_id.in_(wanted[start : start + 5000]))
        for row in connection.execute(query):
            grouped.setdefault(row.kpi_id, []).append((row.at, row.value))
    return grouped


def store_key_result_states(connection: Connection, states: list[dict[str, Any]]) -> None:
    """Write computed key result fields in one executemany."""
    if states:
        statement = (
            update(t.key_results)
            .where(t.key_results.c.id == bindparam("_id"))
            .values({name: bindparam(name) for name in ("current", "current_at", "progress", "score", "confidence")})
        )
        connection.execute(statement, states)


def store_objective_scores(connection: Connection, scores: dict[int, float | None]) -> None:
    """Write objective scores in one executemany."""
    if scores:
        statement = update(t.objectives).where(t.objectives.c.id == bindparam("_id")).values(score=bindparam("score"))
        connection.execute(statement, [{"_id": k, "score": v} for k, v in scores.items()])


def store_kpi_currents(connection: Connection, latest: dict[int, model.Measurement]) -> None:
    """Write every KPI's current value (None where it has no measurement)."""
    ids = list(connection.execute(select(t.kpis.c.id)).scalars())
    if ids:
        rows = [
            {
                "_id": i,
                "current": latest[i].value if i in latest else None,
                "current_at": latest[i].at if i in latest else None,
            }
            for i in ids
        ]
        statement = (
            update(t.kpis)
            .where(t.kpis.c.id == bindparam("_id"))
            .values(current=bindparam("current"), current_at=bindparam("current_at"))
        )
        connection.execute(statement, rows)
