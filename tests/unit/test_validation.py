"""Domain validation: each rule refuses bad input with a message that says what is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from koers.domain import model
from koers.domain.errors import ValidationError
from koers.domain.validation import (
    validate_alignment,
    validate_check_in_value,
    validate_cycle,
    validate_initiative,
    validate_key_result,
    validate_kpi,
)


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
