"""The initiative editor: the work that moves an objective or one of its key results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.domain.permissions import can_edit_initiative, can_edit_objective, can_see_objective
from koers.http.deps import KoersDep
from koers.services import objectives as goals
from koers.services.permissions import require, visible_key_result, visible_objective
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import Options, act, edit, form_page, people_options, submit
from koers.web.forms import Entered, Reader, Typed, Writer, filled, record_id, shown
from koers.web.i18n import gettext_ as _
from koers.web.routes.editors.objectives import open_cycles

router = APIRouter(include_in_schema=False)
TEMPLATE = "editors/initiative.html"
FORM = ("title", "status", "owner_id", "due_date", "belongs_to", "version")
# an initiative moves an objective ("o:12") or one of its key results ("k:34"): one select for both
BELONGS = {"objective_id": "belongs_to", "key_result_id": "belongs_to"}


def _changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text("title", "status") | entered.choices("owner_id")
    if "due_date" in entered.values:
        changes["due_date"] = entered.day("due_date")
    if "belongs_to" in entered.values:
        kind, _sep, number = str(entered.values["belongs_to"]).partition(":")
        chosen = record_id(number)
        if kind not in ("o", "k") or chosen is None:
            entered.errors["belongs_to"] = _("Choose one of the options.")
        else:
            changes["objective_id"] = chosen if kind == "o" else None
            changes["key_result_id"] = chosen if kind == "k" else None
    return changes


def _belongs(uow: UnitOfWork, viewer: model.User, current: str) -> tuple[list[tuple[str, Options]], str]:
    """What the initiative may move, and the page the form came from; only what the viewer may see.

    The options are the objectives the viewer may change (in open cycles), each with its key results, plus the
    current choice when the viewer may see it; a choice the viewer may not see is never named, not even after an
    error (its title must not leak through a form posted with someone else's id).
    """
    open_ids = {c.id for c in open_cycles(uow)}
    key_results: dict[int, Options] = {}
    for kr in uow.key_results.list():
        key_results.setdefault(kr.objective_id, []).append((f"k:{kr.id}", kr.title))
    groups, back = [], "/week"
    for objective in uow.objectives.list():
        if not can_see_objective(viewer, objective):
            continue
        options = [(f"o:{objective.id}", _("The objective itself")), *key_results.get(objective.id or 0, [])]
        chosen = current in {value for value, _title in options}
        if chosen:
            back = f"/objectives/{objective.id}"
        if chosen or (objective.cycle_id in open_ids and can_edit_objective(viewer, objective)):
            groups.append((objective.title, options))
    return groups, back


def _context(
    uow: UnitOfWork, viewer: model.User, entered: Entered, initiative: model.Initiative | None = None
) -> dict[str, Any]:
    people = people_options(uow)
    groups, back = _belongs(uow, viewer, str(entered.values.get("belongs_to", "")))
    return {
        "form": entered,
        "initiative": initiative,
        "statuses": list(model.INITIATIVE_STATUSES),
        "people": people,
        "groups": groups,
        "back": back,
    }


def _objective_of(uow: UnitOfWork, initiative: model.Initiative) -> int:
    if initiative.key_result_id is not None:
        return uow.key_results.get(initiative.key_result_id).objective_id
    return initiative.objective_id or 0


def _visible_objective_of(uow: UnitOfWork, initiative: model.Initiative) -> model.Objective:
    if initiative.key_result_id is not None:
        return visible_key_result(uow, initiative.key_result_id)[1]
    return visible_objective(uow, initiative.objective_id or 0)


@router.get("/initiatives/new")
def new_initiative(
    request: Request,
    koers: KoersDep,
    viewer: Reader,
    objective_id: int | None = None,
    key_result_id: int | None = None,
) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        if key_result_id is not None:
            visible_key_result(uow, key_result_id)
        elif objective_id is not None:
            visible_objective(uow, objective_id)
        belongs = f"k:{key_result_id}" if key_result_id is not None else f"o:{objective_id}" if objective_id else ""
        values = {"title": "", "status": "planned", "owner_id": shown(viewer.id), "due_date": ""}
        return _context(uow, viewer, Entered(values | {"belongs_to": belongs}))

    return form_page(request, koers, viewer, TEMPLATE, build)


@router.post("/initiatives/new")
def create_initiative(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, FORM)
    entered.values.setdefault("title", "")  # the one field without a default: missing, the domain names it
    entered.values.setdefault("belongs_to", "")
    changes = _changes(entered)
    return submit(
        koers,
        user,
        entered,
        lambda uow: _objective_of(uow, goals.create_initiative(uow, model.Initiative(**changes))),
        lambda objective_id: f"/objectives/{objective_id}",
        lambda: form_page(request, koers, user, TEMPLATE, lambda uow: _context(uow, user, entered)),
        BELONGS,
    )


@router.get("/initiatives/{initiative_id:int}/edit")
def edit_initiative(request: Request, koers: KoersDep, viewer: Reader, initiative_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        initiative = uow.initiatives.get(initiative_id)
        objective = _visible_objective_of(uow, initiative)
        require(can_edit_initiative(viewer, initiative, objective), "initiative.change_forbidden", id=initiative_id)
        values = filled(initiative, ("title", "status", "owner_id", "due_date", "version"))
        values["belongs_to"] = f"k:{initiative.key_result_id}" if initiative.key_result_id else f"o:{objective.id}"
        return _context(uow, viewer, Entered(values), initiative)

    return form_page(request, koers, viewer, TEMPLATE, build)


@router.post("/initiatives/{initiative_id:int}/edit")
def update_initiative(request: Request, koers: KoersDep, user: Writer, form: Typed, initiative_id: int) -> Response:

    def update(uow: UnitOfWork, record_id: int, changes: dict[str, Any], version: int | None) -> int:
        return _objective_of(uow, goals.update_initiative(uow, record_id, changes, version))

    def again(entered: Entered) -> Response:
        def build(uow: UnitOfWork) -> dict[str, Any]:
            initiative = uow.initiatives.get(initiative_id)
            _visible_objective_of(uow, initiative)
            return _context(uow, user, entered, initiative)

        return form_page(request, koers, user, TEMPLATE, build)

    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        update,
        initiative_id,
        lambda objective_id: f"/objectives/{objective_id}",
        again,
        BELONGS,
    )


@router.post("/initiatives/{initiative_id:int}/archive")
def archive_initiative(request: Request, koers: KoersDep, user: Writer, initiative_id: int) -> Response:
    return act(
        request,
        koers,
        user,
        lambda uow: _objective_of(uow, goals.archive_initiative(uow, initiative_id)),
        lambda objective_id: f"/objectives/{objective_id}",
    )
