"""The cycle report's read model: one cycle for the organisation or one team, as the requesting user sees it.

Set-based: a handful of queries whatever the number of teams (no query per objective or key result). Objectives
the actor may not see are dropped before anything is counted, so they never reach a title, a total or a chart.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from math import fsum
from typing import Any

from koers.domain import model
from koers.domain.errors import NotFound, ValidationError
from koers.domain.pace import elapsed
from koers.services.findings import flag_counts
from koers.services.forecasts import forecast_of, forecast_view, points_of
from koers.services.permissions import can_see_objective
from koers.services.read import attention
from koers.services.read.views import Row, as_dict, group_by, key_result_view, kpi_view, objective_view
from koers.services.scores import cycle_window, measurement_cutoff
from koers.storage.unit_of_work import UnitOfWork

CHARTED_KEY_RESULTS = 60  # up to this many key results a report draws one chart each; an organisation's is a summary
LEVEL_ORDER = {"strategic": 0, "tactical": 1}


def find_cycle(uow: UnitOfWork, reference: str | int) -> model.Cycle:
    """A cycle by id (a number) or by name; NotFound / ValidationError otherwise."""
    if isinstance(reference, int) or (isinstance(reference, str) and reference.strip().isdigit()):
        found = uow.cycles.find(int(reference))
        if found is not None:
            return found
        if isinstance(reference, int):
            raise NotFound("cycle.not_found", id=reference)
    cycle = uow.cycles.by_name(str(reference))
    if cycle is None:
        raise ValidationError("cycle.name_unknown", names=str(reference))
    return cycle


def cycle_report(uow: UnitOfWork, cycle: model.Cycle, today: date, team_id: int | None = None) -> Row:
    """Everything a cycle report shows, for the organisation or one team, limited to what the actor may see."""
    team = uow.teams.get(team_id) if team_id is not None else None
    every_team = uow.teams.list(include_archived=True)
    teams = {t.id: t.name for t in every_team}
    objectives = [
        o
        for o in uow.objectives.list(cycle_id=cycle.id)
        if (team_id is None or o.team_id == team_id) and can_see_objective(uow.actor, o)
    ]
    in_order = uow.key_results.list_for("objective_id", [o.id for o in objectives], include_archived=False)
    key_results = group_by(in_order, lambda kr: kr.objective_id)
    owner_ids = [o.owner_id for o in objectives] + [kr.owner_id for found in key_results.values() for kr in found]
    people = {u.id: u.name or u.email for u in uow.users.list_for("id", owner_ids)}
    kr_count = sum(len(found) for found in key_results.values())
    readings = _readings(uow, cycle, key_results) if kr_count <= CHARTED_KEY_RESULTS else {}
    items, forecasts = _attention_and_forecasts(uow, today, in_order, every_team)

    rows: list[Row] = []
    for objective, depth in _aligned_order(objectives, teams):
        krs = key_results.get(objective.id, [])
        view = objective_view(objective, krs, cycle, today, forecasts)
        view.update(team=teams.get(objective.team_id), owner=people.get(objective.owner_id))
        view["depth"] = depth
        view["key_results"] = []
        for kr in krs:
            kr_view = key_result_view(kr, objective, cycle, today)
            kr_view["owner"] = people.get(kr.owner_id)
            kr_view["forecast_score"] = forecasts.get(kr.id or 0)
            kr_view["readings"] = readings.get(kr.id)
            if kr_view["readings"] is not None:
                kr_view["forecast"] = forecast_view(*forecast_of(kr, cycle, points_of(cycle, kr_view["readings"])))
            view["key_results"].append(kr_view)
        rows.append(view)

    kpis = [k for k in uow.kpis.list() if team_id is None or k.team_id == team_id]
    closed = cycle.status == "closed"
    return {
        "today": today,
        "cycle": {**as_dict(cycle), "elapsed": elapsed(today, cycle.start_date, cycle.end_date)},
        "closed": closed,
        "team": None if team is None else {"id": team.id, "name": team.name},
        "objectives": rows,
        "totals": _totals(rows, closed),
        "attention": items,
        "kpis": sorted(
            ({**kpi_view(k), "team": teams.get(k.team_id)} for k in kpis),
            key=lambda row: (row["team"] or "", row["name"].lower()),
        ),
        "charted": kr_count <= CHARTED_KEY_RESULTS,
        # Issue 15: goals the coach flagged at their last save, per team (of the visible goals only).
        "coach_flags": flag_counts(uow, objectives, in_order, teams),
    }


def _aligned_order(objectives: list[model.Objective], teams: dict[Any, str]) -> list[tuple[model.Objective, int]]:
    """Strategic objectives first, each followed by the objectives aligned to it (depth-first); then the rest."""
    by_id = {o.id: o for o in objectives}
    children = group_by((o for o in objectives if o.parent_id in by_id), lambda o: o.parent_id)

    def order(o: model.Objective) -> tuple[int, str, str]:
        return LEVEL_ORDER.get(o.level, 2), teams.get(o.team_id) or "", o.title.lower()

    ordered: list[tuple[model.Objective, int]] = []
    seen: set[int | None] = set()

    def visit(objective: model.Objective, depth: int) -> None:
        if objective.id in seen:  # a loop in old data: show each objective once
            return
        seen.add(objective.id)
        ordered.append((objective, depth))
        for child in sorted(children.get(objective.id, []), key=order):
            visit(child, depth + 1)

    for root in sorted((o for o in objectives if o.parent_id not in by_id), key=order):
        visit(root, 0)
    for rest in sorted((o for o in objectives if o.id not in seen), key=order):
        visit(rest, 0)
    return ordered


def _totals(rows: list[Row], closed: bool) -> Row:
    """Counts and averages over the visible objectives only."""
    scores = [row["final_grade"] * 100 if closed and row["final_grade"] is not None else row["score"] for row in rows]
    scored = [s for s in scores if s is not None]
    key_results = [kr for row in rows for kr in row["key_results"]]
    return {
        "objectives": len(rows),
        "key_results": len(key_results),
        "average_score": round(fsum(scored) / len(scored), 1) if scored else None,
        "by_status": dict(Counter(kr["status"] for kr in key_results)),
    }


def _readings(
    uow: UnitOfWork, cycle: model.Cycle, key_results: dict[Any, list[model.KeyResult]]
) -> dict[int | None, list[tuple[Any, float]]]:
    """Per key result: its check-ins and its KPI's measurements in the cycle, oldest first (for the charts)."""
    krs = [kr for found in key_results.values() for kr in found]
    check_ins = group_by(uow.check_ins.list_for("key_result_id", [kr.id for kr in krs]), lambda c: c.key_result_id)
    start, end = cycle_window(cycle)
    cutoff = measurement_cutoff(cycle)
    measured = group_by(
        uow.reads.measurements_between([kr.kpi_id for kr in krs], start, min(end, cutoff) if cutoff else end),
        lambda m: m.kpi_id,
    )
    return {
        kr.id: sorted(
            [(c.created_at, c.value) for c in check_ins.get(kr.id, [])]
            + [(m.at, m.value) for m in measured.get(kr.kpi_id, [])]
            if kr.kpi_id is not None
            else [(c.created_at, c.value) for c in check_ins.get(kr.id, [])]
        )
        for kr in krs
    }


def _attention_and_forecasts(
    uow: UnitOfWork, today: date, key_results: list[model.KeyResult], teams: list[model.Team] | None = None
) -> tuple[list[Row], dict[int, float | None]]:
    """The attention list's items for these key results (in id order), and their forecast scores: the attention
    list computes the forecast of each of them in an open cycle already, so the report keeps them instead of
    computing them twice (a closed or unstarted cycle has neither items nor forecasts: it shows grades or nothing
    to come)."""
    forecasts: dict[int, float | None] = {}

    def recorded(kr: model.KeyResult, cycle: model.Cycle, readings: attention.Points) -> float | None:
        found = forecasts[kr.id or 0] = attention.theil_sen_score(kr, cycle, readings)
        return found

    items = attention.attention_items(uow, today, forecast=recorded, teams=teams, key_results=key_results)
    return items, forecasts


def attention_items(uow: UnitOfWork, today: date, key_results: dict[Any, list[model.KeyResult]]) -> list[Row]:
    """The attention list's items (`services.read.attention`) for these key results, in its order."""
    return _attention_and_forecasts(uow, today, [kr for found in key_results.values() for kr in found])[0]
