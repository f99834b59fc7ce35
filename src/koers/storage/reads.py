"""Set-based read queries for pages and lists: one query each, whatever the number of rows they cover."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, false, func, or_, select, true

from koers.domain import model
from koers.domain.permissions import PUBLIC, Visibility
from koers.storage import tables as t
from koers.storage.repositories.base import Repository

E = TypeVar("E")


def visible_objectives(visibility: Visibility) -> ColumnElement[bool]:
    """The SQL form of `Visibility.admits`: the objectives it lets through."""
    if visibility.everything:
        return true()
    o = t.objectives.c
    return or_(
        o.visibility == PUBLIC,
        o.team_id.in_(sorted(visibility.team_ids)) if visibility.team_ids else false(),
        o.owner_id == visibility.owner_id if visibility.owner_id is not None else false(),
    )


def _only_visible(query: Select[Any], table: str, visibility: Visibility) -> Select[Any]:
    """Rows of objectives, key results and initiatives limited to those under visible objectives."""
    if visibility.everything:
        return query
    clause = visible_objectives(visibility)
    visible = select(t.objectives.c.id).where(clause)
    if table == "objectives":
        return query.where(clause)
    if table == "key_results":
        return query.where(t.key_results.c.objective_id.in_(visible))
    if table == "initiatives":
        visible_krs = select(t.key_results.c.id).where(t.key_results.c.objective_id.in_(visible))
        return query.where(
            or_(t.initiatives.c.objective_id.in_(visible), t.initiatives.c.key_result_id.in_(visible_krs))
        )
    return query


def _utc(value: Any) -> datetime:
    # Columns read through a subquery may come back without the UTC type's processing.
    return t.UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type,return-value]


def _measurement(row: Any) -> model.Measurement:
    return model.Measurement(row.kpi_id, row.value, _utc(row.at), row.source, row.note, row.id, _utc(row.recorded_at))


class Reads:
    """The read queries of one unit of work."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def page(
        self,
        repository: Repository[E],
        filters: Mapping[str, Any],
        visibility: Visibility,
        after: int | None,
        limit: int,
        include_archived: bool = False,
    ) -> tuple[list[E], bool]:
        """Up to `limit` records after the id `after`, in id order, filtered by field = value and visibility;
        and whether more follow."""
        table = repository.table
        query: Select[Any] = select(table)
        for name, value in filters.items():
            if value is not None:
                query = query.where(table.c[name] == value)
        if "archived" in table.c and not include_archived:
            query = query.where(table.c.archived.is_(False))
        query = _only_visible(query, table.name, visibility)
        if after is not None:
            query = query.where(table.c.id > after)
        rows = list(self.connection.execute(query.order_by(table.c.id).limit(limit + 1)))
        items = repository.complete([repository._to_entity(row) for row in rows[:limit]])
        return items, len(rows) > limit

    def visible_objective_ids(self, visibility: Visibility) -> set[int]:
        """Ids of every objective the SQL visibility filter lets through."""
        query = select(t.objectives.c.id).where(visible_objectives(visibility))
        return set(self.connection.execute(query).scalars())

    def ancestor_ids(self, cycle_ids: Collection[int | None], team_ids: Collection[int | None] | None) -> list[int]:
        """Ids of every objective above the (teams') objectives of these cycles, through any cycle."""
        o = t.objectives.c
        start = select(o.parent_id.label("id")).where(
            o.cycle_id.in_(list(cycle_ids)), o.archived.is_(False), o.parent_id.is_not(None)
        )
        if team_ids is not None:
            start = start.where(o.team_id.in_([i for i in team_ids if i is not None]))
        chain = start.cte("chain", recursive=True)
        chain = chain.union(select(o.parent_id).where(o.id == chain.c.id, o.parent_id.is_not(None)))
        return list(self.connection.execute(select(chain.c.id)).scalars())

    def measurements_between(
        self, kpi_ids: Collection[int | None], start: datetime, end: datetime
    ) -> list[model.Measurement]:
        """Measurements of these KPIs in [start, end), oldest first."""
        m = t.measurements.c
        query = (
            select(t.measurements)
            .where(m.kpi_id.in_([i for i in kpi_ids if i is not None]), m.at >= start, m.at < end)
            .order_by(m.at, m.id)
        )
        return [_measurement(row) for row in self.connection.execute(query)]

    def recent_measurements(self, kpi_ids: Collection[int | None], per_kpi: int) -> dict[int, list[model.Measurement]]:
        """Per KPI: its newest `per_kpi` measurements, newest first."""
        m = t.measurements.c
        newest_first = func.row_number().over(partition_by=m.kpi_id, order_by=(m.at.desc(), m.id.desc()))
        ranked = (
            select(t.measurements, newest_first.label("rank"))
            .where(m.kpi_id.in_([i for i in kpi_ids if i is not None]))
            .subquery()
        )
        query = select(ranked).where(ranked.c.rank <= per_kpi).order_by(ranked.c.kpi_id, ranked.c.rank)
        found: dict[int, list[model.Measurement]] = {}
        for row in self.connection.execute(query):
            found.setdefault(row.kpi_id, []).append(_measurement(row))
        return found
