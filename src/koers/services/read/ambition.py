"""Ambition across closed cycles: each team's red/yellow/green grade spread, and the flags of SPEC §3.

The flags: an aspirational objective graded 1.0 (`too_easy`), a team whose aspirational key results reach 100 in
more than half the cases (`easy_team`), and a committed objective that missed (`missed`). Only objectives the
actor may see count, in the spread as in the flags.
"""

from __future__ import annotations

from collections import defaultdict

from koers.domain import grading
from koers.services.permissions import can_see_objective
from koers.services.read.views import Row
from koers.storage.unit_of_work import UnitOfWork

COLOURS = ("red", "yellow", "green")


def ambition(uow: UnitOfWork) -> Row:
    """Closed cycles oldest first; per team (and the organisation, team None) a grade spread per cycle; flags."""
    cycles = sorted((c for c in uow.cycles.list() if c.status == "closed"), key=lambda c: (c.start_date, c.id or 0))
    cycle_ids = {c.id for c in cycles}
    teams = {team.id: team.name for team in uow.teams.list(include_archived=True)}
    objectives = [
        o
        for o in uow.objectives.list_for("cycle_id", cycle_ids, include_archived=False)
        if can_see_objective(uow.actor, o)
    ]
    aspirational = {o.id: o for o in objectives if o.type == "aspirational"}
    kr_scores: dict[tuple[int, int | None], list[float]] = defaultdict(list)
    for kr in uow.key_results.list_for("objective_id", aspirational, include_archived=False):
        owner = aspirational[kr.objective_id]
        kr_scores[(owner.cycle_id, owner.team_id)].append(kr.score)
    spread: dict[tuple[int | None, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLOURS, 0))
    for o in objectives:
        colour = grading.grade_colour(o.grade)
        if colour is not None:
            spread[(o.team_id, o.cycle_id)][colour] += 1
    team_ids = sorted({o.team_id for o in objectives}, key=lambda i: (i is not None, (teams.get(i) or "").lower()))
    rows = []
    for team_id in team_ids:
        row_cycles = []
        for cycle in cycles:
            counts = spread.get((team_id, cycle.id or 0))
            found = kr_scores.get((cycle.id or 0, team_id), [])
            row_cycles.append(
                {
                    "cycle_id": cycle.id,
                    "spread": counts,
                    "easy_team": grading.too_easy_team(found),
                    "reached": sum(1 for s in found if s >= 100.0),
                    "aspirational_key_results": len(found),
                }
            )
        rows.append({"id": team_id, "name": teams.get(team_id), "cycles": row_cycles})
    names = {c.id: c.name for c in cycles}
    flags = [
        {
            "id": o.id,
            "title": o.title,
            "team": teams.get(o.team_id),
            "cycle_id": o.cycle_id,
            "cycle": names.get(o.cycle_id),
            "type": o.type,
            "grade": o.grade,
            "flag": "too_easy" if grading.too_easy_objective(o.type, o.grade) else "missed",
        }
        for o in sorted(objectives, key=lambda o: (o.cycle_id, (teams.get(o.team_id) or "").lower(), o.title.lower()))
        if grading.too_easy_objective(o.type, o.grade) or grading.missed_commitment(o.type, o.grade)
    ]
    return {"cycles": [{"id": c.id, "name": c.name} for c in cycles], "teams": rows, "flags": flags}
