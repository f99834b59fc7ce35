"""Rules that keep goals meaningful: every value against its declaration in `fields`, then the rules between them."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from typing import Any

from koers.domain import fields as declared_fields
from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.fields import FIRST_DATE, LAST_DATE, Entity, Field, number, text

# Direction overrides and isolates (Trojan Source): they reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_CHARACTERS = frozenset("\n\r\t")


def is_control_character(character: str) -> bool:
    """C0 and C1 control characters (line breaks and tabs included), DEL, surrogates, and bidi overrides.

    The one definition of what text may not hold (SECURITY.md "Data"): the domain refuses it on every write, and the
    CLI strips it from what it prints of older data (koers.cli.context.printable).
    """
    return character in BIDI_CONTROLS or unicodedata.category(character) in ("Cc", "Cs")


def check_field(entity: Entity, name: str, value: Any) -> Any:
    """The value, cleaned (text trimmed where required, numbers as float), if it fits its declaration."""
    return check_value(entity[name], value)


def check_value(declared: Field, value: Any) -> Any:
    """The value, cleaned, if it fits the declared field; ValidationError with the field's name otherwise."""
    name = declared.name
    if value is None:
        if declared.type == "str" and declared.default == "":
            return ""
        if not declared.nullable:
            code = "text.empty" if declared.type == "str" else "field.required"
            raise ValidationError(code, field=name, name=name)
        return None
    if declared.many:
        if not isinstance(value, list | tuple):
            raise ValidationError("list.invalid", field=name, name=name, value=value)
        if declared.max_items is not None and len(value) > declared.max_items:
            raise ValidationError("list.too_long", field=name, name=name, max=declared.max_items)
        return [_CHECKS[declared.type](declared, item) for item in value]
    return _CHECKS[declared.type](declared, value)


def validate_fields(entity: Entity, values: Mapping[str, Any]) -> dict[str, Any]:
    """Each given value checked against its declaration; a name the entity does not declare is refused."""
    for name in values:
        if name not in entity.fields:
            raise ValidationError("field.unknown", field=name, name=name, entity=entity.name)
    return {name: check_field(entity, name, value) for name, value in values.items()}


def check_entity(entity: Entity, record: object) -> None:
    """Check (and clean in place) every declared field the record carries."""
    for name in entity.fields:
        if hasattr(record, name):
            setattr(record, name, check_field(entity, name, getattr(record, name)))


def _text(declared: Field, value: Any) -> str:
    name = declared.name
    if not isinstance(value, str):
        raise ValidationError("text.invalid", field=name, name=name, value=value)
    if declared.required:
        value = value.strip()
        if not value:
            raise ValidationError("text.empty", field=name, name=name)
    if declared.max_length is not None and len(value) > declared.max_length:
        raise ValidationError("text.too_long", field=name, name=name, max=declared.max_length)
    if len(value) < declared.min_length:
        raise ValidationError("text.too_short", field=name, name=name, min=declared.min_length)
    for character in value:
        if character in LINE_CHARACTERS:
            if not declared.lines:
                raise ValidationError("text.one_line", field=name, name=name)
        elif is_control_character(character):
            raise ValidationError("text.control_character", field=name, name=name)
    return value


def _number(declared: Field, value: Any) -> float:
    name = declared.name
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("number.invalid", field=name, name=name, value=value)
    if not math.isfinite(value):
        raise ValidationError("number.not_finite", field=name, name=name, value=value)
    _within_limits(declared, value)
    return float(value)


def _whole(declared: Field, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("id.invalid", field=declared.name, name=declared.name, value=value)
    _within_limits(declared, value)
    return value


def _within_limits(declared: Field, value: float) -> None:
    name = declared.name
    if declared.above is not None and not value > declared.above:
        raise ValidationError("number.not_above", field=name, name=name, above=declared.above, value=value)
    if declared.minimum is not None and value < declared.minimum:
        raise ValidationError("number.too_small", field=name, name=name, min=declared.minimum, value=value)
    if declared.maximum is not None and value > declared.maximum:
        raise ValidationError("number.too_large", field=name, name=name, max=declared.maximum, value=value)


def _flag(declared: Field, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("bool.invalid", field=declared.name, name=declared.name, value=value)
    return value


def _choice(declared: Field, value: Any) -> str:
    if value not in declared.choices:
        allowed = ", ".join(declared.choices)
        raise ValidationError("field.not_one_of", field=declared.name, name=declared.name, allowed=allowed, value=value)
    return str(value)


def _day(declared: Field, value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError("date.invalid", field=declared.name, name=declared.name, value=value)
    _within_dates(declared, value)
    return value


def _moment(declared: Field, value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError("moment.invalid", field=declared.name, name=declared.name, value=value)
    _within_dates(declared, value.date())
    return value


def _within_dates(declared: Field, day: date) -> None:
    if not FIRST_DATE <= day <= LAST_DATE:
        name = declared.name
        raise ValidationError(
            "date.out_of_range", field=name, name=name, first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat(),
            value=day.isoformat(),
        )  # fmt: skip


def _plan(declared: Field, value: Any) -> dict[str, Any]:
    """A plan's form (its dates within the years every date keeps to); the service checks it against the cycle."""
    from koers.domain.plan import parse_plan  # plan.py uses this module's `finite`

    return parse_plan(value, FIRST_DATE, LAST_DATE).as_dict()


_CHECKS: dict[str, Callable[[Field, Any], Any]] = {
    "str": _text,
    "float": _number,
    "int": _whole,
    "bool": _flag,
    "choice": _choice,
    "date": _day,
    "datetime": _moment,
    "plan": _plan,
}


def one_of(value: str, allowed: Collection[str], field: str) -> str:
    """Refuse a value outside a fixed vocabulary, naming the allowed ones."""
    if value not in allowed:
        raise ValidationError("field.not_one_of", field=field, name=field, allowed=", ".join(allowed), value=value)
    return value


def finite(value: float | None, field: str) -> float | None:
    """A finite number within ±1e15: NaN, infinity and huge numbers would poison every score they touch."""
    if value is None:
        return None
    return _number(number(field, name=field), value)


def non_empty(value: str | None, field: str, max_length: int = 500) -> str:
    """A required, trimmed one-line text of bounded length."""
    return _text(text(field, max_length, required=True, name=field), value if value is not None else "")


def validate_team(team: model.Team) -> None:
    """A team has a name."""
    check_entity(declared_fields.TEAM, team)


def validate_user(user: model.User) -> None:
    """A user's email, name, role, language and teams fit their declarations."""
    check_entity(declared_fields.USER, user)


def validate_cycle(cycle: model.Cycle) -> None:
    """A cycle has a name, a known status, dates in range, and ends after it starts."""
    check_entity(declared_fields.CYCLE, cycle)
    if cycle.end_date <= cycle.start_date:
        raise ValidationError(
            "cycle.end_before_start",
            field="end_date",
            end=cycle.end_date.isoformat(),
            start=cycle.start_date.isoformat(),
        )


def validate_cycle_close(cycle: model.Cycle) -> None:
    """Only an active cycle can be closed: a closed one is closed, a planning one has not run (issue 15)."""
    if cycle.status == "closed":
        raise ValidationError("cycle.already_closed", name=cycle.name)
    if cycle.status == "planning":
        raise ValidationError("cycle.close_planning", name=cycle.name)


def validate_grade_override(grade: Any, note: Any) -> tuple[float | None, str]:
    """A grade set by hand is 0.0–1.0 and says why (a note); no grade (None) removes the override."""
    values = validate_fields(declared_fields.GRADE_OVERRIDE, {"grade": grade, "note": note})
    note = values["note"].strip()
    if values["grade"] is not None and not note:
        raise ValidationError("text.empty", field="note", name="note")
    return values["grade"], note


def validate_objective(objective: model.Objective) -> None:
    """Title, level, type and visibility from the vocabulary."""
    check_entity(declared_fields.OBJECTIVE, objective)


def validate_key_result(kr: model.KeyResult) -> None:
    """Kind, numbers and weight fit together so that the score can be computed."""
    check_entity(declared_fields.KEY_RESULT, kr)
    _KIND_RULES[kr.kind](kr)


def _needs(kr: model.KeyResult, *names: str) -> None:
    for name in names:
        if getattr(kr, name) is None:
            code = "key_result.needs_value_an" if kr.kind[0] in "aeiou" else "key_result.needs_value_a"
            raise ValidationError(code, field=name, kind=kr.kind, name=name)


def _increase(kr: model.KeyResult) -> None:
    _needs(kr, "baseline", "target")
    assert kr.target is not None and kr.baseline is not None
    if not kr.target > kr.baseline:
        raise ValidationError("key_result.increase_target", field="target", baseline=kr.baseline, target=kr.target)


def _decrease(kr: model.KeyResult) -> None:
    _needs(kr, "baseline", "target")
    assert kr.target is not None and kr.baseline is not None
    if not kr.target < kr.baseline:
        raise ValidationError("key_result.decrease_target", field="target", baseline=kr.baseline, target=kr.target)


def _range(kr: model.KeyResult) -> None:
    _needs(kr, "baseline", "target_low", "target_high")
    assert kr.target_low is not None and kr.target_high is not None
    if kr.target_low > kr.target_high:
        raise ValidationError("key_result.range_inverted", field="target_low", low=kr.target_low, high=kr.target_high)


def _maintain(kr: model.KeyResult) -> None:
    _needs(kr, "target")


def _milestone(kr: model.KeyResult) -> None:
    if kr.baseline not in (None, 0.0) or kr.target not in (None, 1.0):
        raise ValidationError("key_result.milestone_target", field="target")
    kr.baseline, kr.target = 0.0, 1.0


_KIND_RULES: dict[str, Callable[[model.KeyResult], None]] = {
    "increase": _increase,
    "decrease": _decrease,
    "range": _range,
    "above": _maintain,
    "below": _maintain,
    "milestone": _milestone,
}


def validate_check_in_value(kind: str, value: float) -> float:
    """A finite number within limits; 0 or 1 for a milestone."""
    number_ = check_field(declared_fields.CHECK_IN, "value", value)
    if kind == "milestone" and number_ not in (0.0, 1.0):
        raise ValidationError("check_in.milestone_value", field="value", value=number_)
    return float(number_)


def validate_check_in(check_in: model.CheckIn) -> None:
    """A check-in's value, confidence and note fit their declarations."""
    check_entity(declared_fields.CHECK_IN, check_in)


def validate_measurement(measurement: model.Measurement) -> None:
    """A measurement's value, moment, source and note fit their declarations."""
    check_entity(declared_fields.MEASUREMENT, measurement)


def validate_kpi(kpi: model.Kpi) -> None:
    """Direction from the vocabulary and thresholds that point the right way."""
    check_entity(declared_fields.KPI, kpi)
    if kpi.direction == "in_range":
        if kpi.target_low is None or kpi.target_high is None:
            raise ValidationError("kpi.range_needs_bounds", field="target_low")
        if kpi.target_low > kpi.target_high:
            raise ValidationError("kpi.range_inverted", field="target_low")
        if kpi.green_at is not None and kpi.green_at < 0:
            raise ValidationError("kpi.range_green_negative", field="green_at")
        return
    if kpi.green_at is None:
        kpi.green_at = kpi.target
    if kpi.green_at is not None and kpi.red_at is not None:
        if kpi.direction == "higher_is_better" and kpi.red_at > kpi.green_at:
            code = "kpi.red_above_green"
        elif kpi.direction == "lower_is_better" and kpi.red_at < kpi.green_at:
            code = "kpi.red_below_green"
        else:
            return
        raise ValidationError(code, field="red_at", red=kpi.red_at, green=kpi.green_at, direction=kpi.direction)


def validate_alignment(
    objective_id: int | None,
    level: str,
    parent_id: int,
    parent_level: str,
    ancestors_of_parent: Collection[int],
) -> None:
    """No loops, and a strategic objective never aligns under a tactical one."""
    if objective_id is not None and (parent_id == objective_id or objective_id in ancestors_of_parent):
        raise ValidationError("objective.alignment_loop", field="parent_id", id=objective_id, parent_id=parent_id)
    if level == "strategic" and parent_level == "tactical":
        raise ValidationError("objective.strategic_under_tactical", field="parent_id")


def validate_initiative(initiative: model.Initiative) -> None:
    """Title, status, due date, and exactly one thing it moves: an objective or a key result."""
    check_entity(declared_fields.INITIATIVE, initiative)
    if (initiative.objective_id is None) == (initiative.key_result_id is None):
        raise ValidationError("initiative.parent_ambiguous", field="objective_id")
