"""The KPI pages: the board of every KPI with a sparkline, and one KPI with its history and followers."""

from __future__ import annotations

from datetime import date

from koers.services.permissions import can_edit_kpi, can_see_objective
from koers.services.read.views import Row, key_result_view, kpi_view, name_of
from koers.storage.unit_of_work import UnitOfWork

SPARK_POINTS = 12  # measurements in a KPI's sparkline
KPI_HISTORY = 104  # measurements on a KPI's page (two years of weekly values)


def kpi_board(uow: UnitOfWork) -> Row:
    """Every KPI that is not archived, with its status colour, team and recent values for a sparkline."""
    kpis = uow.kpis.list()
    teams = {team.id: team.name for team in uow.teams.list(include_archived=True)}
    recent = uow.reads.recent_measurements([k.id for k in kpis], SPARK_POINTS)
    rows = []
    for kpi in kpis:
        view = kpi_view(kpi)
        view.update(team=teams.get(kpi.team_id), current_at=kpi.current_at)
        view["recent"] = [m.value for m in reversed(recent.get(kpi.id or 0, []))]
        view["editable"] = can_edit_kpi(uow.actor, kpi)  # may enter a value on the board
        rows.append(view)
    rows.sort(key=lambda row: (row["team"] or "", row["name"].lower()))
    return {"kpis": rows}


def kpi_detail(uow: UnitOfWork, kpi_id: int, today: date) -> Row:
    """One KPI: its newest measurements and the key results (that the viewer may see) that follow it."""
    kpi = uow.kpis.get(kpi_id)
    history = uow.measurements.history(kpi_id, limit=KPI_HISTORY + 1)
    teams = {team.id: team.name for team in uow.teams.list_for("id", [kpi.team_id])}
    owner = next(iter(uow.users.list_for("id", [kpi.owner_id])), None)
    linked = uow.key_results.list(kpi_id=kpi_id)
    objectives = {
        o.id: o
        for o in uow.objectives.list_for("id", [kr.objective_id for kr in linked], include_archived=False)
        if can_see_objective(uow.actor, o)
    }
    cycles = {c.id: c for c in uow.cycles.list()}
    key_results = []
    for kr in linked:
        objective = objectives.get(kr.objective_id)
        if objective is not None:
            view = key_result_view(kr, objective, cycles[objective.cycle_id], today)
            view.update(objective=name_of(objective), cycle=cycles[objective.cycle_id].name)
            key_results.append(view)
    view = kpi_view(kpi)
    view.update(team=teams.get(kpi.team_id), owner=None if owner is None else owner.name or owner.email)
    view["current_at"] = kpi.current_at
    view["editable"] = can_edit_kpi(uow.actor, kpi) and not kpi.archived  # may enter a value on the page
    return {
        "kpi": view,
        "measurements": history[:KPI_HISTORY],
        "more": len(history) > KPI_HISTORY,
        "key_results": key_results,
    }
