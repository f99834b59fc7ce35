"""Each entity's writable fields, declared once: type, required or default, limits, choices, label.

The domain's validation, the API's request schemas, the import document and the web forms all derive from
these declarations, so that every door refuses the same values (SECURITY.md "Data").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal

from koers.domain import model

Type = Literal["str", "int", "float", "bool", "date", "datetime", "choice", "plan"]

NUMBER_LIMIT: Final = 1e15  # |x| ≤ 1e15 for every number a person types or imports
MAX_ID: Final = 2**31 - 1
FIRST_DATE: Final = date(1900, 1, 1)
LAST_DATE: Final = date(2200, 12, 31)


def N_(text: str) -> str:
    """Mark a label for extraction; the web translates it where the page is rendered."""
    return text


@dataclass(frozen=True)
class Field:
    """One writable field of an entity."""

    type: Type
    label: str  # English, N_()-marked; forms translate it with the reader's locale
    required: bool = False
    default: Any = None  # None with required=False: the field may be empty (null)
    min_length: int = 0
    max_length: int | None = None
    lines: bool = False  # text may hold line breaks (a textarea), otherwise one line (an input)
    choices: tuple[str, ...] = ()  # every value the domain accepts
    offered: tuple[str, ...] = ()  # the choices a person may pick, when fewer than `choices`
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # exclusive lower bound (weight > 0)
    many: bool = False  # a list of values (team_ids)
    max_items: int | None = None
    on_create: bool = True
    on_update: bool = True
    example: Any = None
    description: str | None = None
    name: str = ""  # filled in by `entity`

    @property
    def nullable(self) -> bool:
        """Whether the field may be empty (null)."""
        return not self.required and self.default is None

    @property
    def writable_choices(self) -> tuple[str, ...]:
        """The choices a person may pick."""
        return self.offered or self.choices


@dataclass(frozen=True)
class Entity:
    """The declared fields of one entity, by name, in the order forms show them."""

    name: str
    fields: dict[str, Field]

    def __getitem__(self, name: str) -> Field:
        return self.fields[name]

    def writable(self, on: Literal["create", "update"]) -> list[Field]:
        """The fields a create or an update may send."""
        return [f for f in self.fields.values() if (f.on_create if on == "create" else f.on_update)]


def entity(name: str, /, **fields: Field) -> Entity:
    """An entity from its fields, each told its own name."""
    return Entity(name, {key: replace(value, name=key) for key, value in fields.items()})


def text(label: str, max_length: int, *, required: bool = False, min_length: int = 0, **more: Any) -> Field:
    """A text; required text is trimmed and must not be empty."""
    default = more.pop("default", None if required else "")
    minimum = max(min_length, 1) if required else min_length
    return Field("str", label, required, default, min_length=minimum, max_length=max_length, **more)


def number(label: str, *, required: bool = False, default: float | None = None, **more: Any) -> Field:
    """A finite number within ±NUMBER_LIMIT unless stricter limits are given."""
    limits = {"minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT} | more
    return Field("float", label, required, default, **limits)


def ref(label: str, *, required: bool = False, **more: Any) -> Field:
    """The id of another record."""
    return Field("int", label, required, None, minimum=1, maximum=MAX_ID, **more)


def choice(label: str, choices: tuple[str, ...], default: str | None, **more: Any) -> Field:
    """One value of a fixed vocabulary (the constants of domain/model.py)."""
    return Field("choice", label, False, default, choices=choices, **more)


def day(label: str, *, required: bool = False, **more: Any) -> Field:
    """A calendar date between FIRST_DATE and LAST_DATE."""
    return Field("date", label, required, None, **more)


def moment(label: str, *, required: bool = False, **more: Any) -> Field:
    """A date and time between FIRST_DATE and LAST_DATE."""
    return Field("datetime", label, required, None, **more)


TEAM: Final = entity(
    "team",
    name=text(N_("Name"), 200, required=True),
    parent_id=ref(N_("Part of")),
    lead_id=ref(N_("Lead")),
)

USER: Final = entity(
    "user",
    email=text(N_("Email address"), 320, required=True, min_length=3, on_update=False, example="anne@example.org"),
    name=text(N_("Name"), 200),
    role=choice(N_("Role"), model.ROLES, "member"),
    locale=choice(N_("Language"), model.LOCALES, "nl"),
    team_ids=Field("int", N_("Teams"), default=(), minimum=1, maximum=MAX_ID, many=True, max_items=500),
    password=text(N_("Initial password"), 128, min_length=8, default=None, on_update=False),
)

CYCLE: Final = entity(
    "cycle",
    name=text(N_("Name"), 100, required=True, example="2026-Q4"),
    start_date=day(N_("First day"), required=True),
    end_date=day(N_("Last day"), required=True),
    # "closed" comes only from closing a cycle (which grades it) or from an import.
    status=choice(N_("Status"), model.CYCLE_STATUSES, "active", offered=("planning", "active")),
)

OBJECTIVE: Final = entity(
    "objective",
    title=text(N_("Title"), 500, required=True, example="Klanten behouden: churn halveren"),
    description=text(N_("Description"), 10_000, lines=True),
    level=choice(N_("Level"), model.LEVELS, "tactical"),
    type=choice(N_("Type"), model.OBJECTIVE_TYPES, "committed"),
    cycle_id=ref(N_("Cycle"), required=True, on_update=False),
    team_id=ref(N_("Team")),
    owner_id=ref(N_("Owner")),
    parent_id=ref(N_("Aligned under")),
    visibility=choice(N_("Visibility"), model.VISIBILITIES, "public"),
    # Issue 10: "what we learned", carried by export and import; an update that sends only this field is taken
    # in a closed cycle too (services/objectives.update_objective).
    retrospective=text(N_("What we learned"), 10_000, lines=True, on_create=False),
)

KEY_RESULT: Final = entity(
    "key_result",
    title=text(N_("Title"), 500, required=True, example="Churn reduceren van 10% naar 5%"),
    kind=choice(N_("Kind"), model.KR_KINDS, "increase"),
    unit=text(N_("Unit"), 40, example="%"),
    baseline=number(N_("Baseline")),
    target=number(N_("Target")),
    target_low=number(N_("Lowest value of the range")),
    target_high=number(N_("Highest value of the range")),
    weight=number(N_("Weight"), default=1.0, minimum=None, above=0, maximum=1000),
    owner_id=ref(N_("Owner")),
    kpi_id=ref(N_("Linked KPI")),
    # A JSON object checked by `koers.domain.plan.parse_plan`: here its form, against the cycle by the service.
    plan=Field(
        "plan",
        N_("Planned pace"),
        example={"shape": "back_loaded"},
        description='{"shape": "linear" | "back_loaded" | "s_curve"} or {"shape": "points", "points": '
        '[{"date": "YYYY-MM-DD", "value": x}, ...]} (dates inside the cycle); null is linear.',
    ),
    cadence_days=Field(
        "int",
        N_("Check in every (days)"),
        default=7,
        minimum=1,
        maximum=366,
        example=7,
        description="A check-in is due every this many days (1–366).",
    ),
)

CHECK_IN: Final = entity(
    "check_in",
    value=number(N_("Value"), required=True, example=7.5),
    confidence=choice(N_("Confidence"), model.CONFIDENCES, None),
    note=text(N_("Note"), 5000, lines=True),
)

KPI: Final = entity(
    "kpi",
    name=text(N_("Name"), 200, required=True, example="Churn"),
    description=text(N_("Description"), 10_000, lines=True),
    unit=text(N_("Unit"), 40, example="%"),
    direction=choice(N_("Direction"), model.KPI_DIRECTIONS, "higher_is_better"),
    target=number(N_("Target")),
    target_low=number(N_("Lowest value of the range")),
    target_high=number(N_("Highest value of the range")),
    green_at=number(N_("Green from")),
    red_at=number(N_("Red from")),
    team_id=ref(N_("Team")),
    owner_id=ref(N_("Owner")),
)

MEASUREMENT: Final = entity(
    "measurement",
    value=number(N_("Value"), required=True, example=6.75),
    at=moment(N_("Date"), description="When it was measured; default now. Not in the future."),
    source=choice(N_("Source"), model.MEASUREMENT_SOURCES, "manual"),
    note=text(N_("Note"), 5000, lines=True),
)

INITIATIVE: Final = entity(
    "initiative",
    title=text(N_("Title"), 500, required=True, example="Online sales funnel analyseren"),
    status=choice(N_("Status"), model.INITIATIVE_STATUSES, "planned"),
    objective_id=ref(N_("Moves"), on_update=False),
    key_result_id=ref(N_("Moves"), on_update=False),
    owner_id=ref(N_("Owner")),
    due_date=day(N_("Due date")),
)

# Issue 15: a closed cycle's objective graded by hand. Not an entity of its own: the web form, the API body and the
# import read these fields onto the objective (`grade_override`, `grade_note`); grade null removes the override.
GRADE_OVERRIDE: Final = entity(
    "grade_override",
    grade=number(N_("Grade"), minimum=0.0, maximum=1.0, example=0.7, description="0.0–1.0; null removes the override."),
    note=text(N_("Why"), 2000, lines=True, example="The NPS survey was not sent in December."),
)

# Not an entity a document imports: its name is checked like every text (API, web and CLI create tokens).
API_TOKEN: Final = entity("api_token", name=text(N_("Name"), 200))

ENTITIES: Final = {
    e.name: e for e in (TEAM, USER, CYCLE, OBJECTIVE, KEY_RESULT, CHECK_IN, KPI, MEASUREMENT, INITIATIVE)
}
