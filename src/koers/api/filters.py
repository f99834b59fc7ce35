"""Query parameters of the list endpoints: filters named after fields, plus paging."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from koers.api.schemas import (
    Confidence,
    CycleStatus,
    Direction,
    Id,
    InitiativeStatus,
    Kind,
    Level,
    ObjectiveType,
    Role,
    Visibility,
)


class Paging(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = Field(default=None, max_length=200, description="next_cursor of the previous page, as given.")
    limit: int = Field(default=100, ge=1, le=500)
    include_archived: bool = False


class TeamFilters(Paging):
    parent_id: Id | None = None


class UserFilters(Paging):
    role: Role | None = None
    active: bool | None = None


class CycleFilters(Paging):
    status: CycleStatus | None = None


class ObjectiveFilters(Paging):
    cycle_id: Id | None = None
    team_id: Id | None = None
    level: Level | None = None
    type: ObjectiveType | None = None
    parent_id: Id | None = None
    owner_id: Id | None = None
    visibility: Visibility | None = None


class KeyResultFilters(Paging):
    objective_id: Id | None = None
    kind: Kind | None = None
    owner_id: Id | None = None
    kpi_id: Id | None = None
    confidence: Confidence | None = None


class KpiFilters(Paging):
    team_id: Id | None = None
    owner_id: Id | None = None
    direction: Direction | None = None


class InitiativeFilters(Paging):
    objective_id: Id | None = None
    key_result_id: Id | None = None
    status: InitiativeStatus | None = None
    owner_id: Id | None = None


def field_filters(filters: Paging) -> dict[str, object]:
    """The field = value filters of a query (paging parameters left out)."""
    return filters.model_dump(exclude={"cursor", "limit", "include_archived"}, exclude_none=True)
