"""The KPI editor: create, change and archive a KPI with its thresholds."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain import model
from koers.domain.permissions import can_edit_kpi
from koers.http.deps import KoersDep
from koers.services import kpis as kpi_service
from koers.services.permissions import require
from koers.storage.unit_of_work import UnitOfWork
from koers.web.flow import act, edit, form_page, people_options, submit, team_options
from koers.web.forms import Entered, Reader, Typed, Writer, filled, shown

router = APIRouter(include_in_schema=False)
TEMPLATE = "editors/kpi.html"
TEXTS = ("name", "description", "unit", "direction")
NUMBERS = ("target", "target_low", "target_high", "green_at", "red_at")
CHOICES = ("team_id", "owner_id")
FORM = (*TEXTS, *NUMBERS, *CHOICES, "version")


def _changes(entered: Entered) -> dict[str, Any]:
    return entered.text(*TEXTS) | entered.numbers(*NUMBERS) | entered.choices(*CHOICES)


def _context(uow: UnitOfWork, entered: Entered, kpi: model.Kpi | None = None) -> dict[str, Any]:
    return {
        "form": entered,
        "kpi": kpi,
        "directions": list(model.KPI_DIRECTIONS),
        "teams": team_options(uow),
        "people": people_options(uow),
    }


@router.get("/kpis/new")
def new_kpi(request: Request, koers: KoersDep, viewer: Reader) -> Response:
    team = viewer.team_ids[0] if viewer.team_ids else None
    values = {"name": "", "description": "", "unit": "", "direction": "higher_is_better"}
    values |= {"team_id": shown(team), "owner_id": shown(viewer.id)}
    return form_page(request, koers, viewer, TEMPLATE, lambda uow: _context(uow, Entered(values)))


@router.post("/kpis/new")
def create_kpi(request: Request, koers: KoersDep, user: Writer, form: Typed) -> Response:
    entered = Entered.read(form, FORM, new=True)
    changes = _changes(entered)
    return submit(
        koers,
        user,
        entered,
        lambda uow: kpi_service.create_kpi(uow, model.Kpi(**changes)),
        lambda kpi: f"/kpis/{kpi.id}",
        lambda: form_page(request, koers, user, TEMPLATE, lambda uow: _context(uow, entered)),
    )


@router.get("/kpis/{kpi_id:int}/edit")
def edit_kpi(request: Request, koers: KoersDep, viewer: Reader, kpi_id: int) -> Response:
    def build(uow: UnitOfWork) -> dict[str, Any]:
        kpi = uow.kpis.get(kpi_id)
        require(can_edit_kpi(viewer, kpi), "kpi.change_forbidden", id=kpi_id)
        return _context(uow, Entered(filled(kpi, FORM)), kpi)

    return form_page(request, koers, viewer, TEMPLATE, build, "/kpis")


@router.post("/kpis/{kpi_id:int}/edit")
def update_kpi(request: Request, koers: KoersDep, user: Writer, form: Typed, kpi_id: int) -> Response:
    return edit(
        koers,
        user,
        form,
        FORM,
        _changes,
        kpi_service.update_kpi,
        kpi_id,
        lambda kpi: f"/kpis/{kpi_id}",
        lambda entered: form_page(
            request, koers, user, TEMPLATE, lambda uow: _context(uow, entered, uow.kpis.get(kpi_id)), "/kpis"
        ),
    )


@router.post("/kpis/{kpi_id:int}/archive")
def archive_kpi(request: Request, koers: KoersDep, user: Writer, kpi_id: int) -> Response:
    return act(request, koers, user, lambda uow: kpi_service.archive_kpi(uow, kpi_id), "/kpis", "/kpis")
