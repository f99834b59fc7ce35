"""Entities of the OKR vocabulary (SPEC §1–2) as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

LEVELS: Final = ("strategic", "tactical")
OBJECTIVE_TYPES: Final = ("committed", "aspirational")
VISIBILITIES: Final = ("public", "team")
CYCLE_STATUSES: Final = ("planning", "active", "closed")
KR_KINDS: Final = ("increase", "decrease", "range", "above", "below", "milestone")
CONFIDENCES: Final = ("on_track", "at_risk", "off_track")
KPI_DIRECTIONS: Final = ("higher_is_better", "lower_is_better", "in_range")
MEASUREMENT_SOURCES: Final = ("manual", "sync", "import")
INITIATIVE_STATUSES: Final = ("planned", "in_progress", "done", "cancelled")
ROLES: Final = ("admin", "member")
LOCALES: Final = ("nl", "en")


@dataclass
class Team:
    name: str
    parent_id: int | None = None
    lead_id: int | None = None
    archived: bool = False
    version: int = 1
    id: int | None = None


@dataclass
class User:
    email: str
    name: str = ""
    role: str = "member"
    locale: str = "nl"
    team_ids: list[int] = field(default_factory=list)
    active: bool = True
    version: int = 1
    id: int | None = None


@dataclass
class Cycle:
    name: str
    start_date: date
    end_date: date
    status: str = "active"
    closed_at: datetime | None = None
    version: int = 1
    id: int | None = None


@dataclass
class Objective:
    title: str
    cycle_id: int
    level: str = "tactical"
    type: str = "committed"
    description: str = ""
    team_id: int | None = None
    owner_id: int | None = None
    parent_id: int | None = None
    visibility: str = "public"
    score: float | None = None
    grade: float | None = None
    retrospective: str = ""  # "what we learned"; editable after the cycle closed (issue 10)
    carried_from_id: int | None = None  # the objective this one was carried over from (issue 10)
    # Issue 15: a grade set by hand after the close, with why and by whom; `grade` keeps the computed one.
    grade_override: float | None = None
    grade_note: str = ""
    grade_overridden_by: int | None = None
    grade_overridden_at: datetime | None = None
    archived: bool = False
    version: int = 1
    id: int | None = None


@dataclass
class KeyResult:
    objective_id: int
    title: str
    kind: str = "increase"
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    weight: float = 1.0
    owner_id: int | None = None
    kpi_id: int | None = None
    current: float | None = None
    current_at: datetime | None = None
    progress: float | None = None
    score: float = 0.0
    confidence: str | None = None
    plan: dict[str, Any] | None = None  # the planned pace as `koers.domain.plan.Plan.as_dict()`; None = linear
    cadence_days: int = 7  # a check-in is due every this many days (issue 10)
    archived: bool = False
    version: int = 1
    id: int | None = None


@dataclass
class CheckIn:
    key_result_id: int
    value: float
    created_at: datetime
    confidence: str | None = None
    note: str = ""
    author_id: int | None = None
    id: int | None = None


@dataclass
class Kpi:
    name: str
    unit: str = ""
    direction: str = "higher_is_better"
    description: str = ""
    target: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    green_at: float | None = None
    red_at: float | None = None
    team_id: int | None = None
    owner_id: int | None = None
    current: float | None = None
    current_at: datetime | None = None
    archived: bool = False
    version: int = 1
    id: int | None = None


@dataclass
class Measurement:
    kpi_id: int
    value: float
    at: datetime
    source: str = "manual"
    note: str = ""
    id: int | None = None
    # When it was recorded (None until stored: the storage fills in the moment it is added).
    recorded_at: datetime | None = None


@dataclass
class Initiative:
    title: str
    status: str = "planned"
    objective_id: int | None = None
    key_result_id: int | None = None
    owner_id: int | None = None
    due_date: date | None = None
    archived: bool = False
    version: int = 1
    id: int | None = None
