"""Presenters: stored values plus what depends on today's date (pace status, forecast, KPI colour)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from koers.domain import grading, model
from koers.domain.kpi_status import kpi_status
from koers.domain.pace import elapsed, forecast_score, pace_status
from koers.storage.unit_of_work import UnitOfWork

Row = dict[str, Any]

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def as_dict(entity: Any) -> dict[str, Any]:
    """A shallow dict of a dataclass (asdict deep-copies every value, which dashboards cannot afford)."""
    kind = type(entity)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(entity))
    return {name: getattr(entity, name) for name in names}


def key_result_view(kr: model.KeyResult, objective: model.Objective, cycle: model.Cycle, today: date) -> dict[str, Any]:
    """A key result with its computed `status`."""
    share = elapsed(today, cycle.start_date, cycle.end_date)
    view = as_dict(kr)
    view.pop("current_at")
    view["status"] = pace_status(kr.score, kr.current is not None, share, objective.type)
    return view


def objective_view(
    objective: model.Objective, key_results: list[model.KeyResult], cycle: model.Cycle, today: date
) -> dict[str, Any]:
    """An objective with its computed `status` and `forecast_score`."""
    share = elapsed(today, cycle.start_date, cycle.end_date)
    live = [kr for kr in key_results if not kr.archived]
    has_value = any(kr.current is not None for kr in live) if live else objective.score is not None
    view = as_dict(objective)
    view["status"] = pace_status(objective.score, has_value, share, objective.type)
    view["forecast_score"] = forecast_score(objective.score, share) if has_value else None
    view["grade_colour"] = grading.grade_colour(objective.grade)
    return view


def kpi_view(kpi: model.Kpi) -> dict[str, Any]:
    """A KPI with its computed `status` colour."""
    view = as_dict(kpi)
    view.pop("current_at")
    view["status"] = kpi_status(
        kpi.direction,
        kpi.current,
        green_at=kpi.green_at,
        red_at=kpi.red_at,
        target_low=kpi.target_low,
        target_high=kpi.target_high,
    )
    return view


def present_objectives(uow: UnitOfWork, objectives: list[model.Objective], today: date) -> list[dict[str, Any]]:
    """Objectives with computed fields, in two queries whatever their number."""
    ids = [o.id for o in objectives]
    cycles = {c.id: c for c in uow.cycles.list()}
    krs: dict[int, list[model.KeyResult]] = {}
    for kr in uow.key_results.list_for("objective_id", ids, include_archived=False):
        krs.setdefault(kr.objective_id, []).append(kr)
    return [objective_view(o, krs.get(o.id or 0, []), cycles[o.cycle_id], today) for o in objectives]


def present_key_results(uow: UnitOfWork, key_results: list[model.KeyResult], today: date) -> list[dict[str, Any]]:
    """Key results with their computed status, in two queries whatever their number."""
    objectives = {
        o.id: o for o in uow.objectives.list_for("id", [kr.objective_id for kr in key_results], include_archived=True)
    }
    cycles = {c.id: c for c in uow.cycles.list()}
    views = []
    for kr in key_results:
        objective = objectives[kr.objective_id]
        views.append(key_result_view(kr, objective, cycles[objective.cycle_id], today))
    return views


def group_by(items: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    """Items in lists by key, in their order."""
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped


def name_of(entity: model.Objective | model.Kpi | None) -> dict[str, Any] | None:
    """The id and title (or name) of an objective or KPI, for a link."""
    if entity is None:
        return None
    return {"id": entity.id, "title": getattr(entity, "title", None) or getattr(entity, "name", "")}
