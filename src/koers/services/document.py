"""The export/import document of SPEC §5, as strict schemas: what `koers import` accepts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from koers.domain.errors import ValidationError as KoersValidationError

Id = Annotated[int, Field(strict=True)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=10_000)]


class _Record(BaseModel):
    # Computed fields in an export (score, status...) are read back as extras and ignored.
    model_config = ConfigDict(extra="ignore", strict=False)


class CycleDoc(_Record):
    id: Id
    name: str
    start_date: date
    end_date: date
    status: str = "active"
    closed_at: datetime | None = None


class TeamDoc(_Record):
    id: Id
    name: str
    parent_id: Id | None = None
    lead_id: Id | None = None
    archived: StrictBool = False


class UserDoc(_Record):
    id: Id
    email: str
    name: str = ""
    role: str = "member"
    locale: str = "nl"
    team_ids: list[Id] = []


class MeasurementDoc(_Record):
    id: Id | None = None
    value: Number
    at: datetime
    source: str = "import"
    note: Text = ""


class KpiDoc(_Record):
    id: Id
    name: str
    description: Text = ""
    unit: str = ""
    direction: str = "higher_is_better"
    target: Number | None = None
    target_low: Number | None = None
    target_high: Number | None = None
    green_at: Number | None = None
    red_at: Number | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    archived: StrictBool = False
    measurements: list[MeasurementDoc] = []


class CheckInDoc(_Record):
    id: Id | None = None
    value: Number
    confidence: str | None = None
    note: Text = ""
    author_id: Id | None = None
    created_at: datetime


class KeyResultDoc(_Record):
    id: Id
    title: str
    kind: str
    unit: str = ""
    baseline: Number | None = None
    target: Number | None = None
    target_low: Number | None = None
    target_high: Number | None = None
    weight: Number = 1.0
    owner_id: Id | None = None
    kpi_id: Id | None = None
    archived: StrictBool = False
    check_ins: list[CheckInDoc] = []


class InitiativeDoc(_Record):
    id: Id | None = None
    title: str
    status: str = "planned"
    key_result_id: Id | None = None
    owner_id: Id | None = None
    due_date: date | None = None
    archived: StrictBool = False


class ObjectiveDoc(_Record):
    id: Id
    title: str
    description: Text = ""
    level: str = "tactical"
    type: str = "committed"
    cycle_id: Id
    team_id: Id | None = None
    owner_id: Id | None = None
    parent_id: Id | None = None
    visibility: str = "public"
    grade: Number | None = None
    archived: StrictBool = False
    key_results: list[KeyResultDoc] = []
    initiatives: list[InitiativeDoc] = []


class Document(_Record):
    cycles: list[CycleDoc] = []
    teams: list[TeamDoc] = []
    users: list[UserDoc] = []
    kpis: list[KpiDoc] = []
    objectives: list[ObjectiveDoc] = []

    @field_validator("cycles", "teams", "users", "kpis", "objectives", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


def parse_document(data: Any) -> Document:
    """Check the shape of a document, with the path of the first problems in the message."""
    if not isinstance(data, dict):
        raise KoersValidationError(
            "an import document is a JSON/YAML object with cycles, teams, users, kpis, objectives"
        )
    try:
        return Document.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors()[:3]:
            path = ".".join(str(part) for part in item["loc"])
            problems.append(f"{path}: {item['msg']}")
        more = f" (and {error.error_count() - 3} more)" if error.error_count() > 3 else ""
        raise KoersValidationError("invalid import document: " + "; ".join(problems) + more) from None
