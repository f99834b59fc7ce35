"""Planned pace (SPEC §3): the value a key result's plan says it should have on a day of its cycle.

A plan is `{"shape": "linear" | "back_loaded" | "s_curve"}` or `{"shape": "points", "points": [{"date", "value"}]}`;
without one a key result follows the linear plan. With `f` the share of the cycle elapsed (`pace.elapsed`) and
`b`, `t` the values the plan runs between, the planned value is `b + (t−b)·f` (linear), `b + (t−b)·f²`
(back_loaded), `b + (t−b)·(3f² − 2f³)` (s_curve), or piecewise linear through (start, b), the points and (end, t).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from koers.domain.errors import ValidationError
from koers.domain.pace import ASPIRATIONAL_FACTOR, elapsed
from koers.domain.pace import expected_score as linear_expected_score
from koers.domain.scoring import MAINTAIN_KINDS, Target, progress
from koers.domain.validation import finite

SHAPES: Final = ("linear", "back_loaded", "s_curve", "points")
MAX_PLAN_POINTS: Final = 100
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class PlanPoint:
    """A value the plan passes through on a day strictly inside the cycle."""

    day: date
    value: float


@dataclass(frozen=True)
class Plan:
    """How a key result is meant to move from its baseline to its target over the cycle."""

    shape: str = "linear"
    points: tuple[PlanPoint, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The plan as it is stored and sent: the form `parse_plan` reads."""
        if self.shape != "points":
            return {"shape": self.shape}
        return {"shape": "points", "points": [{"date": p.day.isoformat(), "value": p.value} for p in self.points]}


LINEAR: Final = Plan()


def parse_plan(raw: Mapping[str, Any] | None, start: date, end: date) -> Plan:
    """A plan from its stored or sent form, checked against the cycle [start, end]; None is the linear plan.

    Points lie strictly inside the cycle (start and end are the baseline's and the target's own days), on
    increasing dates, with finite values within ±1e15, at most `MAX_PLAN_POINTS` of them.
    """
    if raw is None:
        return LINEAR
    if not isinstance(raw, Mapping):
        raise ValidationError("plan.invalid", field="plan", value=raw)
    for key in raw:
        if key not in ("shape", "points"):
            raise ValidationError("field.unknown", field="plan", name=f"plan.{key}", entity="plan")
    shape = raw.get("shape", "linear")
    if shape not in SHAPES:
        raise ValidationError(
            "field.not_one_of", field="plan", name="plan.shape", allowed=", ".join(SHAPES), value=shape
        )
    raw_points = raw.get("points")
    if shape != "points":
        if raw_points:
            raise ValidationError("plan.points_not_allowed", field="plan", shape=shape)
        return Plan(shape)
    if not isinstance(raw_points, list | tuple) or not raw_points:
        raise ValidationError("plan.points_required", field="plan")
    if len(raw_points) > MAX_PLAN_POINTS:
        raise ValidationError("list.too_long", field="plan", name="plan.points", max=MAX_PLAN_POINTS)
    points = tuple(_point(index, item) for index, item in enumerate(raw_points))
    for index, point in enumerate(points):
        if not start < point.day < end:
            raise ValidationError(
                "plan.point_outside_cycle", field="plan", index=index, date=point.day.isoformat(),
                start=start.isoformat(), end=end.isoformat(),
            )  # fmt: skip
        if index and point.day <= points[index - 1].day:
            raise ValidationError(
                "plan.dates_not_increasing", field="plan", index=index, date=point.day.isoformat(),
                previous=points[index - 1].day.isoformat(),
            )  # fmt: skip
    return Plan("points", points)


def _point(index: int, item: Any) -> PlanPoint:
    if not isinstance(item, Mapping) or set(item) != {"date", "value"}:
        raise ValidationError("plan.point_invalid", field="plan", index=index)
    day = item["date"]
    if isinstance(day, str) and _ISO_DAY.fullmatch(day):
        with contextlib.suppress(ValueError):  # 2026-02-30: refused below as "date.invalid"
            day = date.fromisoformat(day)
    if isinstance(day, datetime) or not isinstance(day, date):
        name = f"plan.points[{index}].date"
        raise ValidationError("date.invalid", field="plan", name=name, value=item["date"])
    try:
        value = finite(item["value"], f"plan.points[{index}].value")
    except ValidationError as error:
        error.field = "plan"  # the form field and request member it came in; the message names the point
        raise
    if value is None:
        raise ValidationError("number.invalid", field="plan", name=f"plan.points[{index}].value", value=None)
    return PlanPoint(day, value)


def shape_share(shape: str, f: float) -> float:
    """The share of the way from baseline to target that a curve has covered at elapsed share `f`."""
    if shape == "back_loaded":
        return f * f
    if shape == "s_curve":
        return 3 * f * f - 2 * f * f * f
    return f


def planned_value(plan: Plan, baseline: float, target: float, start: date, end: date, day: date) -> float:
    """The value the plan expects on `day`, running from `baseline` at the cycle's start to `target` at its end.

    Points outside the cycle (its dates changed after the plan was made) are left out.
    """
    f = elapsed(day, start, end)
    if plan.shape != "points":
        return baseline + (target - baseline) * shape_share(plan.shape, f)
    knots = [(0.0, baseline)]
    knots += [(elapsed(p.day, start, end), p.value) for p in plan.points if start < p.day < end]
    knots.append((1.0, target))
    for (f0, v0), (f1, v1) in itertools.pairwise(knots):
        if f <= f1:
            return v0 if f1 == f0 else v0 + (v1 - v0) * (f - f0) / (f1 - f0)
    return target


def planned_span(goal: Target) -> tuple[float, float] | None:
    """The values a plan runs between for this kind: baseline to target; for a range, baseline to the nearest edge
    of the range (staying put when the baseline is inside it); a milestone 0 to 1; None for the maintain kinds."""
    if goal.kind in MAINTAIN_KINDS:
        return None
    b = goal.start
    if goal.kind == "milestone":
        return 0.0, 1.0
    if goal.kind == "range":
        lo, hi = goal.target_low, goal.target_high
        if hi is not None and b > hi:
            return b, hi
        if lo is not None and b < lo:
            return b, lo
        return b, b
    if goal.target is None:
        return None
    return b, goal.target


def expected_score(plan: Plan, goal: Target, objective_type: str, start: date, end: date, day: date) -> float:
    """The score a key result should have on `day`: the score of its planned value, × 0.7 for aspirational objectives.

    Maintain kinds (`above`, `below`) score a share of values, not a distance travelled: no plan applies, and the
    expected score is SPEC §3's linear pace. Unrounded, like `pace.expected_score`, which it equals for the linear plan.
    """
    span = planned_span(goal)
    if span is None:
        return linear_expected_score(elapsed(day, start, end), objective_type)
    value = planned_value(plan, span[0], span[1], start, end, day)
    p = progress(goal, value)
    if math.isnan(p):  # numbers past the domain's limits (∞/∞): no expectation, like score_from_progress
        p = 0.0
    factor = ASPIRATIONAL_FACTOR if objective_type == "aspirational" else 1.0
    return 100.0 * min(max(p, 0.0), 1.0) * factor
