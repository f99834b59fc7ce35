"""The cycles page: every cycle with its objectives' number and average, and for closed cycles grades and flags."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from math import fsum

from koers.domain import grading, model
from koers.domain.pace import elapsed
from koers.services.permissions import can_see_objective
from koers.services.read.views import Row, as_dict, group_by
from koers.storage.unit_of_work import UnitOfWork


def cycle_overview(uow: UnitOfWork, today: date) -> Row:
    """Every cycle: its objectives' number and average score, and for closed cycles the grades and ambition flags."""
    cycles = uow.cycles.list()
    closed = {c.id for c in cycles if c.status == "closed"}
    teams = {team.id: team.name for team in uow.teams.list(include_archived=True)}
    objectives = [o for o in uow.objectives.list() if can_see_objective(uow.actor, o)]
    aspirational = {o.id: o for o in objectives if o.type == "aspirational" and o.cycle_id in closed}
    kr_scores: dict[tuple[int, int | None], list[float]] = defaultdict(list)
    for kr in uow.key_results.list_for("objective_id", aspirational, include_archived=False):
        owner = aspirational[kr.objective_id]
        kr_scores[(owner.cycle_id, owner.team_id)].append(kr.score)
    by_cycle = group_by(objectives, lambda o: o.cycle_id)
    rows = []
    for cycle in sorted(cycles, key=cycle_order):
        mine = sorted(by_cycle.get(cycle.id or 0, []), key=lambda o: (teams.get(o.team_id) or "", o.title.lower()))
        scores = [o.score for o in mine if o.score is not None]
        view = as_dict(cycle)
        view.update(count=len(mine), average=round(fsum(scores) / len(scores), 1) if scores else None)
        view["elapsed"] = elapsed(today, cycle.start_date, cycle.end_date)
        if cycle.id in closed:
            view["grades"] = [
                {
                    "id": o.id,
                    "title": o.title,
                    "team": teams.get(o.team_id),
                    "type": o.type,
                    "grade": o.grade,
                    "colour": grading.grade_colour(o.grade),
                    "too_easy": grading.too_easy_objective(o.type, o.grade),
                }
                for o in mine
            ]
            view["easy_teams"] = [
                {"team": teams.get(team_id), "reached": sum(1 for s in found if s >= 100.0), "total": len(found)}
                for (cycle_id, team_id), found in sorted(kr_scores.items(), key=lambda item: str(item[0]))
                if cycle_id == cycle.id and grading.too_easy_team(found)
            ]
        rows.append(view)
    return {"cycles": rows}


def cycle_order(cycle: model.Cycle) -> tuple[bool, int]:
    """Open cycles first, longest-running first; then closed ones, newest first."""
    closed = cycle.status == "closed"
    return closed, -cycle.start_date.toordinal() if closed else cycle.start_date.toordinal()
