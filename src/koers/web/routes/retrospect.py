"""After a cycle: "what we learned" on an objective (editable after close), and carrying an objective over."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from koers.domain.errors import KoersError, ValidationError
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services import objectives as goals
from koers.services.carry_over import carry_over
from koers.web import forms
from koers.web.i18n import gettext_ as _
from koers.web.messages import localise
from koers.web.rendering import render
from koers.web.session import Changer

router = APIRouter(include_in_schema=False)
ObjectiveId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/objectives/{objective_id:int}/retrospective")
def write_retrospective(
    request: Request,
    koers: KoersDep,
    user: Changer,
    objective_id: ObjectiveId,
    retrospective: Annotated[str, Form(max_length=20_000)] = "",
    version: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Save the note; the one change a closed cycle's objective still takes."""
    try:
        with koers.uow(actor=user) as uow:
            goals.update_objective(uow, objective_id, {"retrospective": retrospective}, forms.record_id(version))
    except KoersError as error:
        page = {"title": _("Not saved"), "message": localise(error), "back": f"/objectives/{objective_id}"}
        return render(request, "message.html", page, status_of(error))
    return RedirectResponse(f"/objectives/{objective_id}#retrospective", status_code=303)


@router.post("/objectives/{objective_id:int}/carry-over")
def carry_over_objective(
    request: Request,
    koers: KoersDep,
    user: Changer,
    objective_id: ObjectiveId,
    cycle_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Copy the objective into the chosen cycle and show the copy."""
    try:
        target = forms.record_id(cycle_id)
        if target is None:
            raise ValidationError("id.invalid", field="cycle_id", name="cycle_id", value=cycle_id)
        with koers.uow(actor=user) as uow:
            copy = carry_over(uow, objective_id, target)
    except KoersError as error:
        page = {"title": _("Not carried over"), "message": localise(error), "back": "/cycles"}
        return render(request, "message.html", page, status_of(error))
    return RedirectResponse(f"/objectives/{copy.id}", status_code=303)
