"""Read models of the pages: the alignment tree, one objective in full, the KPI board and the cycles.

Each reads with a fixed number of queries whatever the size of the data: rows come set-wise
(`list_for`, or the set-based queries at the end of this module), never with a query per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from math import fsum
from typing import Any

from sqlalchemy import func, select

from koers.domain import grading, model
from koers.domain.explanation import objective_formula
from koers.domain.pace import elapsed, expected_score
from koers.domain.scoring import MAINTAIN_KINDS
from koers.services.explain import score_formula, used_reading
from koers.services.permissions import can_edit_key_result, can_edit_objective, can_see_objective, visible_objective
from koers.services.scores import cycle_window, measurement_cutoff
from koers.services.views import as_dict, key_result_view, kpi_view, objective_view
from koers.storage import tables as t
from koers.storage.unit_of_work import UnitOfWork

SPARK_POINTS = 12  # measurements in a KPI's sparkline
TIMELINE = 50  # check-ins shown on an objective's timeline
KPI_HISTORY = 104  # measurements on a KPI's page (two years of weekly values)

Row = dict[str, Any]


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
    above = {o.id: o for o in uow.objectives.list_for("id", _ancestor_ids(uow, chosen, team_ids))}
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
    krs = _group(uow.key_results.list_for("objective_id", shown, include_archived=False), lambda kr: kr.objective_id)
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
        "cycles": sorted(cycles.values(), key=_cycle_order),
        "teams": sorted((team for team in teams.values() if not team.archived), key=lambda team: team.name.lower()),
        "cycle_id": cycle_id if cycle_id in cycles else None,
        "team_id": team_id if team_id in teams else None,
    }


def objective_detail(uow: UnitOfWork, objective_id: int, today: date) -> Row:
    """Everything the objective page shows; NotFound when the viewer may not see the objective."""
    objective = visible_objective(uow, objective_id)
    children = uow.objectives.list(parent_id=objective_id)
    cycles = {c.id: c for c in uow.cycles.list()}
    cycle = cycles[objective.cycle_id]
    ids = [objective_id, *(c.id for c in children)]
    krs_of = _group(uow.key_results.list_for("objective_id", ids, include_archived=False), lambda kr: kr.objective_id)
    krs = krs_of.get(objective_id, [])
    kr_ids = [kr.id for kr in krs]
    check_ins = _group(uow.check_ins.list_for("key_result_id", kr_ids), lambda c: c.key_result_id)
    kpis = {k.id: k for k in uow.kpis.list_for("id", [kr.kpi_id for kr in krs])}
    start, end = cycle_window(cycle)
    cutoff = measurement_cutoff(cycle)
    measured = _group(_measurements_between(uow, kpis, start, min(end, cutoff) if cutoff else end), lambda m: m.kpi_id)
    latest = _latest_measurements(uow, kpis, cutoff)
    initiatives = uow.initiatives.list_for("objective_id", [objective_id], include_archived=False)
    initiatives += uow.initiatives.list_for("key_result_id", kr_ids, include_archived=False)
    parent = next(iter(uow.objectives.list_for("id", [objective.parent_id], include_archived=False)), None)
    teams = {
        team.id: team.name
        for team in uow.teams.list_for("id", [objective.team_id, *(k.team_id for k in kpis.values())])
    }
    people_ids = [objective.owner_id, *(kr.owner_id for kr in krs), *(i.owner_id for i in initiatives)]
    people_ids += [c.author_id for found in check_ins.values() for c in found]
    people = {user.id: user.name or user.email for user in uow.users.list_for("id", people_ids)}

    titles, units = {kr.id: kr.title for kr in krs}, {kr.id: kr.unit for kr in krs}
    key_results = []
    for kr in krs:
        mine = sorted(check_ins.get(kr.id or 0, []), key=lambda c: (c.created_at, c.id or 0))
        from_kpi = measured.get(kr.kpi_id or 0, [])
        view = key_result_view(kr, objective, cycle, today)
        view.update(current_at=kr.current_at, owner=people.get(kr.owner_id), kpi=_name_of(kpis.get(kr.kpi_id)))
        view["readings"] = sorted([(c.created_at, c.value) for c in mine] + [(m.at, m.value) for m in from_kpi])
        values = [c.value for c in mine] + [m.value for m in from_kpi] if kr.kind in MAINTAIN_KINDS else []
        view["explanation"] = _explain_key_result(kr, mine[-1] if mine else None, latest.get(kr.kpi_id or 0), values)
        view["can_edit"] = can_edit_key_result(uow.actor, kr, objective)
        key_results.append(view)

    timeline = sorted((c for found in check_ins.values() for c in found), key=lambda c: (c.created_at, c.id or 0))
    timeline.reverse()
    share = elapsed(today, cycle.start_date, cycle.end_date)
    expected = expected_score(share, objective.type)
    view = objective_view(objective, krs, cycle, today)
    view.update(team=teams.get(objective.team_id), owner=people.get(objective.owner_id), cycle=as_dict(cycle))
    return {
        "objective": view,
        "parent": None if parent is None or not can_see_objective(uow.actor, parent) else _name_of(parent),
        "aligned": [
            objective_view(c, krs_of.get(c.id, []), cycles[c.cycle_id], today)
            for c in children
            if can_see_objective(uow.actor, c)
        ],
        "key_results": key_results,
        "initiatives": [
            {**as_dict(i), "owner": people.get(i.owner_id), "key_result": titles.get(i.key_result_id)}
            for i in initiatives
        ],
        "kpis": [{**kpi_view(k), "team": teams.get(k.team_id)} for k in kpis.values()],
        "timeline": [
            {
                **as_dict(c),
                "key_result": titles[c.key_result_id],
                "unit": units[c.key_result_id],
                "author": people.get(c.author_id),
            }
            for c in timeline[:TIMELINE]
        ],
        "timeline_total": len(timeline),
        "formula": objective_formula(
            [(kr.title, kr.score, kr.weight) for kr in krs], [(c.title, c.score) for c in children]
        ),
        "pace": {
            "elapsed": share,
            "expected": expected,
            "on_track_from": 0.9 * expected,
            "at_risk_from": 0.6 * expected,
        },
        "can_edit": can_edit_objective(uow.actor, objective),
    }


def kpi_board(uow: UnitOfWork) -> Row:
    """Every KPI that is not archived, with its status colour, team and recent values for a sparkline."""
    kpis = uow.kpis.list()
    teams = {team.id: team.name for team in uow.teams.list(include_archived=True)}
    recent = _recent_measurements(uow, [k.id for k in kpis], SPARK_POINTS)
    rows = []
    for kpi in kpis:
        view = kpi_view(kpi)
        view.update(team=teams.get(kpi.team_id), current_at=kpi.current_at)
        view["recent"] = [m.value for m in reversed(recent.get(kpi.id or 0, []))]
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
            view.update(objective=_name_of(objective), cycle=cycles[objective.cycle_id].name)
            key_results.append(view)
    view = kpi_view(kpi)
    view.update(team=teams.get(kpi.team_id), owner=None if owner is None else owner.name or owner.email)
    view["current_at"] = kpi.current_at
    return {
        "kpi": view,
        "measurements": history[:KPI_HISTORY],
        "more": len(history) > KPI_HISTORY,
        "key_results": key_results,
    }


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
    by_cycle = _group(objectives, lambda o: o.cycle_id)
    rows = []
    for cycle in sorted(cycles, key=_cycle_order):
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


def _cycle_order(cycle: model.Cycle) -> tuple[bool, int]:
    """Open cycles first, longest-running first; then closed ones, newest first."""
    closed = cycle.status == "closed"
    return closed, -cycle.start_date.toordinal() if closed else cycle.start_date.toordinal()


def _name_of(entity: model.Objective | model.Kpi | None) -> Row | None:
    if entity is None:
        return None
    return {"id": entity.id, "title": getattr(entity, "title", None) or getattr(entity, "name", "")}


def _explain_key_result(
    kr: model.KeyResult, check_in: model.CheckIn | None, measurement: model.Measurement | None, values: list[float]
) -> Row:
    """Which value the score used and the formula with its numbers (`koers explain`'s functions, set-wise)."""
    used = used_reading(check_in, measurement)
    return {
        "value_used": None if used is None else {"value": used.value, "source": used.source, "at": used.at},
        "formula": score_formula(kr, used, values),
        "cycle_values": len(values),
    }


def _group(items: Iterable[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped


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


# Set-based reads the repositories do not offer (one query each, whatever the number of objectives or KPIs).


def _ancestor_ids(uow: UnitOfWork, cycle_ids: Collection[int | None], team_ids: set[int | None] | None) -> list[int]:
    """Ids of every objective above the (team's) objectives of these cycles, through any cycle."""
    o = t.objectives.c
    start = select(o.parent_id.label("id")).where(
        o.cycle_id.in_(list(cycle_ids)), o.archived.is_(False), o.parent_id.is_not(None)
    )
    if team_ids is not None:
        start = start.where(o.team_id.in_([i for i in team_ids if i is not None]))
    chain = start.cte("chain", recursive=True)
    chain = chain.union(select(o.parent_id).where(o.id == chain.c.id, o.parent_id.is_not(None)))
    return list(uow.connection.execute(select(chain.c.id)).scalars())


def _measurement(row: Any) -> model.Measurement:
    return model.Measurement(row.kpi_id, row.value, _utc(row.at), row.source, row.note, row.id)


def _utc(value: Any) -> datetime:
    # Columns read through a subquery may come back without the UTC type's processing.
    return t.UTCDateTime().process_result_value(value, None)  # type: ignore[arg-type,return-value]


def _measurements_between(
    uow: UnitOfWork, kpi_ids: Collection[int | None], start: datetime, end: datetime
) -> list[model.Measurement]:
    """Measurements of these KPIs in [start, end), oldest first."""
    m = t.measurements.c
    query = (
        select(t.measurements)
        .where(m.kpi_id.in_([i for i in kpi_ids if i is not None]), m.at >= start, m.at < end)
        .order_by(m.at, m.id)
    )
    return [_measurement(row) for row in uow.connection.execute(query)]


def _ranked_measurements(kpi_ids: Collection[int | None], until: datetime | None) -> Any:
    m = t.measurements.c
    newest_first = func.row_number().over(partition_by=m.kpi_id, order_by=(m.at.desc(), m.id.desc()))
    query = select(t.measurements, newest_first.label("rank")).where(
        m.kpi_id.in_([i for i in kpi_ids if i is not None])
    )
    if until is not None:
        query = query.where(m.at <= until)
    return query.subquery()


def _latest_measurements(
    uow: UnitOfWork, kpi_ids: Collection[int | None], until: datetime | None
) -> dict[int, model.Measurement]:
    """Per KPI: its newest measurement (not after `until`)."""
    ranked = _ranked_measurements(kpi_ids, until)
    rows = uow.connection.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.kpi_id: _measurement(row) for row in rows}


def _recent_measurements(
    uow: UnitOfWork, kpi_ids: Collection[int | None], per_kpi: int
) -> dict[int, list[model.Measurement]]:
    """Per KPI: its newest `per_kpi` measurements, newest first."""
    ranked = _ranked_measurements(kpi_ids, None)
    query = select(ranked).where(ranked.c.rank <= per_kpi).order_by(ranked.c.kpi_id, ranked.c.rank)
    return _group((_measurement(row) for row in uow.connection.execute(query)), lambda m: m.kpi_id)
