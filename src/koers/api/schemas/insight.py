"""Schemas of what needs attention and of confidence calibration (issue 10)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from koers.api.schemas.common import Id, Public

Reason = Literal[
    "no_recent_check_in", "off_track", "at_risk", "forecast_below_target", "confidence_disagrees", "guardrail"
]


class AttentionItem(Public):
    key_result_id: int
    objective_id: int
    reasons: list[Reason] = Field(description="Why it needs attention, in a fixed order.")


class AttentionPublic(Public):
    items: list[AttentionItem]


class AttentionQuery(BaseModel):
    team_id: Id | None = Field(default=None, description="Only this team's objectives.")


class OwnerCalibration(Public):
    owner_id: int | None = Field(description="The check-ins' author (None: made by the system or an import).")
    brier: float | None
    check_ins: int


class CalibrationPublic(Public):
    brier: float | None = Field(description="Mean of (p − outcome)²; None without check-ins with a confidence.")
    check_ins: int
    owners: list[OwnerCalibration]


class CalibrationQuery(BaseModel):
    team_id: Id | None = None
    owner_id: Id | None = Field(default=None, description="The check-ins' author.")
    cycle_id: Id | None = None
