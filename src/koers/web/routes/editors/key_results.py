"""The key result editor: add key results to an objective, change and archive them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from koers.domain import model
from koers.domain.permissions import can_edit_key_result
from koers.http.deps import KoersDep
from koers.services import objectives as goals
from koers.services.permissions import require, visible_key_result, visible_objective
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import act, edit, form_page, people_options, submit
from koers.web.forms import Entered, Reader, Typed, Writer, filled, shown
from koers.web.routes.editors.coach import coach
from koers.web.routes.editors.objectives import editable_objective

router = APIRouter(include_in_schema=False)
TEMPLATE = "editors/key_result.html"
TEXTS = ("title", "kind", "unit")
NUMBERS = ("baseline", "target", "target_low", "target_high")
CHOICES = ("owner_id", "kpi_id")
FORM = (*TEXTS, *NUMBERS, "weight", *CHOICES, "version")


def _changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text(*TEXTS)
    changes |= entered.numbers(*NUMBERS)
    if "weight" in entered.values:
        changes["weight"] = entered.number("weight", required=True)
    return changes | entered.choices(*CHOICES)


def _context(
    uow: UnitOfWork, entered: Entered, objective: model.Objective, kr: model.KeyResult | None = None
) -> dict[str, Any]:
    return {
        "form": entered,
        "objective": objective,
        "kr": kr,
        "kinds": list(model.KR_KINDS),
        "people": people_options(uow),
        "kpis": [(str(k.id), k.name) for k in uow.kpis.list()],
        "coach": coach(entered.values.get("title"), "key_result"),
    }


def _next(form: FormData, objective_id: int) -> str:
    """The objective's page, or another new key result when the author asked for that."""
    if form.get("then") == "another":
        return f"/objectives/{objective_id}/key-results/new"
    return f"/objectives/{objective_id}"


@router.get("/objectives/{objective_id:int}/key-results/new")
def new_key_result(request: Request, koers: KoersDep, viewer: Reader, objective_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        objective = editable_objective(uow, viewer, objective_id)
        values = {"title": "", "kind": "increase", "unit": "", "weight": shown(1), "owner_id": shown(viewer.id)}
        return _context(uow, Entered(values), objective)

    return form_page(request, koers, viewer, TEMPLATE, build, f"/objectives/{objective_id}")


@router.post("/objectives/{objective_id:int}/key-results/new")
def create_key_result(request: Request, koers: KoersDep, user: Writer, form: Typed, objective_id: int) -> Response:
    entered = Entered.read(form, FORM, new=True)
    changes = _changes(entered)
    return submit(
        koers,
        user,
        entered,
        lambda uow: goals.create_key_result(uow, model.KeyResult(objective_id=objective_id, **changes)),
        lambda kr: _next(form, objective_id),
        lambda: form_page(
            request, koers, user, TEMPLATE, lambda uow: _context(uow, entered, visible_objective(uow, objective_id))
        ),
    )


def _editable_key_result(uow: UnitOfWork, viewer: model.User, kr_id: int) -> tuple[model.KeyResult, model.Objective]:
    kr, objective = visible_key_result(uow, kr_id)
    require(can_edit_key_result(viewer, kr, objective), "key_result.change_forbidden", id=kr_id)
    return kr, objective


@router.get("/key-results/{kr_id:int}/edit")
def edit_key_result(request: Request, koers: KoersDep, viewer: Reader, kr_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        kr, objective = _editable_key_result(uow, viewer, kr_id)
        return _context(uow, Entered(filled(kr, FORM)), objective, kr)

    return form_page(request, koers, viewer, TEMPLATE, build)


@router.post("/key-results/{kr_id:int}/edit")
def update_key_result(request: Request, koers: KoersDep, user: Writer, form: Typed, kr_id: int) -> Response:

    def again(entered: Entered) -> Response:
        def build(uow: UnitOfWork) -> dict[str, Any]:
            stored, objective = visible_key_result(uow, kr_id)
            return _context(uow, entered, objective, stored)

        return form_page(request, koers, user, TEMPLATE, build)

    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        goals.update_key_result,
        kr_id,
        lambda kr: f"/objectives/{kr.objective_id}",
        again,
    )


@router.post("/key-results/{kr_id:int}/archive")
def archive_key_result(request: Request, koers: KoersDep, user: Writer, kr_id: int) -> Response:
    return act(
        request,
        koers,
        user,
        lambda uow: goals.archive_key_result(uow, kr_id),
        lambda kr: f"/objectives/{kr.objective_id}",
    )
