"""Set-based reads for "what changed this week": which key results, objectives and KPIs moved in a time window.

Koers keeps no per-check-in score: check-ins and measurements are the raw, append-only history, and stored scores
are only the latest. So these queries hand back the history a window needs (each moved key result's check-ins and
its KPI's measurements up to the window's end; each moved KPI's measurements in the window and the one before it),
and `koers.services.read.changes` replays it through the scoring of `koers.services.scores`. New and archived
objectives come from the audit trail (`audit_log`, written by every door but a bulk import), closed ones from their
cycle's `closed_at`. A constant number of queries, whatever the size of the window.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, or_, select, true

from koers.domain import model
from koers.domain.permissions import Visibility
from koers.storage import tables as t
from koers.storage.reads import visible_objectives

CHUNK = 5000


@dataclass(frozen=True)
class Window:
    """[since, until): until None means up to now."""

    since: datetime
    until: datetime | None = None


@dataclass(frozen=True)
class ObjectiveEvent:
    """An objective created, archived (audit trail) or closed (its cycle closed) at `at`."""

    at: datetime
    change: str  # "created", "archived" or "closed"
    objective_id: int


def _utc(value: Any) -> datetime:
    return t.UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type,return-value]


def _before(column: Any, window: Window) -> Any:
    return column < window.until if window.until is not None else true()


def _in(column: Any, window: Window) -> Any:
    return and_(column >= window.since, _before(column, window))


def _chunks(ids: Collection[int | None]) -> list[list[int]]:
    wanted = sorted({i for i in ids if i is not None})
    return [wanted[start : start + CHUNK] for start in range(0, len(wanted), CHUNK)]


class Changes:
    """The queries of one unit of work."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _objectives(self, visibility: Visibility, team_id: int | None) -> Select[Any]:
        """Ids of the visible objectives that are not archived (of one team when asked)."""
        o = t.objectives.c
        query = select(o.id).where(visible_objectives(visibility), o.archived.is_(False))
        return query if team_id is None else query.where(o.team_id == team_id)

    def moved_key_results(self, visibility: Visibility, window: Window, team_id: int | None = None) -> list[int]:
        """Key results under visible objectives with a check-in in the window, or whose KPI was measured in it."""
        kr, c, m = t.key_results.c, t.check_ins.c, t.measurements.c
        checked = exists().where(c.key_result_id == kr.id, _in(c.created_at, window))
        measured = exists().where(m.kpi_id == kr.kpi_id, _in(m.at, window))
        query = select(kr.id).where(
            kr.archived.is_(False),
            kr.objective_id.in_(self._objectives(visibility, team_id)),
            or_(checked, and_(kr.kpi_id.is_not(None), measured)),
        )
        return sorted(self.connection.execute(query).scalars())

    def check_ins_until(self, key_result_ids: Collection[int | None], window: Window) -> dict[int, list[model.CheckIn]]:
        """Per key result: its check-ins up to the window's end, oldest first."""
        c = t.check_ins.c
        found: dict[int, list[model.CheckIn]] = {}
        for chunk in _chunks(key_result_ids):
            query = (
                select(t.check_ins)
                .where(c.key_result_id.in_(chunk), _before(c.created_at, window))
                .order_by(c.key_result_id, c.created_at, c.id)
            )
            for row in self.connection.execute(query):
                found.setdefault(row.key_result_id, []).append(
                    model.CheckIn(
                        row.key_result_id, row.value, row.created_at, row.confidence, row.note, row.author_id, row.id
                    )
                )
        return found

    def measurements_until(self, kpi_ids: Collection[int | None], window: Window) -> dict[int, list[model.Measurement]]:
        """Per KPI: its measurements up to the window's end, oldest first."""
        m = t.measurements.c
        found: dict[int, list[model.Measurement]] = {}
        for chunk in _chunks(kpi_ids):
            query = (
                select(t.measurements).where(m.kpi_id.in_(chunk), _before(m.at, window)).order_by(m.kpi_id, m.at, m.id)
            )
            for row in self.connection.execute(query):
                found.setdefault(row.kpi_id, []).append(_measurement(row))
        return found

    def kpi_measurements(self, window: Window, team_id: int | None = None) -> dict[int, list[model.Measurement]]:
        """Per KPI that is not archived and was measured in the window: the newest measurement before the window
        (when there is one) and those in it, oldest first."""
        m, k = t.measurements.c, t.kpis.c
        kpis = select(k.id).where(k.archived.is_(False))
        if team_id is not None:
            kpis = kpis.where(k.team_id == team_id)
        in_window = select(t.measurements).where(m.kpi_id.in_(kpis), _in(m.at, window))
        earlier = t.measurements.alias("earlier")
        e = earlier.c
        newest_before = (
            select(e.id)
            .where(e.kpi_id == m.kpi_id, e.at < window.since)
            .order_by(e.at.desc(), e.id.desc())
            .limit(1)
            .correlate(t.measurements)
            .scalar_subquery()
        )
        moved = select(m.kpi_id).where(m.kpi_id.in_(kpis), _in(m.at, window)).distinct()
        before = (
            select(t.measurements)
            .select_from(t.kpis.join(t.measurements, m.kpi_id == k.id))
            .where(k.id.in_(moved), m.id == newest_before)
        )
        rows = self.connection.execute(in_window.union_all(before).subquery().select())
        found: dict[int, list[model.Measurement]] = {}
        for row in sorted(rows, key=lambda row: (row.kpi_id, _utc(row.at), row.id)):
            found.setdefault(row.kpi_id, []).append(_measurement(row))
        return found

    def objective_events(
        self, visibility: Visibility, window: Window, team_id: int | None = None
    ) -> list[ObjectiveEvent]:
        """Visible objectives created or archived in the window (audit trail), and those whose cycle closed in it."""
        a, o, cy = t.audit_log.c, t.objectives.c, t.cycles.c
        seen = visible_objectives(visibility)
        audited = (
            select(a.at, a.action, a.entity_id)
            .select_from(t.audit_log.join(t.objectives, o.id == a.entity_id))
            .where(a.entity == "objective", a.action.in_(("create", "archive")), _in(a.at, window), seen)
        )
        closed = (
            select(cy.closed_at, o.id)
            .select_from(t.objectives.join(t.cycles, cy.id == o.cycle_id))
            .where(cy.status == "closed", _in(cy.closed_at, window), o.archived.is_(False), seen)
        )
        if team_id is not None:
            audited = audited.where(o.team_id == team_id)
            closed = closed.where(o.team_id == team_id)
        names = {"create": "created", "archive": "archived"}
        events = [
            ObjectiveEvent(_utc(row.at), names[row.action], row.entity_id) for row in self.connection.execute(audited)
        ]
        events += [ObjectiveEvent(_utc(row.closed_at), "closed", row.id) for row in self.connection.execute(closed)]
        return events


def _measurement(row: Any) -> model.Measurement:
    return model.Measurement(row.kpi_id, row.value, _utc(row.at), row.source, row.note, row.id, _utc(row.recorded_at))
