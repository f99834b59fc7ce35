"""Domain validation: each rule refuses bad input with a message that says what is wrong."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from koers.api import schemas as s
from koers.domain import fields, model
from koers.domain.errors import ValidationError
from koers.domain.validation import (
    check_field,
    finite,
    validate_alignment,
    validate_check_in,
    validate_check_in_value,
    validate_cycle,
    validate_fields,
    validate_initiative,
    validate_key_result,
    validate_kpi,
    validate_measurement,
    validate_objective,
)
from koers.services import document


def kr(**fields) -> model.KeyResult:
    return model.KeyResult(objective_id=1, title=fields.pop("title", "Churn omlaag"), **fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "increase", "baseline": 5, "target": 5}, "target above its baseline"),
        ({"kind": "increase", "baseline": 5, "target": 3}, "target above its baseline"),
        ({"kind": "decrease", "baseline": 5, "target": 7}, "target below its baseline"),
        ({"kind": "range", "baseline": 9, "target_low": 5, "target_high": 4}, "must not be above target_high"),
        ({"kind": "increase", "target": 5}, "needs a baseline"),
        ({"kind": "above"}, "needs a target"),
        ({"kind": "teleport", "baseline": 1, "target": 2}, "kind must be one of"),
        ({"kind": "increase", "baseline": 1, "target": 2, "weight": 0}, "weight must be greater than 0"),
        ({"kind": "increase", "baseline": 1, "target": float("nan")}, "finite"),
        ({"kind": "milestone", "target": 5}, r"from 0 \(not done\) to 1 \(done\)"),
        ({"kind": "increase", "baseline": 1, "target": 2, "title": "   "}, "title must not be empty"),
    ],
)
def test_key_result_rules(fields, message):
    with pytest.raises(ValidationError, match=message):
        validate_key_result(kr(**fields))


def test_a_valid_milestone_gets_its_implicit_numbers():
    milestone = kr(kind="milestone")
    validate_key_result(milestone)
    assert (milestone.baseline, milestone.target) == (0.0, 1.0)


def test_milestone_check_ins_are_zero_or_one():
    assert validate_check_in_value("milestone", 1) == 1.0
    with pytest.raises(ValidationError, match="0 \\(not done\\) or 1"):
        validate_check_in_value("milestone", 0.5)


def test_cycle_must_end_after_it_starts():
    with pytest.raises(ValidationError, match="must be after start_date"):
        validate_cycle(model.Cycle("2026-Q4", date(2026, 12, 31), date(2026, 10, 1)))


def test_alignment_refuses_loops_and_strategic_under_tactical():
    with pytest.raises(ValidationError, match="loop"):
        validate_alignment(1, "tactical", 2, "tactical", ancestors_of_parent=[3, 1])
    with pytest.raises(ValidationError, match="loop"):
        validate_alignment(1, "tactical", 1, "tactical", ancestors_of_parent=[])
    with pytest.raises(ValidationError, match="strategic objective cannot align under a tactical"):
        validate_alignment(1, "strategic", 2, "tactical", ancestors_of_parent=[])
    validate_alignment(1, "tactical", 2, "strategic", ancestors_of_parent=[])


def test_kpi_thresholds_must_point_the_right_way():
    with pytest.raises(ValidationError, match="red_at \\(90\\) must not be above green_at"):
        validate_kpi(model.Kpi("NPS", direction="higher_is_better", green_at=80, red_at=90))
    with pytest.raises(ValidationError, match="needs target_low and target_high"):
        validate_kpi(model.Kpi("Temp", direction="in_range"))
    kpi = model.Kpi("Churn", direction="lower_is_better", target=5)
    validate_kpi(kpi)
    assert kpi.green_at == 5


def test_initiative_belongs_to_exactly_one_thing():
    with pytest.raises(ValidationError, match="either an objective or a key result"):
        validate_initiative(model.Initiative("Funnel analyseren"))
    with pytest.raises(ValidationError, match="status must be one of"):
        validate_initiative(model.Initiative("Funnel analyseren", status="busy", objective_id=1))


# --- every door refuses the same values: the declarations in koers.domain.fields -------------------------------

MINIMAL_CREATE = {"key_result": {"title": "Churn omlaag"}, "kpi": {"name": "Churn"}, "check_in": {}, "measurement": {}}
MINIMAL_DOCUMENT = {
    "key_result": {"id": 1, "title": "Churn omlaag", "kind": "increase"},
    "kpi": {"id": 1, "name": "Churn"},
    "check_in": {"created_at": "2026-01-01T00:00:00Z"},
    "measurement": {"at": "2026-01-01T00:00:00Z"},
}
CREATE = {
    "key_result": s.KeyResultCreate,
    "kpi": s.KpiCreate,
    "check_in": s.CheckInCreate,
    "measurement": s.MeasurementCreate,
}
UPDATE = {"key_result": s.KeyResultUpdate, "kpi": s.KpiUpdate}
DOCUMENT = {
    "key_result": document.KeyResultDoc,
    "kpi": document.KpiDoc,
    "check_in": document.CheckInDoc,
    "measurement": document.MeasurementDoc,
}
NUMERIC = [
    (entity, declared)
    for entity in fields.ENTITIES.values()
    for declared in entity.fields.values()
    if declared.type == "float"
]
OUT_OF_RANGE = [math.nan, math.inf, -math.inf, 1e308, -1e308, 1e16, -1e16]


def accepted(model: type[BaseModel], data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except PydanticError:
        return False
    return True


def answers(entity: fields.Entity, name: str, value: float) -> dict[str, bool]:
    """Whether each door takes the value: the API's create and update schemas, the import document, the domain."""
    doors = {
        "api create": accepted(CREATE[entity.name], MINIMAL_CREATE[entity.name] | {name: value}),
        "document": accepted(DOCUMENT[entity.name], MINIMAL_DOCUMENT[entity.name] | {name: value}),
    }
    if entity.name in UPDATE:
        doors["api update"] = accepted(UPDATE[entity.name], {name: value})
    try:
        check_field(entity, name, value)
        doors["domain"] = True
    except ValidationError:
        doors["domain"] = False
    return doors


def bounds(declared: fields.Field) -> tuple[float, float]:
    low = declared.above if declared.above is not None else declared.minimum
    assert low is not None and declared.maximum is not None, f"{declared.name} has no limits"
    return low, declared.maximum


def test_every_numeric_field_is_covered_by_the_doors_under_test():
    assert {entity.name for entity, _declared in NUMERIC} == set(CREATE) == set(DOCUMENT)
    assert fields.KEY_RESULT["weight"].above == 0 and fields.KEY_RESULT["weight"].maximum == 1000


@pytest.mark.parametrize(("entity", "declared"), NUMERIC, ids=[f"{e.name}.{d.name}" for e, d in NUMERIC])
@pytest.mark.parametrize("value", OUT_OF_RANGE, ids=repr)
def test_every_door_refuses_the_same_out_of_range_numbers(entity, declared, value):
    assert not any(answers(entity, declared.name, value).values())


@pytest.mark.parametrize("value", [0, -1, 1001, 0.0, -0.0, 1000.0001])
def test_every_door_refuses_the_same_weights(value):
    assert answers(fields.KEY_RESULT, "weight", value) == dict.fromkeys(
        ["api create", "document", "api update", "domain"], False
    )


@pytest.mark.parametrize(("entity", "declared"), NUMERIC, ids=[f"{e.name}.{d.name}" for e, d in NUMERIC])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_door_gives_the_same_answer_in_and_around_the_limits(entity, declared, data):
    low, high = bounds(declared)
    exclusive = declared.above is not None
    inside = st.floats(min_value=low, max_value=high, exclude_min=exclusive, allow_nan=False)
    below = st.floats(max_value=low, exclude_max=not exclusive)
    above = st.floats(min_value=high, exclude_min=True)
    value, expected = data.draw(st.one_of(inside.map(lambda v: (v, True)), (below | above).map(lambda v: (v, False))))
    assert set(answers(entity, declared.name, value).values()) == {expected}, value


def test_the_domain_refuses_what_the_api_refused_before_and_the_web_let_through():
    huge = kr(kind="increase", baseline=1, target=2, weight=1e308)
    with pytest.raises(ValidationError, match="weight must be at most 1000"):
        validate_key_result(huge)
    with pytest.raises(ValidationError, match="target must be at most 1e\\+15"):
        validate_key_result(kr(kind="increase", baseline=1, target=1e16))
    with pytest.raises(ValidationError, match="must be at most 1e\\+15"):
        finite(1e308, "value")  # the measurement door
    with pytest.raises(ValidationError, match="green_at must be at least -1e\\+15"):
        validate_kpi(model.Kpi("NPS", green_at=-1e16))
    with pytest.raises(ValidationError, match="value must be a finite number"):
        validate_check_in_value("increase", math.inf)


def test_text_is_one_line_unless_declared_otherwise_and_never_holds_control_characters():
    with pytest.raises(ValidationError, match="title must be on one line"):
        validate_key_result(kr(kind="above", target=1, title="Churn\nomlaag"))
    with pytest.raises(ValidationError, match="control characters or direction overrides"):
        validate_key_result(kr(kind="above", target=1, title="Churn \u202eomlaag"))
    with pytest.raises(ValidationError, match="control characters"):
        validate_objective(model.Objective("Groei", cycle_id=1, description="a\x00b"))
    objective = model.Objective("  Groei  ", cycle_id=1, description="Eerste regel\nTweede regel")
    validate_objective(objective)
    assert objective.title == "Groei"
    assert not accepted(s.ObjectiveCreate, {"title": "Groei\u2066", "cycle_id": 1})


def test_dates_lie_between_1900_and_2200_at_every_door():
    with pytest.raises(ValidationError, match="end_date must lie between 1900-01-01 and 2200-12-31"):
        validate_cycle(model.Cycle("2026-Q4", date(2026, 10, 1), date(2201, 1, 1)))
    with pytest.raises(ValidationError, match="due_date must lie between"):
        validate_initiative(model.Initiative("Funnel", objective_id=1, due_date=date(1899, 12, 31)))
    assert not accepted(s.CycleCreate, {"name": "Oud", "start_date": "1899-01-01", "end_date": "2026-01-01"})
    assert not accepted(s.MeasurementCreate, {"value": 1, "at": "2201-01-01T00:00:00Z"})
    assert accepted(s.CycleCreate, {"name": "2026-Q4", "start_date": "2026-10-01", "end_date": "2026-12-31"})


def test_validate_fields_checks_each_value_and_refuses_undeclared_names():
    assert validate_fields(fields.KEY_RESULT, {"title": " Churn ", "weight": 2}) == {"title": "Churn", "weight": 2.0}
    with pytest.raises(ValidationError, match="score is not a field of a key_result"):
        validate_fields(fields.KEY_RESULT, {"score": 100})
    with pytest.raises(ValidationError, match="kind must be one of"):
        validate_fields(fields.KEY_RESULT, {"kind": "teleport"})


def test_the_api_offers_the_choices_the_domain_declares():
    declared = {
        s.Level: model.LEVELS, s.ObjectiveType: model.OBJECTIVE_TYPES, s.Visibility: model.VISIBILITIES,
        s.Kind: model.KR_KINDS, s.Confidence: model.CONFIDENCES, s.Direction: model.KPI_DIRECTIONS,
        s.Source: model.MEASUREMENT_SOURCES, s.InitiativeStatus: model.INITIATIVE_STATUSES,
        s.CycleStatus: model.CYCLE_STATUSES, s.Role: model.ROLES, s.Locale: model.LOCALES,
    }  # fmt: skip
    for literal, choices in declared.items():
        assert get_args(literal) == choices
    # A cycle is closed by closing it (which grades it), or arrives closed in an import: never by a create.
    assert not accepted(
        s.CycleCreate, {"name": "Q", "start_date": "2026-01-01", "end_date": "2026-02-01", "status": "closed"}
    )
    closed = {"id": 1, "name": "Q", "start_date": "2026-01-01", "end_date": "2026-02-01", "status": "closed"}
    assert accepted(document.CycleDoc, closed)


def test_updates_take_null_exactly_where_the_declaration_lets_a_field_be_empty():
    assert s.KeyResultUpdate.nullable == {
        "baseline",
        "target",
        "target_low",
        "target_high",
        "owner_id",
        "kpi_id",
        "plan",
    }
    assert s.InitiativeUpdate.nullable == {"owner_id", "due_date"}
    assert not accepted(s.KeyResultUpdate, {"weight": None})
    assert accepted(s.KeyResultUpdate, {"target": None})


def test_every_declared_label_reads_in_dutch():
    from koers.web import i18n

    dutch = {message.id for message in i18n.catalogue("nl") if message.id}
    labels = {declared.label for entity in fields.ENTITIES.values() for declared in entity.fields.values()}
    assert labels - dutch == set()


def test_check_ins_and_measurements_are_checked_as_declared():
    moment = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="note must not contain control characters"):
        validate_check_in(model.CheckIn(1, 7.5, moment, note="klaar\u202e"))
    with pytest.raises(ValidationError, match="source must be one of manual, sync, import"):
        validate_measurement(model.Measurement(1, 6.75, moment, source="guess"))
    with pytest.raises(ValidationError, match="at must lie between 1900-01-01 and 2200-12-31"):
        validate_measurement(model.Measurement(1, 6.75, datetime(1850, 1, 1, tzinfo=UTC)))
    validate_check_in(model.CheckIn(1, 7.5, moment, confidence="at_risk", note="regel 1\nregel 2"))
