"""KPI board: every KPI with its colour and trend; a KPI's page with its history and linked key results."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.domain.errors import NotFound
from koers.http.deps import KoersDep
from koers.services.read.kpis import kpi_board, kpi_detail
from koers.web.charts import Chart, history_chart
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
    data["chart"] = measurement_chart(data["kpi"], data["measurements"])
    return render(request, "kpi.html", data)


def measurement_chart(kpi: dict[str, Any], measurements: list[Any]) -> Chart | None:
    """The shown measurements over their own period, with the target (or the green threshold) as a dashed line."""
    if not measurements:
        return None
    readings = [(m.at, m.value) for m in measurements]
    first, last = min(at for at, _ in readings).date(), max(at for at, _ in readings).date()
    goal = kpi["target"] if kpi["target"] is not None else kpi["green_at"]
    if kpi["direction"] == "in_range":
        goal = None
    return history_chart(readings, first, max(last, first + timedelta(days=1)), goal, goal)
