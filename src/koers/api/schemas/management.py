"""Schemas of what changed in a week and of the roll-up per team (issue 15)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from koers.api.schemas.common import Confidence, Id, Level, ObjectiveType, Pace, Public

KpiColour = Literal["green", "amber", "red"]


class ChangeItem(Public):
    kind: Literal["check_in", "status", "objective", "kpi_colour"]
    at: datetime
    key_result_id: int | None = Field(description="The key result (check_in, status); null otherwise.")
    objective_id: int | None = Field(description="The objective (check_in, status, objective); null for a KPI.")
    score_before: float | None = Field(description="The key result's score before this value (check_in, status).")
    score: float | None = Field(
        description="The key result's score after it (check_in, status); the objective's stored score when it was "
        "archived or closed; null for a new objective and a KPI."
    )
    title: str = Field(description="The key result's, objective's or KPI's name.")
    team_id: int | None = Field(description="The objective's or KPI's team; null: the whole organisation.")
    objective_title: str | None = None
    status_before: Pace | None = Field(default=None, description="Pace before (check_in, status).")
    status: Pace | None = Field(default=None, description="Pace after (check_in, status).")
    value_before: float | None = None
    value: float | None = None
    unit: str | None = None
    check_in_id: int | None = None
    confidence_before: Confidence | None = None
    confidence: Confidence | None = None
    author_id: int | None = None
    note: str | None = None
    cause: Literal["check_in", "kpi"] | None = Field(
        default=None, description="status: a check-in or a measurement of the KPI the key result follows."
    )
    change: Literal["created", "archived", "closed"] | None = Field(default=None, description="objective only.")
    grade: float | None = Field(default=None, description="objective closed: its grade, 0.0–1.0.")
    level: Level | None = None
    kpi_id: int | None = None
    colour_before: KpiColour | None = Field(default=None, description="kpi_colour: at the measurement before.")
    colour: KpiColour | None = None


class ChangesPublic(Public):
    items: list[ChangeItem] = Field(description="Newest first.")


class ChangesQuery(BaseModel):
    since: date = Field(description="The first day (YYYY-MM-DD, in the organisation's time zone).")
    until: date | None = Field(default=None, description="The day after the last (default: up to now).")
    team_id: Id | None = Field(default=None, description="Only this team's objectives and KPIs.")


class RollupObjective(Public):
    id: int
    title: str
    level: Level
    type: ObjectiveType
    score: float | None
    status: Pace
    cycle_id: int
    cycle: str
    counts: bool = Field(description="False while its cycle has not started: left out of the average.")


class TeamRollup(Public):
    team_id: int | None = Field(description="null: the whole organisation's own objectives.")
    team: str | None
    parent_id: int | None
    average_score: float | None = Field(
        description="The mean of the objectives' scores (those with one, cycle started)."
    )
    objective_count: int
    statuses: dict[Pace, int] = Field(description="How many objectives at each pace.")
    objectives: list[RollupObjective]


class TeamRollupPublic(Public):
    items: list[TeamRollup]


class TeamRollupQuery(BaseModel):
    cycle_id: Id | None = Field(default=None, description="One cycle (default: every cycle that is not closed).")
