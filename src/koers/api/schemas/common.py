"""Building blocks of the API schemas: ids, text, the vocabularies as types, and the strict base models."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from koers.domain.fields import MAX_ID

__all__ = ["MAX_ID"]


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, AfterValidator(_clean_text)]  # texts that are no entity's field (login, token name, lint)
Version = Annotated[int, Field(ge=1, le=MAX_ID, description="The version you read; a stale one gets 409.")]

# The vocabularies as static types for responses and filters; a unit test holds them equal to domain/model.py.
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
