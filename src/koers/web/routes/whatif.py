"""The objective page's what-if: "what if this key result were X?", the scores before and after, nothing stored."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from koers.domain.errors import KoersError
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services.permissions import visible_key_result
from koers.services.whatif import what_if_values
from koers.web import forms
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.session import Changer
from koers.wording import localise

router = APIRouter(include_in_schema=False)


@router.post("/key-results/{kr_id:int}/what-if")
def what_if(
    request: Request,
    koers: KoersDep,
    user: Changer,
    kr_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    value: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    """The answer as a fragment for htmx, or as a page of its own without JavaScript."""
    error, status, answer, objective_id = "", 200, None, None
    try:
        with koers.uow(read_only=True, actor=user) as uow:
            objective_id = visible_key_result(uow, kr_id)[1].id
            answer = what_if_values(uow, {kr_id: forms.number(value, "value") or 0.0}, date.today())
    except KoersError as problem:
        error, status = localise(problem), status_of(problem)
    if status == 404 or objective_id is None:
        page = {"title": _("No answer"), "message": error, "back": "/organisation"}
        return render(request, "message.html", page, status)
    context = {"kr_id": kr_id, "answer": answer, "error": error, "entered": value, "objective_id": objective_id}
    if request.headers.get("hx-request") == "true":  # 200: htmx swaps in only a 2xx answer, errors included
        return render(request, "partials/what_if.html", context)
    return render(request, "what_if.html", context, status)
