"""Request and response schemas (XCreate / XUpdate / XPublic): exactly the fields each side may send."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

MAX_ID = 2**31 - 1


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_clean_text)]
Title = Annotated[Text, Field(min_length=1, max_length=500, examples=["Klanten behouden: churn halveren"])]
Name = Annotated[Text, Field(min_length=1, max_length=200)]
Long = Annotated[Text, Field(max_length=10_000)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]
Unit = Annotated[Text, Field(max_length=40, examples=["%"])]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description="The version you read; a stale one gets 409.")]

Level = Literal["strategic", "tactical"]
ObjectiveType = Literal["committed", "aspirational"]
Visibility = Literal["public", "team"]
Kind = Literal["increase", "decrease", "range", "above", "below", "milestone"]
Confidence = Literal["on_track", "at_risk", "off_track"]
Direction = Literal["higher_is_better", "lower_is_better", "in_range"]
Source = Literal["manual", "sync", "import"]
InitiativeStatus = Literal["planned", "in_progress", "done", "cancelled"]
CycleStatus = Literal["planning", "active", "closed"]
Pace = Literal["not_started", "achieved", "on_track", "at_risk", "off_track"]
Role = Literal["admin", "member"]
Locale = Literal["nl", "en"]


class Strict(BaseModel):
    """Unknown fields are refused: no mass assignment."""

    model_config = ConfigDict(extra="forbid")


class Patch(Strict):
    """A partial change: fields left out stay as they are; null only where a field may be empty."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _null_only_where_allowed(self) -> Patch:
        refused = sorted(
            name for name in self.model_fields_set if getattr(self, name) is None and name not in self.nullable
        )
        if refused:
            raise ValueError(f"{', '.join(refused)} cannot be null; leave a field out to keep it")
        return self


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


class TeamCreate(Strict):
    name: Name
    parent_id: Id | None = None
    lead_id: Id | None = None


class TeamUpdate(Patch):
    nullable = frozenset(["lead_id", "parent_id"])

    name: Name | None = None
    parent_id: Id | None = None
    lead_id: Id | None = None
    version: Version | None = None


class TeamPublic(Public):
    id: int
    name: str
    parent_id: int | None
    lead_id: int | None
    archived: bool
    version: int


class UserCreate(Strict):
    email: Annotated[Text, Field(min_length=3, max_length=320, examples=["anne@example.org"])]
    name: Annotated[Text, Field(max_length=200)] = ""
    role: Role = "member"
    locale: Locale = "nl"
    team_ids: Annotated[list[Id], Field(max_length=500)] = []
    password: Annotated[Text, Field(min_length=8, max_length=128)] | None = None


class UserUpdate(Patch):
    name: Annotated[Text, Field(max_length=200)] | None = None
    role: Role | None = None
    locale: Locale | None = None
    team_ids: Annotated[list[Id], Field(max_length=500)] | None = None
    version: Version | None = None


class UserPublic(Public):
    id: int
    email: str
    name: str
    role: Role
    locale: Locale
    team_ids: list[int]
    active: bool
    version: int


class CycleCreate(Strict):
    name: Annotated[Text, Field(min_length=1, max_length=100, examples=["2026-Q4"])]
    start_date: date
    end_date: date
    status: Literal["planning", "active"] = "active"


class CycleUpdate(Patch):
    name: Annotated[Text, Field(min_length=1, max_length=100)] | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: Literal["planning", "active"] | None = None
    version: Version | None = None


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


class ObjectiveCreate(Strict):
    title: Title
    description: Long = ""
    level: Level = "tactical"
    type: ObjectiveType = "committed"
    cycle_id: Id
    team_id: Id | None = None
    owner_id: Id | None = None
    parent_id: Id | None = None
    visibility: Visibility = "public"


class ObjectiveUpdate(Patch):
    nullable = frozenset(["owner_id", "parent_id", "team_id"])

    title: Title | None = None
    description: Long | None = None
    level: Level | None = None
    type: ObjectiveType | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    parent_id: Id | None = None
    visibility: Visibility | None = None
    version: Version | None = None


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
    archived: bool
    version: int


class KeyResultCreate(Strict):
    title: Annotated[Title, Field(examples=["Churn reduceren van 10% naar 5%"])]
    kind: Kind = "increase"
    unit: Unit = ""
    baseline: Number | None = None
    target: Number | None = None
    target_low: Number | None = None
    target_high: Number | None = None
    weight: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 1.0
    owner_id: Id | None = None
    kpi_id: Id | None = None


class KeyResultUpdate(Patch):
    nullable = frozenset(["baseline", "kpi_id", "owner_id", "target", "target_high", "target_low"])

    title: Title | None = None
    kind: Kind | None = None
    unit: Unit | None = None
    baseline: Number | None = None
    target: Number | None = None
    target_low: Number | None = None
    target_high: Number | None = None
    weight: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    owner_id: Id | None = None
    kpi_id: Id | None = None
    version: Version | None = None


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
    archived: bool
    version: int


class CheckInCreate(Strict):
    value: Annotated[Number, Field(examples=[7.5])]
    confidence: Confidence | None = None
    note: Annotated[Text, Field(max_length=5000)] = ""


class CheckInPublic(Public):
    id: int
    key_result_id: int
    value: float
    confidence: Confidence | None
    note: str
    author_id: int | None
    created_at: datetime


class KpiCreate(Strict):
    name: Annotated[Name, Field(examples=["Churn"])]
    description: Long = ""
    unit: Unit = ""
    direction: Direction = "higher_is_better"
    target: Number | None = None
    target_low: Number | None = None
    target_high: Number | None = None
    green_at: Number | None = None
    red_at: Number | None = None
    team_id: Id | None = None
    owner_id: Id | None = None


class KpiUpdate(Patch):
    nullable = frozenset(["green_at", "owner_id", "red_at", "target", "target_high", "target_low", "team_id"])

    name: Name | None = None
    description: Long | None = None
    unit: Unit | None = None
    direction: Direction | None = None
    target: Number | None = None
    target_low: Number | None = None
    target_high: Number | None = None
    green_at: Number | None = None
    red_at: Number | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    version: Version | None = None


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


class MeasurementCreate(Strict):
    value: Annotated[Number, Field(examples=[6.75])]
    at: datetime | None = Field(default=None, description="When it was measured; default now. Not in the future.")
    source: Source = "manual"
    note: Annotated[Text, Field(max_length=5000)] = ""


class MeasurementPublic(Public):
    id: int
    kpi_id: int
    value: float
    at: datetime
    source: Source
    note: str


class InitiativeCreate(Strict):
    title: Annotated[Title, Field(examples=["Online sales funnel analyseren"])]
    status: InitiativeStatus = "planned"
    objective_id: Id | None = None
    key_result_id: Id | None = None
    owner_id: Id | None = None
    due_date: date | None = None


class InitiativeUpdate(Patch):
    nullable = frozenset(["due_date", "owner_id"])

    title: Title | None = None
    status: InitiativeStatus | None = None
    owner_id: Id | None = None
    due_date: date | None = None
    version: Version | None = None


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


class TokenCreate(Strict):
    user_id: Id | None = Field(default=None, description="Admins may create tokens for others; default yourself.")
    name: Annotated[Text, Field(max_length=200)] = ""
    expires_at: datetime | None = None


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


class Login(Strict):
    email: Annotated[Text, Field(min_length=3, max_length=320)]
    password: Annotated[Text, Field(min_length=1, max_length=1024)]


class LintRequest(Strict):
    text: Annotated[Text, Field(min_length=1, max_length=2000, examples=["Meer leads genereren"])]
    kind: Literal["key_result", "objective"] = "key_result"
    lang: Literal["auto", "nl", "en"] = "auto"


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
