"""What changed in a week, and the roll-up per team: the management team's view (issue 15)."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from koers.api.deps import ReadUow
from koers.api.routes.resources import ERRORS
from koers.api.schemas.management import ChangesPublic, ChangesQuery, TeamRollupPublic, TeamRollupQuery
from koers.http.deps import KoersDep
from koers.services.read.changes import changes
from koers.services.read.team_rollup import team_rollup

router = APIRouter(responses=ERRORS)


@router.get(
    "/changes",
    response_model=ChangesPublic,
    tags=["insight"],
    summary="What changed from a day on: check-ins, pace changes, objectives, KPI colours, with score deltas",
    operation_id="changes",
)
def change_list(koers: KoersDep, uow: ReadUow, query: Annotated[ChangesQuery, Query()]) -> dict[str, Any]:
    return changes(uow, query.since, query.until, query.team_id, koers.settings.zone)


@router.get(
    "/rollup/teams",
    response_model=TeamRollupPublic,
    tags=["insight"],
    summary="Per team: its objectives in a cycle, their average score and how many are at each pace",
    operation_id="team_rollup",
)
def rollup(uow: ReadUow, query: Annotated[TeamRollupQuery, Query()]) -> dict[str, Any]:
    return team_rollup(uow, date.today(), query.cycle_id)
