"""Response schemas (XPublic): what the API answers, read from the domain's records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from koers.api.schemas.common import (
    Confidence,
    CycleStatus,
    Direction,
    InitiativeStatus,
    Kind,
    Level,
    Locale,
    ObjectiveType,
    Pace,
    Public,
    Role,
    Source,
    Visibility,
)


class TeamPublic(Public):
    id: int
    name: str
    parent_id: int | None
    lead_id: int | None
    archived: bool
    version: int


class UserPublic(Public):
    id: int
    email: str
    name: str
    role: Role
    locale: Locale
    team_ids: list[int]
    active: bool
    version: int


class CyclePublic(Public):
    id: int
    name: str
    start_date: date
    end_date: date
    status: CycleStatus
    closed_at: datetime | None
    version: int


class GradePublic(BaseModel):
    objective_id: int
    title: str
    grade: float | None
    colour: str | None
    too_easy: bool


class CycleClosed(BaseModel):
    cycle: CyclePublic
    grades: list[GradePublic]
    too_easy_team_ids: list[int | None]


class ObjectivePublic(Public):
    id: int
    title: str
    description: str
    level: Level
    type: ObjectiveType
    cycle_id: int
    team_id: int | None
    owner_id: int | None
    parent_id: int | None
    visibility: Visibility
    score: float | None
    status: Pace
    forecast_score: float | None
    grade: float | None
    retrospective: str = ""  # "what we learned" (issue 10): editable after the cycle closed
    carried_from_id: int | None = None  # the objective this one was carried over from (issue 10)
    # issue 15: a grade set by hand after the close (null: none); `grade` stays the computed one
    grade_override: float | None = None
    grade_note: str = ""
    grade_overridden_by: int | None = None
    grade_overridden_at: datetime | None = None
    final_grade: float | None = Field(default=None, description="The grade that counts: the override, else grade.")
    archived: bool
    version: int


class KeyResultPublic(Public):
    id: int
    objective_id: int
    title: str
    kind: Kind
    unit: str
    baseline: float | None
    target: float | None
    target_low: float | None
    target_high: float | None
    weight: float
    owner_id: int | None
    kpi_id: int | None
    current: float | None
    progress: float | None
    score: float
    status: Pace
    confidence: Confidence | None
    # planned pace and forecast
    plan: dict[str, Any] = Field(
        description='The planned pace: {"shape": "linear" | "back_loaded" | "s_curve"} or {"shape": "points", '
        '"points": [{"date", "value"}]}; linear unless set.'
    )
    expected_score: float = Field(description="The score the plan expects today (× 0.7 for aspirational objectives).")
    cadence_days: int = Field(description="A check-in is due every this many days.")
    guardrail_kpi_ids: list[int] = Field(
        default_factory=list, description="KPIs that must not suffer while this key result improves."
    )
    archived: bool
    version: int


class ForecastPublic(Public):
    """Where a key result ends its cycle on a Theil–Sen line through the cycle's values (value null with fewer
    than two values on different days); low and high from the 10th and 90th percentile slopes."""

    value: float | None
    score: float | None
    low: float | None
    high: float | None
    points: int
    method: Literal["theil_sen"]


class CheckInPublic(Public):
    id: int
    key_result_id: int
    value: float
    confidence: Confidence | None
    note: str
    author_id: int | None
    created_at: datetime


class CheckInKeyResult(Public):
    id: int
    current: float | None
    progress: float | None
    score: float
    confidence: Confidence | None


class CheckInObjective(Public):
    id: int
    title: str
    score_before: float | None
    score: float | None


class CheckInRecorded(CheckInPublic):
    """A new check-in with the key result's new values and every objective whose score it moved."""

    key_result: CheckInKeyResult
    objectives: list[CheckInObjective]


class KpiPublic(Public):
    id: int
    name: str
    description: str
    unit: str
    direction: Direction
    target: float | None
    target_low: float | None
    target_high: float | None
    green_at: float | None
    red_at: float | None
    team_id: int | None
    owner_id: int | None
    current: float | None
    status: Literal["green", "amber", "red"] | None
    archived: bool
    version: int


class MeasurementPublic(Public):
    id: int
    kpi_id: int
    value: float
    at: datetime
    source: Source
    note: str


class InitiativePublic(Public):
    id: int
    title: str
    status: InitiativeStatus
    objective_id: int | None
    key_result_id: int | None
    owner_id: int | None
    due_date: date | None
    archived: bool
    version: int


class TokenPublic(Public):
    id: int
    user_id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="Shown once; store it now.")


class FindingPublic(BaseModel):
    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    suggestion: str


class LintPublic(BaseModel):
    verdict: Literal["good", "needs_work"]
    lang: Literal["nl", "en"]
    findings: list[FindingPublic]


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str


# --- accounts: invitations ---
class InvitationPublic(Public):
    id: int
    email: str
    name: str
    role: Role
    team_ids: list[int]
    created_by: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class InvitationCreated(InvitationPublic):
    token: str = Field(description="Shown once: the link is /invite/{token}, valid for 7 days, single use.")
    url: str = Field(description="The link to hand to the invited person.")


# --- close & what-if ---
class ScoreChangePublic(BaseModel):
    id: int
    title: str
    score_before: float | None
    score: float | None


class WhatIfPublic(BaseModel):
    """The scores the values would give; nothing is stored."""

    key_results: list[ScoreChangePublic]
    objectives: list[ScoreChangePublic] = Field(
        description="Every objective you may see whose score would change, up the alignment tree, deepest first."
    )
