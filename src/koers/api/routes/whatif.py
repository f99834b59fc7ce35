"""What-if and carry-over: trying values without storing them, and taking an objective into another cycle."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, status

from koers.api import schemas as s
from koers.api.deps import CurrentUser, KoersDep, ReadUow
from koers.api.routes.resources import ERRORS, ResourceId
from koers.services.carry_over import carry_over
from koers.services.read.views import present_objectives
from koers.services.whatif import what_if_values

router = APIRouter(responses=ERRORS)


@router.post(
    "/what-if",
    response_model=s.WhatIfPublic,
    tags=["what-if"],
    summary="The scores key results and objectives would have with other values; nothing is stored",
    operation_id="what_if",
)
def what_if(uow: ReadUow, body: s.WhatIfRequest) -> dict[str, Any]:
    answer = what_if_values(uow, body.values, date.today())
    return asdict(answer)


@router.post(
    "/objectives/{record_id}/carry-over",
    response_model=s.ObjectivePublic,
    status_code=status.HTTP_201_CREATED,
    tags=["objectives"],
    summary="Carry an objective over into another cycle: a copy whose key results start at the original's last values",
    operation_id="carry_over_objective",
)
def carry_over_objective(koers: KoersDep, user: CurrentUser, record_id: ResourceId, body: s.CarryOver) -> Any:
    with koers.uow(actor=user) as uow:
        copy = carry_over(uow, record_id, body.cycle_id)
        return present_objectives(uow, [copy], date.today())[0]
