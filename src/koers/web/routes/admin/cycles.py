"""Admin: cycles, their dates and status (closing a cycle, which grades it, is on the cycles page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.http.deps import KoersDep
from koers.services import organisation
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import edit, submit
from koers.web.forms import Entered, Reader, Typed, Writer, filled
from koers.web.routes.admin.overview import admin_only, admin_page

router = APIRouter(include_in_schema=False)
FORM = ("name", "start_date", "end_date", "status", "version")
DATES = ("start_date", "end_date")


def _changes(entered: Entered) -> dict[str, Any]:
    changes: dict[str, Any] = entered.text("name", "status")
    for name in DATES:
        if name in entered.values:
            changes[name] = entered.day(name, required=True)
    return changes


def _list_page(request: Request, koers: KoersDep, viewer: model.User, entered: Entered) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        cycles = sorted(uow.cycles.list(), key=lambda c: (c.start_date, c.end_date), reverse=True)
        return {"form": entered, "cycles": cycles}

    return admin_page(request, koers, viewer, "admin/cycles.html", build)


def _page(request: Request, koers: KoersDep, viewer: model.User, cycle_id: int, entered: Entered | None) -> Response:
    """One cycle's page: the stored values, or what was typed (`entered`) after a failed save."""

    def build(uow: UnitOfWork) -> dict[str, Any]:
        cycle = uow.cycles.get(cycle_id)
        return {"form": entered or Entered(filled(cycle, FORM)), "cycle": cycle}

    return admin_page(request, koers, viewer, "admin/cycle.html", build, "/admin/cycles")


@router.get("/admin/cycles")
def cycles(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    values = {"name": "", "start_date": "", "end_date": "", "status": "planning"}
    return _list_page(request, koers, viewer, Entered(values))


@router.post("/admin/cycles")
def add_cycle(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, FORM)
    for name in DATES:
        entered.values.setdefault(name, "")
    changes = _changes(entered)

    def change(uow: UnitOfWork) -> model.Cycle:
        return organisation.create_cycle(uow, **{"name": "", "status": "active"} | changes)

    return submit(
        koers,
        user,
        entered,
        admin_only("admin_only.create_cycles", change),
        lambda cycle: f"/admin/cycles?added={cycle.id}",  # the list says which cycle was added
        lambda: _list_page(request, koers, user, entered),
    )


@router.get("/admin/cycles/{cycle_id:int}")
def cycle(request: Request, koers: KoersDep, viewer: Reader, cycle_id: int) -> Response:
    return _page(request, koers, viewer, cycle_id, None)


@router.post("/admin/cycles/{cycle_id:int}")
def update_cycle(request: Request, koers: KoersDep, user: Writer, form: Typed, cycle_id: int) -> Response:
    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        admin_only("admin_only.change_cycles", organisation.update_cycle),
        cycle_id,
        lambda cycle: "/admin/cycles",
        lambda entered: _page(request, koers, user, cycle_id, entered),
    )
