"""Planned pace (SPEC §3, issue 10): planned values and expected scores worked out by hand.

The cycle runs 2026-01-01 → 2026-04-11: 100 days, so day N is f = N / 100 of the cycle.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from koers.domain.errors import ValidationError
from koers.domain.pace import expected_score as spec_expected_score
from koers.domain.plan import LINEAR, MAX_PLAN_POINTS, Plan, PlanPoint, expected_score, parse_plan, planned_value
from koers.domain.scoring import Target

START = date(2026, 1, 1)
END = date(2026, 4, 11)


def day(n: int) -> date:
    return START + timedelta(days=n)


INCREASE = Target("increase", baseline=10, target=60)
POINTS = Plan("points", (PlanPoint(day(40), 20.0), PlanPoint(day(80), 50.0)))


def test_the_cycle_is_a_hundred_days():
    assert day(100) == END


@pytest.mark.parametrize(
    ("plan", "n", "value"),
    [
        (LINEAR, 50, 35.0),  # 10 + (60 − 10)·0.5 = 10 + 25 = 35
        (LINEAR, 20, 20.0),  # 10 + 50·0.2 = 20
        (Plan("back_loaded"), 50, 22.5),  # 10 + 50·0.5² = 10 + 12.5 = 22.5
        (Plan("back_loaded"), 20, 12.0),  # 10 + 50·0.04 = 12
        (Plan("s_curve"), 50, 35.0),  # 3·0.25 − 2·0.125 = 0.5 → 10 + 25 = 35
        (Plan("s_curve"), 20, 15.2),  # 3·0.04 − 2·0.008 = 0.104 → 10 + 50·0.104 = 15.2
        (Plan("s_curve"), 80, 54.8),  # 3·0.64 − 2·0.512 = 0.896 → 10 + 44.8 = 54.8
        (POINTS, 20, 15.0),  # between (0, 10) and (40, 20): 10 + 10·20/40 = 15
        (POINTS, 40, 20.0),  # on the point itself
        (POINTS, 60, 35.0),  # between (40, 20) and (80, 50): 20 + 30·20/40 = 35
        (POINTS, 90, 55.0),  # between (80, 50) and (100, 60): 50 + 10·10/20 = 55
        (POINTS, 100, 60.0),  # the end: the target
        (POINTS, -5, 10.0),  # before the start: f clamps to 0, the baseline
        (Plan("back_loaded"), 130, 60.0),  # after the end: f clamps to 1, the target
    ],
)
def test_planned_value(plan, n, value):
    assert planned_value(plan, 10, 60, START, END, day(n)) == pytest.approx(value)


@pytest.mark.parametrize(
    ("plan", "n", "committed"),
    [
        (LINEAR, 50, 50.0),  # planned 35: (35 − 10) / (60 − 10) = 0.5 → 50
        (Plan("back_loaded"), 50, 25.0),  # planned 22.5: 12.5 / 50 = 0.25 → 25
        (Plan("s_curve"), 20, 10.4),  # planned 15.2: 5.2 / 50 = 0.104 → 10.4
        (POINTS, 60, 50.0),  # planned 35 → 50
        (POINTS, 90, 90.0),  # planned 55: 45 / 50 = 0.9 → 90
    ],
)
def test_expected_score_is_the_score_of_the_planned_value_and_seventy_percent_of_it_when_aspirational(
    plan, n, committed
):
    assert expected_score(plan, INCREASE, "committed", START, END, day(n)) == pytest.approx(committed)
    # aspirational: × 0.7, e.g. 50 × 0.7 = 35, 25 × 0.7 = 17.5
    assert expected_score(plan, INCREASE, "aspirational", START, END, day(n)) == pytest.approx(committed * 0.7)


@pytest.mark.parametrize("n", [0, 9, 10, 33, 50, 77, 100])
@pytest.mark.parametrize("goal", [INCREASE, Target("decrease", baseline=10, target=5)])
def test_the_linear_plan_is_the_spec_pace(goal, n):
    f = n / 100
    assert expected_score(LINEAR, goal, "committed", START, END, day(n)) == pytest.approx(
        spec_expected_score(f, "committed")
    )
    assert expected_score(LINEAR, goal, "aspirational", START, END, day(n)) == pytest.approx(
        spec_expected_score(f, "aspirational")
    )


def test_a_decrease_plan_runs_down_from_baseline_to_target():
    goal = Target("decrease", baseline=10, target=5)
    # back_loaded at day 50: 10 + (5 − 10)·0.25 = 8.75; progress (10 − 8.75) / (10 − 5) = 1.25 / 5 = 0.25
    assert planned_value(Plan("back_loaded"), 10, 5, START, END, day(50)) == pytest.approx(8.75)
    assert expected_score(Plan("back_loaded"), goal, "committed", START, END, day(50)) == pytest.approx(25.0)


def test_a_range_plan_runs_from_the_baseline_to_the_nearest_edge_of_the_range():
    above = Target("range", baseline=9.5, target_low=3, target_high=4)
    # baseline above the range: towards hi = 4. Linear at day 50: 9.5 + (4 − 9.5)·0.5 = 6.75;
    # progress (9.5 − 6.75) / (9.5 − 4) = 2.75 / 5.5 = 0.5 → 50
    assert expected_score(LINEAR, above, "committed", START, END, day(50)) == pytest.approx(50.0)
    # at the end the planned value is 4, inside the range → 100
    assert expected_score(LINEAR, above, "committed", START, END, END) == pytest.approx(100.0)
    below = Target("range", baseline=1, target_low=3, target_high=4)
    # baseline below: towards lo = 3. back_loaded at day 50: 1 + (3 − 1)·0.25 = 1.5; (1.5 − 1) / (3 − 1) = 0.25
    assert expected_score(Plan("back_loaded"), below, "committed", START, END, day(50)) == pytest.approx(25.0)
    # × 0.7 aspirational: 25 × 0.7 = 17.5
    assert expected_score(Plan("back_loaded"), below, "aspirational", START, END, day(50)) == pytest.approx(17.5)
    inside = Target("range", baseline=3.5, target_low=3, target_high=4)
    # a baseline inside the range already scores 100: the plan stays there
    assert expected_score(Plan("s_curve"), inside, "committed", START, END, day(10)) == pytest.approx(100.0)


@pytest.mark.parametrize("kind", ["above", "below"])
def test_maintain_kinds_ignore_the_plan_and_follow_the_linear_spec_pace(kind):
    goal = Target(kind, target=95)
    # day 50: 100 × 0.5 = 50 committed, 50 × 0.7 = 35 aspirational, whatever the plan's shape
    assert expected_score(Plan("back_loaded"), goal, "committed", START, END, day(50)) == pytest.approx(50.0)
    assert expected_score(POINTS, goal, "aspirational", START, END, day(50)) == pytest.approx(35.0)


def test_a_milestone_plan_runs_from_not_done_to_done():
    goal = Target("milestone")
    # s_curve at day 80: 0 + 1·0.896 → progress 0.896 → 89.6
    assert expected_score(Plan("s_curve"), goal, "committed", START, END, day(80)) == pytest.approx(89.6)


def test_points_outside_a_cycle_whose_dates_changed_are_left_out():
    shorter_end = day(60)  # the cycle now ends before the point at day 80
    # through (0, 10), (40, 20), (60, 60): day 50 = 20 + 40·10/20 = 40
    assert planned_value(POINTS, 10, 60, START, shorter_end, day(50)) == pytest.approx(40.0)


# --- parsing ---


def test_parse_reads_every_shape_and_defaults_to_linear():
    assert parse_plan(None, START, END) == LINEAR
    assert parse_plan({}, START, END) == LINEAR
    assert parse_plan({"shape": "s_curve"}, START, END) == Plan("s_curve")
    raw = {"shape": "points", "points": [{"date": "2026-02-10", "value": 20}, {"date": "2026-03-22", "value": 50.0}]}
    plan = parse_plan(raw, START, END)
    assert plan == POINTS  # 2026-02-10 is day 40, 2026-03-22 day 80
    assert plan.as_dict() == {
        "shape": "points",
        "points": [{"date": "2026-02-10", "value": 20.0}, {"date": "2026-03-22", "value": 50.0}],
    }
    assert parse_plan(plan.as_dict(), START, END) == plan
    assert Plan("back_loaded").as_dict() == {"shape": "back_loaded"}


def _point(d: str, v: object = 1.0) -> dict[str, object]:
    return {"date": d, "value": v}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("linear", "plan.invalid"),
        ({"shape": "exponential"}, "field.not_one_of"),
        ({"shape": "linear", "colour": "red"}, "field.unknown"),
        ({"shape": "linear", "points": [_point("2026-02-01")]}, "plan.points_not_allowed"),
        ({"shape": "points"}, "plan.points_required"),
        ({"shape": "points", "points": []}, "plan.points_required"),
        ({"shape": "points", "points": "2026-02-01"}, "plan.points_required"),
        ({"shape": "points", "points": [{"date": "2026-02-01"}]}, "plan.point_invalid"),
        ({"shape": "points", "points": [{**_point("2026-02-01"), "note": "x"}]}, "plan.point_invalid"),
        ({"shape": "points", "points": [_point("1-2-2026")]}, "date.invalid"),
        ({"shape": "points", "points": [_point("20260201")]}, "date.invalid"),
        ({"shape": "points", "points": [_point("2026-02-30")]}, "date.invalid"),
        ({"shape": "points", "points": [{"date": datetime(2026, 2, 1, 12), "value": 1.0}]}, "date.invalid"),
        ({"shape": "points", "points": [_point("2026-02-01", "12")]}, "number.invalid"),
        ({"shape": "points", "points": [_point("2026-02-01", True)]}, "number.invalid"),
        ({"shape": "points", "points": [_point("2026-02-01", None)]}, "number.invalid"),
        ({"shape": None}, "field.not_one_of"),
        ({"shape": "points", "points": [_point("2026-02-01", float("nan"))]}, "number.not_finite"),
        ({"shape": "points", "points": [_point("2026-02-01", float("inf"))]}, "number.not_finite"),
        ({"shape": "points", "points": [_point("2026-02-01", 1e16)]}, "number.too_large"),
        ({"shape": "points", "points": [_point("2026-02-01", -1e16)]}, "number.too_small"),
        ({"shape": "points", "points": [_point("2026-01-01")]}, "plan.point_outside_cycle"),  # the start itself
        ({"shape": "points", "points": [_point("2026-04-11")]}, "plan.point_outside_cycle"),  # the end itself
        ({"shape": "points", "points": [_point("2025-12-31")]}, "plan.point_outside_cycle"),
        ({"shape": "points", "points": [_point("2026-03-01"), _point("2026-02-01")]}, "plan.dates_not_increasing"),
        ({"shape": "points", "points": [_point("2026-02-01"), _point("2026-02-01")]}, "plan.dates_not_increasing"),
    ],
)
def test_parse_refuses_a_bad_plan_with_a_clear_code(raw, code):
    with pytest.raises(ValidationError) as caught:
        parse_plan(raw, START, END)
    assert caught.value.code == code
    assert caught.value.field == "plan"
    assert "{" not in caught.value.message


def test_parse_takes_at_most_a_hundred_points():
    points = [{"date": day(n).isoformat(), "value": float(n)} for n in range(1, MAX_PLAN_POINTS + 1)]
    end = day(MAX_PLAN_POINTS + 1)
    assert len(parse_plan({"shape": "points", "points": points}, START, end).points) == 100
    too_many = [*points, {"date": end.isoformat(), "value": 0.0}]
    with pytest.raises(ValidationError) as caught:
        parse_plan({"shape": "points", "points": too_many}, START, day(MAX_PLAN_POINTS + 2))
    assert caught.value.code == "list.too_long"
    assert caught.value.message == "plan.points has more than 100 items"


def test_a_refusal_names_the_point_and_reads_in_english():
    raw = {"shape": "points", "points": [_point("2026-03-01"), _point("2026-02-01")]}
    with pytest.raises(ValidationError) as caught:
        parse_plan(raw, START, END)
    assert caught.value.message == "plan point 1 (2026-02-01) must come after the point before it (2026-03-01)"
