"""My week: the key results waiting for a check-in, each with a one-step check-in that updates in place."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from koers.domain.errors import KoersError
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services.check_ins import record_check_in
from koers.services.read.attention import my_teams_attention
from koers.services.read.views import key_result_view
from koers.services.read.week import my_week
from koers.web import forms
from koers.web.i18n import gettext_ as _
from koers.web.messages import localise
from koers.web.rendering import render
from koers.web.routes import insight
from koers.web.session import Changer, Viewer

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(viewer: Viewer) -> Response:
    return RedirectResponse("/week", status_code=303)


@router.get("/week")
def week(request: Request, koers: KoersDep, viewer: Viewer) -> Response:
    with koers.uow(read_only=True, actor=viewer) as uow:
        data = my_week(uow, viewer, date.today())
        data["team_attention"] = my_teams_attention(uow, viewer, date.today())  # first for a team lead
    return render(request, "week.html", {**data, "reason": insight.reason})


@router.post("/week/key-results/{kr_id}/check-in")
def check_in(
    request: Request,
    koers: KoersDep,
    user: Changer,
    kr_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    value: Annotated[str, Form(max_length=50)] = "",
    confidence: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    error, status, result = "", 200, None
    try:
        with koers.uow(actor=user) as uow:
            typed = forms.number(value, "value") or 0.0
            result = record_check_in(uow, kr_id, typed, confidence or None, note, author_id=user.id)
    except KoersError as problem:
        error, status = localise(problem), status_of(problem)
    if error and (status in (403, 404) or request.headers.get("hx-request") != "true"):
        page = {"title": _("Check-in not saved"), "message": error, "back": "/week"}
        return render(request, "message.html", page, status)
    if request.headers.get("hx-request") != "true":
        return RedirectResponse("/week", status_code=303)
    if result is not None:  # the new score as the check-in left it, not read back
        kr, objective, cycle = result.key_result, result.objective, result.cycle
    else:  # refused (a closed cycle, a value out of range): the key result as it stands
        with koers.uow(read_only=True, actor=user) as uow:
            kr = uow.key_results.get(kr_id)
            objective = uow.objectives.get(kr.objective_id)
            cycle = uow.cycles.get(objective.cycle_id)
    view = key_result_view(kr, objective, cycle, date.today())
    view["objective"] = {"id": objective.id, "title": objective.title}
    view["current_at"] = kr.current_at
    return render(
        request, "partials/week_item.html", {"kr": view, "error": error, "saved": not error, "entered": value}
    )
