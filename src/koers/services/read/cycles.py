"""The cycles page: every cycle with its objectives' number and average, and for closed cycles grades and flags."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from math import fsum

from koers.domain import grading, model
from koers.domain.pace import elapsed
from koers.services.permissions import can_edit_objective, can_see_objective
from koers.services.read.views import Row, as_dict, group_by
from koers.storage.unit_of_work import UnitOfWork


def cycle_overview(uow: UnitOfWork, today: date) -> Row:
    """Every cycle: its objectives' number and average score, the grades and ambition flags (stored for closed cycles,
    what closing now would give for open ones), and for closed cycles where unfinished objectives can be carried."""
    cycles = uow.cycles.list()
    closed = {c.id for c in cycles if c.status == "closed"}
    every_team = uow.teams.list(include_archived=True)
    teams = {team.id: team.name for team in every_team}
    objectives = [o for o in uow.objectives.list() if can_see_objective(uow.actor, o)]
    # Open cycles too: closing shows beforehand the grades and flags it would give (the close flow).
    aspirational = {o.id: o for o in objectives if o.type == "aspirational"}
    carried = {o.carried_from_id: o.id for o in objectives if o.carried_from_id is not None}
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
        # A closed cycle's stored grades; an open cycle's grades as closing it now would give them (a preview).
        view["grades"] = [_graded(o, teams, cycle.id in closed, carried) for o in mine]
        view["easy_teams"] = [
            {"team": teams.get(team_id), "reached": sum(1 for s in found if s >= 100.0), "total": len(found)}
            for (cycle_id, team_id), found in sorted(kr_scores.items(), key=lambda item: str(item[0]))
            if cycle_id == cycle.id and grading.too_easy_team(found)
        ]
        if cycle.id in closed:
            view["next_cycle"] = next_open_cycle(cycles, cycle)
            for row, o in zip(view["grades"], mine, strict=True):
                row["can_carry"] = row["unfinished"] and can_edit_objective(uow.actor, o)
        rows.append(view)
    # the teams a cycle report can be asked for (the cycles page's report form)
    report_teams = sorted(({"id": t.id, "name": t.name} for t in every_team if not t.archived), key=_by_name)
    return {"cycles": rows, "teams": report_teams}


def _by_name(team: Row) -> str:
    return str(team["name"]).lower()


def _graded(
    objective: model.Objective, teams: dict[int | None, str], closed: bool, carried: dict[int, int | None]
) -> Row:
    """One objective's line in the close flow: its grade (stored once closed), colour, flag, and carry-over."""
    computed = objective.grade if closed else grading.grade(objective.score)
    override = objective.grade_override if closed else None  # issue 15: set by hand after the close
    value = grading.final_grade(computed, override)
    return {
        "id": objective.id,
        "title": objective.title,
        "team": teams.get(objective.team_id),
        "type": objective.type,
        "grade": value,
        "computed_grade": computed,
        "overridden": override is not None,
        "grade_note": objective.grade_note if override is not None else "",
        "colour": grading.grade_colour(value),
        "too_easy": grading.too_easy_objective(objective.type, value),
        "unfinished": value is None or value < 1.0,
        "carried_to": carried.get(objective.id or 0),
    }


def next_open_cycle(cycles: list[model.Cycle], cycle: model.Cycle) -> Row | None:
    """Where a closed cycle's unfinished objectives go: the first open cycle starting after it began (the shortest
    of those starting the same day: the next quarter rather than a year), or None."""
    later = [c for c in cycles if c.status != "closed" and c.start_date > cycle.start_date]
    chosen = min(later, key=lambda c: (c.start_date, c.end_date), default=None)
    return None if chosen is None else {"id": chosen.id, "name": chosen.name}


def after_the_cycle(uow: UnitOfWork, objective: model.Objective, cycles: list[model.Cycle]) -> Row:
    """What the objective page shows about an objective's life across cycles: the original it was carried over
    from (when the viewer may see it) and, for a closed cycle's unfinished objective, where it can be carried."""
    original = None
    if objective.carried_from_id is not None:
        found = uow.objectives.find(objective.carried_from_id)
        if found is not None and can_see_objective(uow.actor, found):
            original = {"id": found.id, "title": found.title}
    cycle = next(c for c in cycles if c.id == objective.cycle_id)
    final = grading.final_grade(objective.grade, objective.grade_override)
    unfinished = final is None or final < 1.0
    offer = cycle.status == "closed" and unfinished and can_edit_objective(uow.actor, objective)
    return {"carried_from": original, "carry_to": next_open_cycle(cycles, cycle) if offer else None}


def cycle_order(cycle: model.Cycle) -> tuple[bool, int]:
    """Open cycles first, longest-running first; then closed ones, newest first."""
    closed = cycle.status == "closed"
    return closed, -cycle.start_date.toordinal() if closed else cycle.start_date.toordinal()
