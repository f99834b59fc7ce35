"""After a cycle: "what we learned" on an objective (editable after close), carrying an objective over, and a grade
set by hand (issue 15)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from koers.domain import model
from koers.domain.errors import KoersError, ValidationError
from koers.domain.numbers import parse_number
from koers.http.deps import KoersDep
from koers.http.errors import status_of
from koers.services import objectives as goals
from koers.services.carry_over import carry_over
from koers.services.grades import grade_to_override, override_grade
from koers.web import forms, i18n
from koers.web.i18n import gettext_ as _
from koers.web.rendering import render
from koers.web.session import Changer
from koers.wording import localise

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


def _grade_page(
    request: Request, koers: KoersDep, user: model.User, objective_id: int, typed: dict[str, str] | None = None
) -> Response:
    """The grade form: the computed grade, the one set by hand and its note, or what was typed with its error."""
    try:
        with koers.uow(read_only=True, actor=user) as uow:
            data = grade_to_override(uow, objective_id)
    except KoersError as error:
        page = {"title": _("Not allowed"), "message": localise(error), "back": f"/objectives/{objective_id}"}
        return render(request, "message.html", page, status_of(error))
    objective = data["objective"]
    shown = typed or {
        "grade": "" if objective.grade_override is None else i18n.number(objective.grade_override, 2),
        "note": objective.grade_note,
    }
    not_yet = None if data["not_yet"] is None else localise(data["not_yet"])
    context = {**data, "typed": shown, "not_yet": not_yet}
    return render(request, "grade.html", context, 422 if typed and typed.get("error") else 200)


@router.get("/objectives/{objective_id:int}/grade")
def grade_form(request: Request, koers: KoersDep, viewer: forms.Reader, objective_id: ObjectiveId) -> Response:
    return _grade_page(request, koers, viewer, objective_id)


@router.post("/objectives/{objective_id:int}/grade")
def set_grade(
    request: Request,
    koers: KoersDep,
    user: forms.Writer,
    objective_id: ObjectiveId,
    grade: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Override the grade (a number in the reader's locale, with a note) or, left empty, remove the override."""
    try:
        value = parse_number(grade, i18n.current_locale.get(), field="grade") if grade.strip() else None
        with koers.uow(actor=user) as uow:
            override_grade(uow, objective_id, value, note)
    except KoersError as error:
        if error.field not in ("grade", "note"):
            page = {"title": _("Not saved"), "message": localise(error), "back": f"/objectives/{objective_id}"}
            return render(request, "message.html", page, status_of(error))
        typed = {"grade": grade, "note": note, "field": error.field, "error": localise(error)}
        return _grade_page(request, koers, user, objective_id, typed)
    return RedirectResponse(f"/objectives/{objective_id}?grade_saved=1#grade", status_code=303)
