"""The alignment tree: the objectives of a cycle and team, nested under the objectives they align to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from koers.domain import model
from koers.services.permissions import can_see_objective
from koers.services.read.cycles import cycle_order
from koers.services.read.views import Row, group_by, objective_view
from koers.storage.unit_of_work import UnitOfWork


def alignment_tree(uow: UnitOfWork, today: date, cycle_id: int | None = None, team_id: int | None = None) -> Row:
    """Objectives of a cycle (default: the open ones) and team, nested under the objectives they align to.

    The objectives they align under come along from other cycles (a quarter's goal under the year's), marked as
    context; objectives the viewer may not see are left out, and whatever sits under them becomes a root.
    """
    cycles = {c.id: c for c in uow.cycles.list()}
    teams = {team.id: team for team in uow.teams.list(include_archived=True)}
    chosen = [cycle_id] if cycle_id in cycles else [i for i, c in cycles.items() if c.status != "closed"]
    team_ids = _team_and_below(teams.values(), team_id) if team_id in teams else None
    matched = [
        o
        for o in uow.objectives.list_for("cycle_id", chosen, include_archived=False)
        if (team_ids is None or o.team_id in team_ids) and can_see_objective(uow.actor, o)
    ]
    above = {o.id: o for o in uow.objectives.list_for("id", uow.reads.ancestor_ids(chosen, team_ids))}
    shown = {o.id: o for o in matched}
    context: set[int] = set()
    for objective in matched:
        parent = above.get(objective.parent_id)
        while parent is not None and parent.id not in shown:
            if parent.archived or not can_see_objective(uow.actor, parent):
                break
            shown[parent.id] = parent
            context.add(parent.id or 0)
            parent = above.get(parent.parent_id)
    krs = group_by(uow.key_results.list_for("objective_id", shown, include_archived=False), lambda kr: kr.objective_id)
    nodes: dict[int, Row] = {}
    for objective in shown.values():
        cycle = cycles[objective.cycle_id]
        view = objective_view(objective, krs.get(objective.id or 0, []), cycle, today)
        team = teams.get(objective.team_id)
        view.update(team=None if team is None else team.name, cycle=cycle.name, context=objective.id in context)
        view["key_result_count"] = len(krs.get(objective.id or 0, []))
        view["order"] = (objective.level != "strategic", cycle.start_date, view["team"] or "", objective.title.lower())
        nodes[objective.id or 0] = view
    return {
        "roots": _forest(nodes),
        "count": len(matched),
        "cycles": sorted(cycles.values(), key=cycle_order),
        "teams": sorted((team for team in teams.values() if not team.archived), key=lambda team: team.name.lower()),
        "cycle_id": cycle_id if cycle_id in cycles else None,
        "team_id": team_id if team_id in teams else None,
    }


def _team_and_below(teams: Iterable[model.Team], team_id: int | None) -> set[int | None]:
    """A team and every team under it."""
    below: dict[int | None, list[int | None]] = defaultdict(list)
    for team in teams:
        below[team.parent_id].append(team.id)
    found: set[int | None] = set()
    todo = [team_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(below[current])
    return found


def _forest(nodes: dict[int, Row]) -> list[Row]:
    """Nodes under their parents (each node once, even if the data held a loop), roots and children in order."""
    children: dict[int, list[Row]] = defaultdict(list)
    roots: list[Row] = []
    ordered = sorted(nodes.values(), key=lambda node: node["order"])
    for node in ordered:
        (children[node["parent_id"]] if node["parent_id"] in nodes else roots).append(node)
    placed: set[int] = set()

    def place(node: Row) -> None:
        placed.add(node["id"])
        node["children"] = [child for child in children[node["id"]] if child["id"] not in placed]
        for child in node["children"]:
            place(child)

    for node in [*roots, *ordered]:
        if node["id"] not in placed:
            if node not in roots:
                roots.append(node)
            place(node)
    return roots
