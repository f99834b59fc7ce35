"""Entering a KPI's value on the web, on its page and on the KPI board: the same parsing and service as the API."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from koers.http.deps import KoersDep
from koers.services.kpis import record_measurement
from koers.services.read.kpis import kpi_board, kpi_detail
from koers.web.flow import see_other
from koers.web.forms import Entered, Typed, Writer
from koers.web.rendering import render

router = APIRouter(include_in_schema=False)
FIELDS = ("value", "at", "note", "from")


def measured_at(day: date | None, zone: tzinfo) -> datetime | None:
    """When a value typed for `day` was measured: now for today or no day, else noon of that day (the
    organisation's time zone); a day ahead is refused by the service."""
    if day is None or day == datetime.now(zone).date():
        return None
    return datetime.combine(day, time(12), tzinfo=zone)


@router.post("/kpis/{kpi_id:int}/measurements")
def record(request: Request, koers: KoersDep, user: Writer, form: Typed, kpi_id: int) -> Response:
    entered = Entered.read(form, FIELDS)
    value = entered.number("value", required=True)
    day = entered.day("at")
    on_board = entered.values.get("from") == "board"

    def save() -> Any:
        assert value is not None
        with koers.uow(actor=user) as uow:
            return record_measurement(
                uow, kpi_id, value, at=measured_at(day, koers.settings.zone), note=entered.values.get("note") or ""
            )

    if entered.attempt(save) is not None:
        return see_other(f"/kpis?saved={kpi_id}#kpi-{kpi_id}" if on_board else f"/kpis/{kpi_id}?saved=1")
    if entered.status in (403, 404):
        error = entered.problem or next(iter(entered.errors.values()), "")
        page = {"title": error, "message": error, "back": "/kpis" if on_board else f"/kpis/{kpi_id}"}
        return render(request, "message.html", page, entered.status)
    with koers.uow(read_only=True, actor=user) as uow:
        data = kpi_board(uow) if on_board else kpi_detail(uow, kpi_id, date.today())
    if not on_board:
        data["readings"] = [(m.at, m.value) for m in data["measurements"]]
    data["entry"] = {"kpi_id": kpi_id, "form": entered}
    return render(request, "kpis.html" if on_board else "kpi.html", data, entered.status or 422)
