"""KPI board: every KPI with its colour and trend; a KPI's page with its history and linked key results."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain.errors import NotFound
from koers.http.deps import KoersDep
from koers.services.read.kpis import kpi_board, kpi_detail
from koers.services.sources import behind_value
from koers.web.rendering import render
from koers.web.session import Viewer

router = APIRouter(include_in_schema=False)


@router.get("/kpis")
def board(request: Request, koers: KoersDep, viewer: Viewer) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = kpi_board(uow)
    return render(request, "kpis.html", data)


@router.get("/kpis/{kpi_id:int}")
def kpi_page(request: Request, koers: KoersDep, viewer: Viewer, kpi_id: int) -> Response:
    if not 0 < kpi_id < 2**31:
        raise NotFound("kpi.not_found", id=kpi_id)
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = kpi_detail(uow, kpi_id, date.today())
        data["behind"] = behind_value(uow, kpi_id)  # issue 11: the data source behind the current value
    data["readings"] = [(m.at, m.value) for m in data["measurements"]]  # drawn by the template: `kpi_chart`
    return render(request, "kpi.html", data)
