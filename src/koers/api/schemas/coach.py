"""Schemas of the coach's findings kept on goals (issue 15)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from koers.api.schemas.common import Id, Public


class KeptFinding(Public):
    code: str = Field(description="The coach's code (SPEC §5), such as `activity` or `not-measurable`.")
    severity: Literal["error", "warning"]
    message: str = Field(description="In the goal's own language (`lang`).")
    suggestion: str


class FlaggedGoal(Public):
    kind: Literal["objective", "key_result"]
    id: int = Field(description="The objective's or the key result's id.")
    title: str
    objective_id: int
    cycle_id: int
    team_id: int | None
    lang: Literal["nl", "en"]
    checked_at: datetime = Field(description="When the text the findings belong to was saved.")
    findings: list[KeptFinding]


class CoachFindingsPublic(Public):
    items: list[FlaggedGoal] = Field(description="Goals with open findings, per team (teamless last), then by title.")


class CoachFindingsQuery(BaseModel):
    cycle_id: Id | None = Field(default=None, description="One cycle; by default every cycle that is not closed.")
    team_id: Id | None = Field(default=None, description="Only this team's goals.")
