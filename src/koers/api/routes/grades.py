"""Grades set by hand (issue 15): `PUT /objectives/{id}/grade` overrides a closed cycle's objective's grade."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from datetime import date
from typing import Any

from fastapi import APIRouter

from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep
from koers.api.routes.resources import ERRORS, ResourceId
from koers.services.grades import override_grade
from koers.services.read.views import present_objectives

router = APIRouter(responses=ERRORS)


@router.put(
    "/objectives/{record_id}/grade",
    response_model=s.ObjectivePublic,
    tags=["objectives"],
    summary="Override a closed cycle's objective's grade, with a note (admins and the team's lead); null removes it",
    operation_id="override_objective_grade",
)
def override_objective_grade(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.GradeOverride) -> Any:
    with koers.uow(actor=user) as uow:
        objective = override_grade(uow, record_id, body.grade, body.note)
        answer: dict[str, Any] = present_objectives(uow, [objective], date.today())[0]
        return answer
