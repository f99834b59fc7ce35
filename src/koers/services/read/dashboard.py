"""The dashboard read model (`koers dashboard`): open cycles with their objectives by team, and every KPI."""

from __future__ import annotations

from datetime import date
from typing import Any

from koers.domain import model
from koers.services.read.views import as_dict, key_result_view, kpi_view, objective_view
from koers.storage.unit_of_work import UnitOfWork


def dashboard(uow: UnitOfWork, today: date, cycle_names: list[str] | None = None) -> dict[str, Any]:
    """Every open cycle (or the named ones) with its objectives by team, their key results, and all KPIs."""
    cycles = [c for c in uow.cycles.list() if (c.name in cycle_names if cycle_names else c.status != "closed")]
    cycle_ids = {c.id for c in cycles}
    teams = {team.id: team for team in uow.teams.list()}
    objectives = uow.objectives.list_for("cycle_id", cycle_ids, include_archived=False)
    krs_by_objective: dict[int, list[model.KeyResult]] = {}
    for kr in uow.key_results.list_for("objective_id", [o.id for o in objectives], include_archived=False):
        krs_by_objective.setdefault(kr.objective_id, []).append(kr)
    by_id = {c.id: c for c in cycles}
    result_cycles = []
    for cycle in cycles:
        rows = []
        for objective in (o for o in objectives if o.cycle_id == cycle.id):
            krs = krs_by_objective.get(objective.id or 0, [])
            view = objective_view(objective, krs, by_id[objective.cycle_id], today)
            view["team"] = teams[objective.team_id].name if objective.team_id in teams else None
            view["key_results"] = [key_result_view(kr, objective, cycle, today) for kr in krs]
            rows.append(view)
        result_cycles.append({**as_dict(cycle), "objectives": rows})
    return {
        "today": today.isoformat(),
        "cycles": result_cycles,
        "kpis": [kpi_view(k) for k in uow.kpis.list()],
    }
