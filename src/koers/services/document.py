"""The export/import document of SPEC §5, as schemas derived from `koers.domain.fields`: what `koers import` accepts.

Where the import deliberately differs from the API's create schemas (this is the one place that says so):

| difference                                    | why                                                              |
|-----------------------------------------------|------------------------------------------------------------------|
| unknown keys ignored, not refused             | an export carries computed fields (score, status, current...)    |
| `id` on every record; references are ids of   | records refer to each other inside the document; the importer    |
| the document, any whole number (strict int)   | maps them to new database ids                                    |
| choices are plain text                        | the domain refuses them with the record's path in the message    |
| text: the declared maximum length only        | the domain checks the rest (empty, control characters) with path |
| cycle `status` may be `closed`, with          | a closed cycle's history is imported as it was                   |
| `closed_at`                                   |                                                                  |
| key result `kind` is required                 | an export always writes it; a missing kind is a broken document  |
| measurement `source` defaults to `import`     | where it came from                                               |
| measurement `at`, check-in `created_at`,      | history keeps its moments and authors (not in the future)        |
| `author_id` are kept                          |                                                                  |
| nested `measurements`, `check_ins`,           | a document is a tree; an initiative belongs to the objective (or |
| `key_results`, `initiatives`                  | one of its key results) it is nested under                       |
| `archived`; an objective's `grade`            | an export keeps archived records and the grades of closed cycles |
| and its `grade_override` with note, by, at    | (a grade set by hand stays beside the computed one, issue 15)    |

Numbers are the same as everywhere: finite, within ±1e15, a weight in (0, 1000].
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from koers.domain import fields
from koers.domain.errors import ValidationError as KoersValidationError
from koers.domain.fields import Entity
from koers.domain.fields import Field as Declared
from koers.domain.numbers import parse_number
from koers.services.field_types import number_type, text_type

Id = Annotated[int, Field(strict=True)]
Grade = number_type(fields.number(fields.N_("Grade")))


class _Record(BaseModel):
    # Computed fields in an export (score, status...) are read back as extras and ignored.
    model_config = ConfigDict(extra="ignore", strict=False)


def _number_from_text(name: str) -> Any:
    """A number written as text (YAML `7,5`) goes through the one number parser, in English notation."""

    def read(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return parse_number(value, "en", field=name)
        except KoersValidationError as error:  # pydantic adds the record's path
            raise PydanticCustomError("number", error.message) from None

    return read


def _document_type(declared: Declared) -> Any:
    if declared.many:
        return list[Id]
    if declared.type == "int":
        return Id
    if declared.type == "float":
        return Annotated[number_type(declared), BeforeValidator(_number_from_text(declared.name))]
    if declared.type == "str":
        return text_type(declared, limits_only=True)
    if declared.type == "plan":
        return dict[str, Any]  # checked by the domain with the key result, against its cycle
    return {"choice": str, "date": date, "datetime": datetime, "bool": StrictBool}[declared.type]


def record_model(entity: Entity, *, skip: tuple[str, ...] = (), **extra: Any) -> Any:
    """A document record from the entity's declared fields (all but `skip`), plus the import's own `extra`."""
    definitions: dict[str, Any] = {}
    for declared in entity.fields.values():
        if declared.name in skip:
            continue
        kind = _document_type(declared)
        if declared.required:
            definitions[declared.name] = (kind, ...)
        elif declared.nullable:
            definitions[declared.name] = (kind | None, None)
        else:
            definitions[declared.name] = (kind, list(declared.default) if declared.many else declared.default)
    name = entity.name.title().replace("_", "") + "Fields"
    return create_model(name, __base__=_Record, __module__=__name__, **(definitions | extra))


ARCHIVED = (StrictBool, False)

# Each record is a class statement over its derived fields, so that type checkers (and transfer.py) can name it.
_cycle: Any = record_model(fields.CYCLE, id=(Id, ...), closed_at=(datetime | None, None))
_team: Any = record_model(fields.TEAM, id=(Id, ...), archived=ARCHIVED)
# `active`: a disabled person stays disabled through export and import.
_user: Any = record_model(fields.USER, skip=("password",), id=(Id, ...), active=(StrictBool, True))
_measurement: Any = record_model(
    fields.MEASUREMENT,
    id=(Id | None, None),
    at=(datetime, ...),
    source=(str, "import"),
    recorded_at=(datetime | None, None),  # when it was recorded; an older document's `at` stands in for it
)
_check_in: Any = record_model(
    fields.CHECK_IN, id=(Id | None, None), author_id=(Id | None, None), created_at=(datetime, ...)
)
_initiative: Any = record_model(fields.INITIATIVE, skip=("objective_id",), id=(Id | None, None), archived=ARCHIVED)


class CycleDoc(_cycle):
    pass


class TeamDoc(_team):
    pass


class UserDoc(_user):
    pass


class MeasurementDoc(_measurement):
    pass


_kpi: Any = record_model(fields.KPI, id=(Id, ...), archived=ARCHIVED, measurements=(list[MeasurementDoc], []))


class KpiDoc(_kpi):
    pass


class CheckInDoc(_check_in):
    pass


_key_result: Any = record_model(
    fields.KEY_RESULT, id=(Id, ...), kind=(str, ...), archived=ARCHIVED, check_ins=(list[CheckInDoc], [])
)


class KeyResultDoc(_key_result):
    pass


class InitiativeDoc(_initiative):
    pass


_objective: Any = record_model(
    fields.OBJECTIVE, id=(Id, ...), grade=(Grade | None, None), archived=ARCHIVED,
    key_results=(list[KeyResultDoc], []), initiatives=(list[InitiativeDoc], []),
    # issue 15: a grade set by hand after the close, why, by whom (an id of the document's users) and when
    grade_override=(Grade | None, None), grade_note=(str, ""), grade_overridden_by=(Id | None, None),
    grade_overridden_at=(datetime | None, None),
)  # fmt: skip


class ObjectiveDoc(_objective):
    pass


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
        raise KoersValidationError("document.not_object")
    try:
        return Document.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors()[:3]:
            path = ".".join(str(part) for part in item["loc"])
            problems.append(f"{path}: {item['msg']}")
        more = f" (and {error.error_count() - 3} more)" if error.error_count() > 3 else ""
        raise KoersValidationError("document.invalid", problems="; ".join(problems) + more) from None
