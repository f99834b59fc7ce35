"""Where key results and objectives will end their cycle: a Theil–Sen line through the cycle's values (SPEC §3).

A key result's values are its check-ins and its linked KPI's measurements inside the cycle window (not recorded
after the cycle closed), with x the days since the cycle's start (a float). The line is projected to the cycle's
end, x = the cycle's length in days (the span `pace.elapsed` divides by). The values of many key results are read
in one query per cycle (`Bulk.cycle_points`), so lists cost no query per key result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time
from typing import Any

from koers.domain import model
from koers.domain.forecast import Forecast, forecast_score, theil_sen
from koers.services.permissions import visible_key_result
from koers.services.scores import cycle_window, measurement_cutoff, target_of
from koers.storage.unit_of_work import UnitOfWork

Points = list[tuple[float, float]]


def cycle_start(cycle: model.Cycle) -> datetime:
    """x = 0: the start of the cycle's first day, UTC."""
    return datetime.combine(cycle.start_date, time(), tzinfo=UTC)


def cycle_end_x(cycle: model.Cycle) -> float:
    """The x the forecast is projected to: the cycle's length in days."""
    return float((cycle.end_date - cycle.start_date).days)


def cycle_points(uow: UnitOfWork, items: Iterable[tuple[model.KeyResult, model.Cycle]]) -> dict[int, Points]:
    """Per key result: its (days since the cycle's start, value) pairs of the cycle, in one query per cycle."""
    windows: dict[int, tuple[int | None, datetime, datetime, datetime | None]] = {}
    for kr, cycle in items:
        if kr.id is None:
            continue
        start, end = cycle_window(cycle)
        cutoff = measurement_cutoff(cycle)
        windows[kr.id] = (kr.kpi_id, start, min(end, cutoff) if cutoff else end, cutoff)
    return uow.bulk.cycle_points(windows)  # x counted from each window's start: the cycle's


def points_of(cycle: model.Cycle, readings: Iterable[tuple[datetime, float]]) -> Points:
    """(days since the cycle's start, value) of readings already read (a page that has them): those in the cycle
    window and, for a closed cycle, not after it closed."""
    start, end = cycle_window(cycle)
    cutoff = measurement_cutoff(cycle)
    until = min(end, cutoff) if cutoff else end
    return [((at - start).total_seconds() / 86_400, value) for at, value in readings if start <= at < until]


def forecast_of(kr: model.KeyResult, cycle: model.Cycle, points: Points) -> tuple[Forecast, float | None]:
    """The key result's forecast and the score it ends at (None without a forecast)."""
    forecast = theil_sen(points, cycle_end_x(cycle))
    return forecast, forecast_score(target_of(kr), forecast)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def forecast_view(forecast: Forecast, score: float | None) -> dict[str, Any]:
    """The forecast as the API sends it."""
    return {
        "value": _rounded(forecast.value),
        "score": score,
        "low": _rounded(forecast.low),
        "high": _rounded(forecast.high),
        "points": forecast.points,
        "method": forecast.method,
    }


def key_result_forecast(uow: UnitOfWork, kr_id: int) -> dict[str, Any]:
    """A key result's forecast; NotFound when the actor may not see it."""
    kr, objective = visible_key_result(uow, kr_id)
    cycle = uow.cycles.get(objective.cycle_id)
    points = cycle_points(uow, [(kr, cycle)]).get(kr_id, [])
    return forecast_view(*forecast_of(kr, cycle, points))


def forecast_scores(
    uow: UnitOfWork, key_results: Iterable[model.KeyResult], cycle_of: Mapping[int, model.Cycle]
) -> dict[int, float | None]:
    """Per key result: the score its forecast ends at (None without a forecast), in one query for all of them.

    `cycle_of` maps each key result's objective id to the objective's cycle.
    """
    items = [(kr, cycle_of[kr.objective_id]) for kr in key_results if kr.objective_id in cycle_of]
    points = cycle_points(uow, items)
    return {kr.id: forecast_of(kr, cycle, points.get(kr.id, []))[1] for kr, cycle in items if kr.id is not None}
