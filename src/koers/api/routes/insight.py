"""What needs attention now, and how well confidences foretold the outcome of closed cycles."""

# No `from __future__ import annotations` here: FastAPI reads annotations at runtime.

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from koers.api.deps import ReadUow
from koers.api.routes.resources import ERRORS
from koers.api.schemas.insight import AttentionPublic, AttentionQuery, CalibrationPublic, CalibrationQuery
from koers.services.read.attention import attention
from koers.services.read.calibration import calibration_report

router = APIRouter(responses=ERRORS)


@router.get(
    "/attention",
    response_model=AttentionPublic,
    tags=["insight"],
    summary="Key results of open cycles that need attention, with the reasons",
    operation_id="attention",
)
def attention_list(uow: ReadUow, query: Annotated[AttentionQuery, Query()]) -> dict[str, Any]:
    return attention(uow, date.today(), query.team_id)


@router.get(
    "/calibration",
    response_model=CalibrationPublic,
    tags=["insight"],
    summary="Brier score of check-in confidences over closed cycles, overall and per author",
    operation_id="calibration",
)
def calibration(uow: ReadUow, query: Annotated[CalibrationQuery, Query()]) -> dict[str, Any]:
    return calibration_report(uow, query.team_id, query.owner_id, query.cycle_id)
