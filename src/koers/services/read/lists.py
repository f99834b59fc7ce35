"""Flat lists of teams, cycles, objectives, key results, KPIs and initiatives, as the actor may see them (`koers list`).

Each row carries the ids and, beside them, the names people read (team, owner, cycle, objective), so a list reads
on its own and a spreadsheet made from it needs no look-ups. Objectives, key results and initiatives follow the
objectives' visibility (`domain.permissions.can_see_objective`); teams, cycles and KPIs are visible to everyone.
Archived records are left out.
"""

from __future__ import annotations

from typing import Any

from koers.domain import model
from koers.domain.permissions import can_see_objective
from koers.storage.unit_of_work import UnitOfWork

Row = dict[str, Any]
NOUNS = ("teams", "cycles", "objectives", "key-results", "kpis", "initiatives")

COLUMNS: dict[str, tuple[str, ...]] = {
    "teams": ("id", "name", "parent_id", "parent", "lead_id", "lead"),
    "cycles": ("id", "name", "start_date", "end_date", "status"),
    "objectives": (
        "id", "title", "cycle_id", "cycle", "team_id", "team", "owner_id", "owner", "level", "type", "visibility",
        "score",
    ),
    "key-results": (
        "id", "title", "objective_id", "objective", "cycle_id", "cycle", "team_id", "team", "owner_id", "owner",
        "kind", "unit", "baseline", "target", "target_low", "target_high", "current", "score", "confidence",
    ),
    "kpis": ("id", "name", "team_id", "team", "owner_id", "owner", "unit", "direction", "target", "current"),
    "initiatives": (
        "id", "title", "objective_id", "key_result_id", "cycle_id", "cycle", "team_id", "team", "owner_id", "owner",
        "status", "due_date",
    ),
}  # fmt: skip


def records(uow: UnitOfWork, noun: str, team_id: int | None = None, cycle_id: int | None = None) -> list[Row]:
    """The rows of one list (a noun of NOUNS), filtered by team and cycle where the records have them."""
    names = _Names(uow)
    if noun == "teams":
        return [_team(names, team) for team in _teams(uow, team_id)]
    if noun == "cycles":
        return [
            {"id": c.id, "name": c.name, "start_date": c.start_date, "end_date": c.end_date, "status": c.status}
            for c in uow.cycles.list()
            if cycle_id is None or c.id == cycle_id
        ]
    if noun == "kpis":
        return [_kpi(names, k) for k in uow.kpis.list() if team_id is None or k.team_id == team_id]
    objectives = _objectives(uow, team_id, cycle_id)
    if noun == "objectives":
        return [_objective(names, o) for o in objectives]
    by_id = {o.id: o for o in objectives}
    key_results = uow.key_results.list_for("objective_id", list(by_id), include_archived=False) if by_id else []
    if noun == "key-results":
        return [_key_result(names, kr, by_id[kr.objective_id]) for kr in key_results]
    if noun == "initiatives":
        kr_objective = {kr.id: by_id[kr.objective_id] for kr in key_results}
        found: dict[Any, model.Initiative] = {}
        if by_id:
            for i in uow.initiatives.list_for("objective_id", list(by_id), include_archived=False):
                found[i.id] = i
        if kr_objective:
            for i in uow.initiatives.list_for("key_result_id", list(kr_objective), include_archived=False):
                found[i.id] = i
        rows = []
        for initiative in sorted(found.values(), key=lambda i: i.id or 0):
            objective = by_id.get(initiative.objective_id) or kr_objective[initiative.key_result_id]
            rows.append(_initiative(names, initiative, objective))
        return rows
    raise ValueError(f"unknown list {noun!r}")


class _Names:
    """Names of teams, people and cycles by id, read once per list."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.teams = {t.id: t.name for t in uow.teams.list(include_archived=True)}
        self.people = {u.id: (u.name or u.email) for u in uow.users.list()}
        self.cycles = {c.id: c.name for c in uow.cycles.list()}

    def team(self, team_id: int | None) -> str | None:
        return None if team_id is None else self.teams.get(team_id)

    def person(self, user_id: int | None) -> str | None:
        return None if user_id is None else self.people.get(user_id)

    def cycle(self, cycle_id: int | None) -> str | None:
        return None if cycle_id is None else self.cycles.get(cycle_id)


def _teams(uow: UnitOfWork, team_id: int | None) -> list[model.Team]:
    """Every team, or one team and the teams under it."""
    teams = uow.teams.list()
    if team_id is None:
        return teams
    wanted, grew = {team_id}, True
    while grew:
        more = {t.id for t in teams if t.parent_id in wanted and t.id is not None} - wanted
        wanted |= more
        grew = bool(more)
    return [t for t in teams if t.id in wanted]


def _objectives(uow: UnitOfWork, team_id: int | None, cycle_id: int | None) -> list[model.Objective]:
    objectives = uow.objectives.list(team_id=team_id, cycle_id=cycle_id)  # a None filter is no filter
    return [o for o in objectives if can_see_objective(uow.actor, o)]


def _team(names: _Names, team: model.Team) -> Row:
    return {
        "id": team.id, "name": team.name, "parent_id": team.parent_id, "parent": names.team(team.parent_id),
        "lead_id": team.lead_id, "lead": names.person(team.lead_id),
    }  # fmt: skip


def _objective(names: _Names, o: model.Objective) -> Row:
    return {
        "id": o.id, "title": o.title, "cycle_id": o.cycle_id, "cycle": names.cycle(o.cycle_id), "team_id": o.team_id,
        "team": names.team(o.team_id), "owner_id": o.owner_id, "owner": names.person(o.owner_id), "level": o.level,
        "type": o.type, "visibility": o.visibility, "score": o.score,
    }  # fmt: skip


def _key_result(names: _Names, kr: model.KeyResult, o: model.Objective) -> Row:
    return {
        "id": kr.id, "title": kr.title, "objective_id": o.id, "objective": o.title, "cycle_id": o.cycle_id,
        "cycle": names.cycle(o.cycle_id), "team_id": o.team_id, "team": names.team(o.team_id),
        "owner_id": kr.owner_id, "owner": names.person(kr.owner_id), "kind": kr.kind, "unit": kr.unit,
        "baseline": kr.baseline, "target": kr.target, "target_low": kr.target_low, "target_high": kr.target_high,
        "current": kr.current, "score": kr.score, "confidence": kr.confidence,
    }  # fmt: skip


def _initiative(names: _Names, i: model.Initiative, o: model.Objective) -> Row:
    return {
        "id": i.id, "title": i.title, "objective_id": i.objective_id, "key_result_id": i.key_result_id,
        "cycle_id": o.cycle_id, "cycle": names.cycle(o.cycle_id), "team_id": o.team_id, "team": names.team(o.team_id),
        "owner_id": i.owner_id, "owner": names.person(i.owner_id), "status": i.status, "due_date": i.due_date,
    }  # fmt: skip


def _kpi(names: _Names, k: model.Kpi) -> Row:
    return {
        "id": k.id, "name": k.name, "team_id": k.team_id, "team": names.team(k.team_id), "owner_id": k.owner_id,
        "owner": names.person(k.owner_id), "unit": k.unit, "direction": k.direction, "target": k.target,
        "current": k.current,
    }  # fmt: skip
