"""The coach's trace: goals with open findings, as their last save left them."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from typing import Annotated, Any

from fastapi import APIRouter, Query

from koers.api.deps import ReadUow
from koers.api.routes.resources import ERRORS
from koers.api.schemas.coach import CoachFindingsPublic, CoachFindingsQuery
from koers.services.findings import open_findings

router = APIRouter(responses=ERRORS)


@router.get(
    "/coach/findings",
    response_model=CoachFindingsPublic,
    tags=["insight"],
    summary="Objectives and key results whose text the quality coach flagged when they were saved",
    operation_id="coachFindings",
)
def coach_findings(uow: ReadUow, query: Annotated[CoachFindingsQuery, Query()]) -> dict[str, Any]:
    cycle = uow.cycles.get(query.cycle_id) if query.cycle_id is not None else None
    found = open_findings(uow, cycle, query.team_id)
    items = [
        {key: goal[key] for key in ("kind", "id", "title", "objective_id", "cycle_id", "lang", "checked_at")}
        | {"team_id": team["id"], "findings": goal["findings"]}
        for team in found["teams"]
        for goal in team["goals"]
    ]
    return {"items": items}
