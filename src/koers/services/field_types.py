"""Pydantic types built from the declarations in `koers.domain.fields`, shared by the API schemas and the import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator
from pydantic import Field as Constraints
from pydantic_core import PydanticCustomError

from koers.domain.errors import ValidationError
from koers.domain.fields import Field
from koers.domain.validation import check_value


def checked_by_domain(declared: Field) -> AfterValidator:
    """Run the domain's check of the field inside pydantic, so both refuse the same values."""

    def check(value: Any) -> Any:
        try:
            check_value(declared, value)
        except ValidationError as error:
            raise ValueError(error.message) from None
        return value  # the service trims and converts; the request keeps what was sent

    return AfterValidator(check)


def _examples(declared: Field) -> dict[str, Any]:
    return {"examples": [declared.example]} if declared.example is not None else {}


def _no_flag(value: Any) -> Any:
    """JSON `true` (YAML `yes`) is no number, although pydantic would read it as 1."""
    if isinstance(value, bool):
        raise PydanticCustomError("number_type", "Input should be a number, not true or false")
    return value


NOT_A_FLAG = BeforeValidator(_no_flag)


def number_type(declared: Field) -> Any:
    """A finite float within the declared bounds (the JSON schema shows them); true and false are refused."""
    bounds = {"ge": declared.minimum, "le": declared.maximum, "gt": declared.above}
    given: dict[str, Any] = {key: value for key, value in bounds.items() if value is not None}
    return Annotated[float, Constraints(allow_inf_nan=False, **given, **_examples(declared)), NOT_A_FLAG]


def text_type(declared: Field, *, limits_only: bool = False) -> Any:
    """A text of the declared length; the domain's character rules too unless `limits_only`."""
    lengths: dict[str, Any] = {"max_length": declared.max_length, "min_length": declared.min_length or None}
    if limits_only:
        return Annotated[str, Constraints(max_length=declared.max_length)]
    return Annotated[str, Constraints(**lengths, **_examples(declared)), checked_by_domain(declared)]


def id_type(declared: Field) -> Any:
    """A record id within the declared range; true and false are refused."""
    return Annotated[int, Constraints(ge=declared.minimum, le=declared.maximum), NOT_A_FLAG]


def choice_type(declared: Field) -> Any:
    """One of the choices a person may pick."""
    return Literal[declared.writable_choices]


def day_type(declared: Field) -> Any:
    """A date within the declared years."""
    return Annotated[date, checked_by_domain(declared)]


def moment_type(declared: Field) -> Any:
    """A date and time within the declared years."""
    return Annotated[datetime, checked_by_domain(declared)]


def plan_type(declared: Field) -> Any:
    """A planned pace: a JSON object the domain reads (`koers.domain.plan.parse_plan`)."""
    return Annotated[dict[str, Any], checked_by_domain(declared)]


def flag_type(declared: Field) -> Any:
    """True or false."""
    return bool


SCALAR_TYPES: dict[str, Callable[[Field], Any]] = {
    "str": text_type,
    "float": number_type,
    "int": id_type,
    "bool": flag_type,
    "choice": choice_type,
    "date": day_type,
    "datetime": moment_type,
    "plan": plan_type,
}


def field_type(declared: Field) -> Any:
    """The pydantic type of a declared field as the API takes it (without null)."""
    scalar = SCALAR_TYPES[declared.type](declared)
    if declared.many:
        return Annotated[list[scalar], Constraints(max_length=declared.max_items)]  # type: ignore[valid-type]
    return scalar
