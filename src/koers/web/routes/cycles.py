"""Cycles: each cycle's objectives and scores, grades of closed cycles, and closing a cycle (admins)."""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated

from babel.numbers import format_decimal
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from koers.domain.errors import KoersError, NotFound
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services.cycle_close import close_preview
from koers.services.organisation import close_cycle
from koers.services.read.cycles import cycle_overview
from koers.web import i18n
from koers.web.forms import Reader, Typed
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.routes.organisation import chosen_id
from koers.web.session import Changer, Viewer
from koers.wording import localise

router = APIRouter(include_in_schema=False)


def grade(value: float | None) -> str:
    """A grade as 0.0–1.0 in the locale's format (0,7 in Dutch), one or two decimals."""
    if value is None or not math.isfinite(value) or abs(value) > i18n.HUGE:  # old data: never fail the page
        return i18n.number(value)
    return format_decimal(value, format="0.0#", locale=i18n.current_locale.get())


@router.get("/cycles")
def cycles(
    request: Request, koers: KoersDep, viewer: Viewer, closed: Annotated[str, Query(max_length=12)] = ""
) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = cycle_overview(uow, date.today())
    just_closed = chosen_id(closed)
    data["just_closed"] = next((c for c in data["cycles"] if c["id"] == just_closed and c["status"] == "closed"), None)
    return render(request, "cycles.html", {**data, "grade": grade})


def _not_closed(request: Request, error: KoersError) -> Response:
    page = {"title": _("Cycle not closed"), "message": localise(error), "back": "/cycles"}
    return render(request, "message.html", page, status_of(error))


@router.get("/cycles/{cycle_id:int}/close")
def confirm_close(request: Request, koers: KoersDep, viewer: Reader, cycle_id: int) -> Response:
    """The confirmation step (issue 15): days left, key results without a recent check-in, the grades it would give;
    a plain form, so it works without JavaScript. A `planning` cycle gets the reason instead of the button."""
    try:
        if not 0 < cycle_id < 2**31:
            raise NotFound("cycle.not_found", id=cycle_id)
        with koers.uow(read_only=True, actor=viewer) as uow:
            preview = close_preview(uow, cycle_id)
    except KoersError as error:
        return _not_closed(request, error)
    refusal = preview["refusal"]
    context = {**preview, "refusal": None if refusal is None else localise(refusal), "grade": grade}
    return render(request, "admin/cycle_close.html", context)


@router.post("/cycles/{cycle_id:int}/close")
def close(request: Request, koers: KoersDep, user: Changer, form: Typed, cycle_id: int) -> Response:
    """Close after the confirmation step; a post without `confirm` (an old form, a stray click) goes to that step."""
    try:
        if not 0 < cycle_id < 2**31:
            raise NotFound("cycle.not_found", id=cycle_id)
        if form.get("confirm") != "yes":
            with koers.uow(read_only=True, actor=user) as uow:
                close_preview(uow, cycle_id)  # refuses non-admins and unknown cycles here, as the close would
            return RedirectResponse(f"/cycles/{cycle_id}/close", status_code=303)
        with koers.uow(actor=user) as uow:
            close_cycle(uow, cycle_id)
    except KoersError as error:
        return _not_closed(request, error)
    return RedirectResponse(f"/cycles?closed={cycle_id}#cycle-{cycle_id}", status_code=303)
