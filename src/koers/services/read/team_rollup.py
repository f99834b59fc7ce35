"""The roll-up per team: each team's objectives in a cycle, their average score and how many are at each pace.

The objectives' scores are the stored ones (`domain.rollup.roll_up` keeps them); a team's average is
`domain.scoring.objective_score` over them, the same equal-weight mean a parent objective takes of the objectives
under it: objectives without a score, and those whose cycle has not started, are left out of it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from koers.domain.scoring import cycle_has_started, objective_score
from koers.services.permissions import can_see_objective
from koers.services.read.cycles import cycle_order
from koers.services.read.views import Row, group_by, objective_view
from koers.storage.unit_of_work import UnitOfWork

STATUSES = ("on_track", "at_risk", "off_track", "achieved", "not_started")


def team_rollup(uow: UnitOfWork, today: date, cycle_id: int | None = None) -> Row:
    """`{"items": [...]}`: one entry per team with visible objectives in the cycle (default: every cycle that is not
    closed), the whole organisation's own objectives first (team_id None), then teams by name."""
    cycles = {c.id: c for c in uow.cycles.list()}
    chosen = [cycle_id] if cycle_id in cycles else [i for i, c in cycles.items() if c.status != "closed"]
    objectives = [
        o
        for o in uow.objectives.list_for("cycle_id", chosen, include_archived=False)
        if can_see_objective(uow.actor, o)
    ]
    key_results = group_by(
        uow.key_results.list_for("objective_id", [o.id for o in objectives], include_archived=False),
        lambda kr: kr.objective_id,
    )
    teams = {team.id: team for team in uow.teams.list(include_archived=True)}
    per_team: dict[int | None, list[Row]] = {}
    for objective in objectives:
        cycle = cycles[objective.cycle_id]
        view = objective_view(objective, key_results.get(objective.id or 0, []), cycle, today)
        view["cycle"] = cycle.name
        view["counts"] = cycle_has_started(cycle.status, cycle.start_date, today)
        per_team.setdefault(objective.team_id, []).append(view)
    items: list[Row] = []
    for team_id, views in per_team.items():
        views.sort(key=lambda v: (v["level"] != "strategic", v["title"].lower()))
        team = teams.get(team_id)
        statuses = Counter(v["status"] for v in views)
        items.append(
            {
                "team_id": team_id,
                "team": None if team is None else team.name,
                "parent_id": None if team is None else team.parent_id,
                "average_score": objective_score((), [v["score"] for v in views if v["counts"]]),
                "objective_count": len(views),
                "statuses": {status: statuses.get(status, 0) for status in STATUSES},
                "objectives": [
                    {
                        key: v[key]
                        for key in ("id", "title", "level", "type", "score", "status", "cycle_id", "cycle", "counts")
                    }
                    for v in views
                ],
            }
        )
    items.sort(key=lambda item: (item["team_id"] is not None, (item["team"] or "").lower()))
    return {
        "items": items,
        "cycles": sorted(cycles.values(), key=cycle_order),
        "cycle_id": cycle_id if cycle_id in cycles else None,
    }
