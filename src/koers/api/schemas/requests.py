"""Request schemas: XCreate and XUpdate are derived from `koers.domain.fields`, so the API takes what the domain does.

A create takes the fields declared `on_create`, required or with their default; an update takes the fields
declared `on_update`, each optional, null only where the declaration lets the field be empty, plus `version`.
The class statements keep the OpenAPI component names (and give type checkers a name to refer to).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, create_model

from koers.api.schemas.common import Id, Patch, Strict, Text, Version
from koers.domain import fields
from koers.domain.fields import Entity
from koers.services.field_types import checked_by_domain, field_type


def request_model(entity: Entity, on: Literal["create", "update"]) -> Any:
    """The pydantic model of a create or an update of an entity, built from its declared fields."""
    definitions: dict[str, Any] = {}
    for declared in entity.writable(on):
        kind = field_type(declared)
        if on == "update" or declared.nullable:
            definitions[declared.name] = (kind | None, Field(default=None, description=declared.description))
        elif declared.required:
            definitions[declared.name] = (kind, Field(description=declared.description))
        else:
            default = list(declared.default) if declared.many else declared.default
            definitions[declared.name] = (kind, Field(default=default, description=declared.description))
    if on == "update":
        definitions["version"] = (Version | None, None)
    base = Patch if on == "update" else Strict
    name = f"{entity.name.title().replace('_', '')}{on.title()}Fields"
    model: Any = create_model(name, __base__=base, __module__=__name__, **definitions)
    if on == "update":
        model.nullable = frozenset(f.name for f in entity.writable(on) if f.nullable)
    return model


class TeamCreate(request_model(fields.TEAM, "create")):  # type: ignore[misc]
    pass


class TeamUpdate(request_model(fields.TEAM, "update")):  # type: ignore[misc]
    pass


class UserCreate(request_model(fields.USER, "create")):  # type: ignore[misc]
    pass


class UserUpdate(request_model(fields.USER, "update")):  # type: ignore[misc]
    pass


class CycleCreate(request_model(fields.CYCLE, "create")):  # type: ignore[misc]
    pass


class CycleUpdate(request_model(fields.CYCLE, "update")):  # type: ignore[misc]
    pass


class ObjectiveCreate(request_model(fields.OBJECTIVE, "create")):  # type: ignore[misc]
    pass


class ObjectiveUpdate(request_model(fields.OBJECTIVE, "update")):  # type: ignore[misc]
    pass


class KeyResultCreate(request_model(fields.KEY_RESULT, "create")):  # type: ignore[misc]
    pass


class KeyResultUpdate(request_model(fields.KEY_RESULT, "update")):  # type: ignore[misc]
    # counter-metric KPIs; the list replaces the key result's guardrails ([] removes them)
    guardrail_kpi_ids: list[Id] | None = Field(
        default=None, max_length=50, description="KPIs that must not suffer while this key result improves."
    )


class CheckInCreate(request_model(fields.CHECK_IN, "create")):  # type: ignore[misc]
    pass


class KpiCreate(request_model(fields.KPI, "create")):  # type: ignore[misc]
    pass


class KpiUpdate(request_model(fields.KPI, "update")):  # type: ignore[misc]
    pass


class MeasurementCreate(request_model(fields.MEASUREMENT, "create")):  # type: ignore[misc]
    pass


class InitiativeCreate(request_model(fields.INITIATIVE, "create")):  # type: ignore[misc]
    pass


class InitiativeUpdate(request_model(fields.INITIATIVE, "update")):  # type: ignore[misc]
    pass


# Requests that change no entity's declared fields.

# A token's expiry: with a time zone (it is compared with the clock) and within the years every date keeps to.
TOKEN_EXPIRY = replace(fields.moment(fields.N_("Expires")), name="expires_at")


class TokenCreate(Strict):
    user_id: Id | None = Field(default=None, description="Admins may create tokens for others; default yourself.")
    name: Annotated[Text, Field(max_length=200)] = ""
    expires_at: Annotated[AwareDatetime, checked_by_domain(TOKEN_EXPIRY)] | None = Field(
        default=None, description="When the token stops working, with a time zone (e.g. 2027-01-01T00:00:00Z)."
    )


class Login(Strict):
    email: Annotated[Text, Field(min_length=3, max_length=320)]
    password: Annotated[Text, Field(min_length=1, max_length=1024)]


class LintRequest(Strict):
    text: Annotated[Text, Field(min_length=1, max_length=2000, examples=["Meer leads genereren"])]
    kind: Literal["key_result", "objective"] = "key_result"
    lang: Literal["auto", "nl", "en"] = "auto"


# --- accounts: passwords and invitations ---
Password = Annotated[str, Field(min_length=1, max_length=1024, description="8 to 128 characters, not a common one.")]


class PasswordSet(Strict):
    password: Password


class PasswordChange(Strict):
    current_password: Password
    new_password: Password


class InvitationCreate(Strict):
    email: Annotated[Text, Field(min_length=3, max_length=320)]
    name: Annotated[Text, Field(max_length=200)] = ""
    role: Literal["admin", "member"] = "member"
    team_ids: Annotated[list[Id], Field(max_length=1000)] = Field(default_factory=list)


# --- close & what-if ---
CHECK_IN_VALUE = field_type(fields.CHECK_IN["value"])


class WhatIfRequest(Strict):
    values: dict[Id, CHECK_IN_VALUE] = Field(  # type: ignore[valid-type]
        min_length=1,
        max_length=100,
        description="Key result id -> a value to try, checked like a check-in's value. Nothing is stored.",
        examples=[{"1": 7.5}],
    )


class CarryOver(Strict):
    cycle_id: Id = Field(description="The cycle the copy goes into; it must not be closed.")


class GradeOverride(Strict):
    """Issue 15: a closed cycle's objective graded by hand; the computed grade stays beside it."""

    grade: field_type(fields.GRADE_OVERRIDE["grade"]) | None = Field(  # type: ignore[valid-type]
        description="0.0–1.0, set by hand; null removes the override (the computed grade counts again)."
    )
    note: field_type(fields.GRADE_OVERRIDE["note"]) = Field(  # type: ignore[valid-type]
        default="", description="Why the grade differs from the computed one; required with a grade."
    )
