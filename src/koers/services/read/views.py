"""Presenters: stored values plus what depends on today's date (pace status, forecast, KPI colour)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date
from typing import Any

from koers.domain import grading, model
from koers.domain.kpi_status import kpi_colour
from koers.domain.pace import elapsed, pace_status
from koers.domain.plan import LINEAR, Plan, PlanPoint, expected_score
from koers.domain.scoring import objective_score
from koers.services.forecasts import forecast_scores
from koers.services.scores import target_of
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


def plan_of(kr: model.KeyResult) -> Plan:
    """The key result's stored plan (checked against its cycle when it was written); the linear plan without one."""
    raw = kr.plan
    if not raw:
        return LINEAR
    points = tuple(PlanPoint(date.fromisoformat(p["date"]), float(p["value"])) for p in raw.get("points") or ())
    return Plan(str(raw.get("shape", "linear")), points)


def planned_expected_score(kr: model.KeyResult, objective: model.Objective, cycle: model.Cycle, today: date) -> float:
    """The score the key result's plan expects today (× 0.7 for aspirational objectives), unrounded."""
    return expected_score(plan_of(kr), target_of(kr), objective.type, cycle.start_date, cycle.end_date, today)


def key_result_view(kr: model.KeyResult, objective: model.Objective, cycle: model.Cycle, today: date) -> dict[str, Any]:
    """A key result with its computed `status` (against its plan's `expected_score`) and `plan` (linear by default)."""
    expected = planned_expected_score(kr, objective, cycle, today)
    view = as_dict(kr)
    view.pop("current_at")
    view["plan"] = kr.plan or LINEAR.as_dict()
    view["expected_score"] = round(expected, 1)
    view["status"] = key_result_status(kr, objective, cycle, today, expected)
    return view


def key_result_status(
    kr: model.KeyResult, objective: model.Objective, cycle: model.Cycle, today: date, expected: float | None = None
) -> str:
    """A key result's pace status against its plan's expected score (`expected`, when already computed): the
    `status` of `key_result_view`, for lists that need nothing else of the view."""
    if expected is None:
        expected = planned_expected_score(kr, objective, cycle, today)
    share = elapsed(today, cycle.start_date, cycle.end_date)
    return pace_status(kr.score, kr.current is not None, share, objective.type, expected)


def objective_forecast(
    objective: model.Objective, key_results: list[model.KeyResult], forecasts: Mapping[int, float | None]
) -> float | None:
    """The weighted mean of the key results' forecast scores (the current score where there is none); an objective
    without key results of its own keeps its score; None while nothing has a value."""
    live = [kr for kr in key_results if not kr.archived]
    if not live:
        return objective.score
    if not any(kr.current is not None for kr in live):
        return None
    pairs = [(_forecast_or_score(kr, forecasts), kr.weight) for kr in live]
    return objective_score(pairs)


def _forecast_or_score(kr: model.KeyResult, forecasts: Mapping[int, float | None]) -> float:
    found = forecasts.get(kr.id or 0)
    return kr.score if found is None else found


def objective_view(
    objective: model.Objective,
    key_results: list[model.KeyResult],
    cycle: model.Cycle,
    today: date,
    forecasts: Mapping[int, float | None] | None = None,
) -> dict[str, Any]:
    """An objective with its computed `status` and `forecast_score`.

    `forecasts`: the key results' forecast scores (`forecasts.forecast_scores`); without them (pages that do not
    show the forecast) each key result counts with its current score.
    """
    share = elapsed(today, cycle.start_date, cycle.end_date)
    live = [kr for kr in key_results if not kr.archived]
    has_value = any(kr.current is not None for kr in live) if live else objective.score is not None
    view = as_dict(objective)
    view["status"] = pace_status(objective.score, has_value, share, objective.type)
    view["forecast_score"] = objective_forecast(objective, key_results, forecasts or {}) if has_value else None
    # issue 15: a grade set by hand counts; the computed one (`grade`) stays beside it
    view["final_grade"] = grading.final_grade(objective.grade, objective.grade_override)
    view["grade_colour"] = grading.grade_colour(view["final_grade"])
    return view


def kpi_view(kpi: model.Kpi) -> dict[str, Any]:
    """A KPI with its computed `status` colour."""
    view = as_dict(kpi)
    view.pop("current_at")
    view["status"] = kpi_colour(kpi, kpi.current)
    return view


def present_objectives(uow: UnitOfWork, objectives: list[model.Objective], today: date) -> list[dict[str, Any]]:
    """Objectives with computed fields (forecasts too), in three queries whatever their number."""
    ids = [o.id for o in objectives]
    cycles = {c.id: c for c in uow.cycles.list()}
    krs: dict[int, list[model.KeyResult]] = {}
    for kr in uow.key_results.list_for("objective_id", ids, include_archived=False):
        krs.setdefault(kr.objective_id, []).append(kr)
    cycle_of = {o.id: cycles[o.cycle_id] for o in objectives if o.id is not None}
    forecasts = forecast_scores(uow, [kr for found in krs.values() for kr in found], cycle_of)
    return [objective_view(o, krs.get(o.id or 0, []), cycles[o.cycle_id], today, forecasts) for o in objectives]


def present_key_results(uow: UnitOfWork, key_results: list[model.KeyResult], today: date) -> list[dict[str, Any]]:
    """Key results with their computed status and guardrail KPIs, in three queries whatever their number."""
    objectives = {
        o.id: o for o in uow.objectives.list_for("id", [kr.objective_id for kr in key_results], include_archived=True)
    }
    cycles = {c.id: c for c in uow.cycles.list()}
    guardrails = uow.insight.guardrails([kr.id for kr in key_results])
    views = []
    for kr in key_results:
        objective = objectives[kr.objective_id]
        view = key_result_view(kr, objective, cycles[objective.cycle_id], today)
        view["guardrail_kpi_ids"] = guardrails.get(kr.id or 0, [])
        views.append(view)
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
