"""`koers explain`: which values a score used, when they were recorded, and the formula with numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from koers.domain import model
from koers.domain.explanation import Formula, key_result_explanation, objective_explanation
from koers.domain.pace import elapsed, expected_score
from koers.domain.scoring import Reading, cycle_has_started, newest
from koers.services.forecasts import forecast_scores
from koers.services.read.views import key_result_view, objective_view
from koers.services.scores import cycle_values, measurement_cutoff, target_of
from koers.services.sources import provenance
from koers.storage.unit_of_work import UnitOfWork


def used_reading(check_in: model.CheckIn | None, measurement: model.Measurement | None) -> Reading | None:
    """The value a key result's score used: the newer of its latest check-in and its KPI's latest measurement."""
    return newest(
        None if check_in is None else Reading(check_in.value, check_in.created_at, "check_in"),
        None if measurement is None else Reading(measurement.value, measurement.at, "kpi"),
    )


def score_explanation(kr: model.KeyResult, used: Reading | None, values: list[float]) -> Formula:
    """The structured formula of a key result's score (adapters render it in their locale)."""
    return key_result_explanation(target_of(kr), None if used is None else used.value, values)


def score_formula(kr: model.KeyResult, used: Reading | None, values: list[float]) -> dict[str, str]:
    """The rule, the filled-in formula and the score line of a key result's score, in English."""
    return score_explanation(kr, used, values).text()


def explain_key_result(uow: UnitOfWork, kr_id: int, today: date) -> dict[str, Any]:
    """The explanation of one key result's score and status."""
    kr = uow.key_results.get(kr_id)
    objective = uow.objectives.get(kr.objective_id)
    cycle = uow.cycles.get(objective.cycle_id)
    check_in = uow.check_ins.latest(kr_id)
    measurement = uow.measurements.latest(kr.kpi_id, measurement_cutoff(cycle)) if kr.kpi_id else None
    used = used_reading(check_in, measurement)
    values = cycle_values(uow, kr, cycle)
    share = elapsed(today, cycle.start_date, cycle.end_date)
    view = key_result_view(kr, objective, cycle, today)
    return {
        "key_result": view,
        "objective": {"id": objective.id, "title": objective.title, "type": objective.type},
        "cycle": {
            "name": cycle.name,
            "start_date": cycle.start_date.isoformat(),
            "end_date": cycle.end_date.isoformat(),
        },
        "value_used": None if used is None else {"value": used.value, "source": used.source, "at": used.at.isoformat()},
        "latest_check_in": None
        if check_in is None
        else {"id": check_in.id, "value": check_in.value, "at": check_in.created_at.isoformat(), "note": check_in.note},
        "latest_measurement": None
        if measurement is None
        else {"id": measurement.id, "value": measurement.value, "at": measurement.at.isoformat(), "kpi_id": kr.kpi_id},
        "cycle_values": values,
        # Issue 11: where the value used came from when a data source recorded it (kind, query or URL, time, raw).
        "provenance": _provenance(uow, used, check_in, measurement),
        "formula": score_formula(kr, used, values),
        "pace": {
            "today": today.isoformat(),
            "elapsed": round(share, 4),
            "expected_score": view["expected_score"],  # the plan's (linear by default)
        },
    }


def _provenance(
    uow: UnitOfWork, used: Reading | None, check_in: model.CheckIn | None, measurement: model.Measurement | None
) -> dict[str, Any] | None:
    """The data source run behind the value used, if a source recorded it."""
    if used is None:
        return None
    if used.source == "check_in" and check_in is not None:
        found = provenance(uow, check_in_id=check_in.id)
    elif measurement is not None:
        found = provenance(uow, measurement_id=measurement.id)
    else:
        found = None
    return None if found is None else {**found, "at": found["at"].isoformat()}


def explain_objective(uow: UnitOfWork, objective_id: int, today: date) -> dict[str, Any]:
    """The explanation of an objective's score: its key results, or the objectives aligned under it."""
    objective = uow.objectives.get(objective_id)
    cycle = uow.cycles.get(objective.cycle_id)
    krs = uow.key_results.list(objective_id=objective_id)
    children = uow.objectives.list(parent_id=objective_id)
    cycles = {c.id: c for c in uow.cycles.list_for("id", [c.cycle_id for c in children])}
    # Aligned objectives whose cycle has not started are left out of the mean (SPEC §3).
    started = {
        c.id: cycle_has_started(cycles[c.cycle_id].status, cycles[c.cycle_id].start_date, today) for c in children
    }
    share = elapsed(today, cycle.start_date, cycle.end_date)
    return {
        "objective": objective_view(
            objective, krs, cycle, today, forecast_scores(uow, krs, {objective.id or 0: cycle})
        ),
        "key_results": [{"id": kr.id, "title": kr.title, "score": kr.score, "weight": kr.weight} for kr in krs],
        "aligned": [{"id": c.id, "title": c.title, "score": c.score, "cycle_started": started[c.id]} for c in children],
        "formula": objective_explanation(
            [(kr.title, kr.score, kr.weight) for kr in krs],
            [(c.title, c.score) for c in children if started[c.id]],
            (),
            [c.title for c in children if not started[c.id]],
        ).text(),
        "pace": {
            "today": today.isoformat(),
            "elapsed": round(share, 4),
            "expected_score": round(expected_score(share, objective.type), 1),
        },
    }
