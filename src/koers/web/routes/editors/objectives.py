"""The objective editor: create, change and archive an objective, aligned under one its author may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from koers.domain import model
from koers.domain.permissions import can_edit_objective, can_see_objective
from koers.http.deps import KoersDep
from koers.services import objectives as goals
from koers.services.permissions import require, visible_objective
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import Options, act, edit, form_page, people_options, submit, team_options
from koers.web.forms import Entered, Reader, Typed, Writer, filled, shown
from koers.web.routes.editors.coach import coach

router = APIRouter(include_in_schema=False)
TEMPLATE = "editors/objective.html"
TEXTS = ("title", "description", "level", "type", "visibility")
CHOICES = ("team_id", "owner_id", "parent_id")
FORM = (*TEXTS, "cycle_id", *CHOICES, "version")


def _changes(entered: Entered) -> dict[str, Any]:
    return entered.text(*TEXTS) | entered.choices(*CHOICES)


def open_cycles(uow: UnitOfWork) -> list[model.Cycle]:
    """The cycles that still take new objectives and changes."""
    return [c for c in uow.cycles.list() if c.status != "closed"]


def _default_cycle(cycles: list[model.Cycle]) -> model.Cycle | None:
    """The shortest active cycle around today (the quarter rather than the year)."""
    today = date.today()
    around = [c for c in cycles if c.status == "active" and c.start_date <= today <= c.end_date]
    return min(around or cycles, key=lambda c: c.end_date - c.start_date, default=None)


def _parent_groups(uow: UnitOfWork, viewer: model.User, own_id: int | None, current: str) -> list[tuple[str, Options]]:
    """Objectives the viewer may see to align under, grouped by cycle (open cycles, and the current parent)."""
    by_cycle: dict[int, Options] = {}
    for o in uow.objectives.list():
        if o.id != own_id and can_see_objective(viewer, o):
            by_cycle.setdefault(o.cycle_id, []).append((str(o.id), o.title))
    groups = []
    for cycle in sorted(uow.cycles.list(), key=lambda c: (c.start_date, c.end_date)):
        options = [
            (value, title)
            for value, title in by_cycle.get(cycle.id or 0, [])
            if cycle.status != "closed" or value == current
        ]
        if options:
            groups.append((cycle.name, options))
    return groups


def _context(
    uow: UnitOfWork, viewer: model.User, entered: Entered, objective: model.Objective | None = None
) -> dict[str, Any]:
    cycles = open_cycles(uow)
    own_id = objective.id if objective else None
    return {
        "form": entered,
        "objective": objective,
        "cycle": uow.cycles.get(objective.cycle_id) if objective else None,
        "cycles": [(str(c.id), c.name) for c in cycles],
        "teams": team_options(uow),
        "people": people_options(uow),
        "parents": _parent_groups(uow, viewer, own_id, str(entered.values.get("parent_id", ""))),
        "coach": coach(entered.values.get("title"), "objective"),
    }


def _next(form: FormData, objective_id: int | None) -> str:
    """The objective's page, or straight on to its first key result when the author asked for that."""
    if form.get("then") == "key_result":
        return f"/objectives/{objective_id}/key-results/new?saved=0"  # the next form confirms this one was saved
    return f"/objectives/{objective_id}"


def editable_objective(uow: UnitOfWork, viewer: model.User, objective_id: int) -> model.Objective:
    """An objective the viewer may see and change (NotFound or PermissionDenied otherwise)."""
    objective = visible_objective(uow, objective_id)
    require(can_edit_objective(viewer, objective), "objective.change_forbidden", id=objective_id)
    return objective


@router.get("/objectives/new")
def new_objective(
    request: Request,
    koers: KoersDep,
    viewer: Reader,
    parent_id: int | None = None,
    team_id: int | None = None,
    cycle_id: int | None = None,
) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        cycle = _default_cycle(open_cycles(uow))
        team = team_id if team_id is not None else (viewer.team_ids[0] if viewer.team_ids else None)
        values = {"level": "tactical", "type": "committed", "visibility": "public", "title": "", "description": ""}
        values |= {"cycle_id": shown(cycle_id or (cycle.id if cycle else None)), "team_id": shown(team)}
        values |= {"owner_id": shown(viewer.id), "parent_id": shown(parent_id)}
        return _context(uow, viewer, Entered(values))

    return form_page(request, koers, viewer, TEMPLATE, build)


@router.post("/objectives/new")
def create_objective(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, FORM)
    entered.values.setdefault("title", "")  # the one field without a default: missing, the domain names it
    cycle_id = entered.ident("cycle_id", required=True)
    changes = _changes(entered)
    return submit(
        koers,
        user,
        entered,
        lambda uow: goals.create_objective(uow, model.Objective(cycle_id=cycle_id or 0, **changes)),
        lambda objective: _next(form, objective.id),
        lambda: form_page(request, koers, user, TEMPLATE, lambda uow: _context(uow, user, entered)),
    )


@router.get("/objectives/{objective_id:int}/edit")
def edit_objective(request: Request, koers: KoersDep, viewer: Reader, objective_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        objective = editable_objective(uow, viewer, objective_id)
        return _context(uow, viewer, Entered(filled(objective, FORM)), objective)

    return form_page(request, koers, viewer, TEMPLATE, build, f"/objectives/{objective_id}")


@router.post("/objectives/{objective_id:int}/edit")
def update_objective(request: Request, koers: KoersDep, user: Writer, form: Typed, objective_id: int) -> Response:

    def again(entered: Entered) -> Response:
        return form_page(
            request,
            koers,
            user,
            TEMPLATE,
            lambda uow: _context(uow, user, entered, visible_objective(uow, objective_id)),
        )

    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        goals.update_objective,
        objective_id,
        lambda objective: _next(form, objective_id),
        again,
    )


@router.post("/objectives/{objective_id:int}/archive")
def archive_objective(request: Request, koers: KoersDep, user: Writer, objective_id: int) -> Response:
    return act(
        request,
        koers,
        user,
        lambda uow: goals.archive_objective(uow, objective_id),
        "/organisation",
        f"/objectives/{objective_id}",
    )
